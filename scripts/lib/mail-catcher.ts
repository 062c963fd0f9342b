// The local mail catcher (MailDev): every service's SMTP_URL points at it, and its web inbox shows what they sent.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, httpGet, isPortFree, waitUntil } from './net.js';
import { SetupError, rel, repoRoot, tailOf, waitForExit } from './proc.js';

export interface MailCatcher {
  /** smtp://127.0.0.1:<port>, the services' SMTP_URL. */
  smtpUrl: string;
  /** The web inbox; its REST API lists messages at `${webUrl}/api/email`. */
  webUrl: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/**
 * MailDev's entry script. The package exports neither its bin path nor its package.json (nor a
 * require condition), so it is found next to the module entry that `import` resolves to.
 */
function maildevEntry(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.resolve('maildev'))), 'bin', 'maildev.js');
}

const portOr = async (wanted: number) => ((await isPortFree(wanted)) ? wanted : findFreePort(wanted + 1000));

/**
 * Starts MailDev on loopback (SMTP and web), keeping its messages under .local/maildev-<name>.
 * Ports: the front port's band when it lies in 8080..8999 (8080 → 1025 and 1080, the MailDev defaults; 8211 → 1156 and 1211), or free ones near them.
 */
export async function startMailCatcher({
  frontPort,
  logDir,
  name,
}: {
  frontPort: number;
  logDir: string;
  name: string;
}): Promise<MailCatcher> {
  const band = frontPort >= 8080 && frontPort < 9000 ? frontPort - 8080 : 0;
  const smtpPort = await portOr(1025 + band);
  const webPort = await portOr(1080 + band);
  const mailDir = path.join(repoRoot, '.local', `maildev-${name}`);
  mkdirSync(mailDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, 'maildev.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      maildevEntry(),
      ...['--smtp', String(smtpPort), '--ip', '127.0.0.1'],
      ...['--web', String(webPort), '--web-ip', '127.0.0.1'],
      ...['--mail-directory', mailDir, '--max-emails', '500'],
    ],
    { cwd: repoRoot, stdio: ['ignore', fd, fd], detached: true },
  );
  closeSync(fd);
  const webUrl = `http://127.0.0.1:${webPort}`;
  const ready = await waitUntil(async () => (await httpGet(`${webUrl}/api/healthz`, 2000)).status === 200, {
    timeoutMs: 30_000,
    intervalMs: 300,
    abort: () => (child.exitCode !== null ? `exited (${child.exitCode})` : null),
  });
  if (!ready.ok) {
    child.kill('SIGTERM');
    throw new SetupError(`MailDev ${ready.reason}. Last lines of ${rel(logFile)}:\n${tailOf(logFile, 20)}`);
  }
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    webUrl,
    child,
    stop: () => waitForExit(child, 10_000, 'SIGTERM'),
  };
}
