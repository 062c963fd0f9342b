// Installs distro packages when we are allowed to (root with apt); otherwise names the command to run.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { SetupError, isRoot, rel, repoRoot, run, tailOf, which } from './proc.js';

const aptLog = path.join(repoRoot, '.local', 'logs', 'apt.log');

export const canUseApt = () => isRoot() && which('apt-get') !== null && which('dpkg-query') !== null;

async function isAptInstalled(pkg: string): Promise<boolean> {
  if (!which('dpkg-query')) return false;
  const { code, stdout } = await run('dpkg-query', ['-W', '-f=${db:Status-Status}', pkg], { capture: true });
  return code === 0 && stdout.trim() === 'installed';
}

function aptGet(args: string[]): Promise<number | null> {
  mkdirSync(path.dirname(aptLog), { recursive: true });
  const fd = openSync(aptLog, 'a');
  return new Promise((resolve, reject) => {
    const child = spawn('apt-get', ['-q', '-y', '-o', 'DPkg::Lock::Timeout=600', ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', fd, fd],
    });
    child.on('error', reject);
    child.on('close', (code) => {
      closeSync(fd);
      resolve(code);
    });
  });
}

/**
 * Makes sure the apt packages are installed. Returns the names it installed.
 * Without root or apt it throws a SetupError naming the exact command to run.
 */
export async function ensureApt(packages: string[], { why }: { why?: string } = {}): Promise<string[]> {
  const missing = [];
  for (const pkg of packages) {
    if (!(await isAptInstalled(pkg))) missing.push(pkg);
  }
  if (missing.length === 0) return [];
  const command = `sudo apt-get install -y ${missing.join(' ')}`;
  if (!canUseApt()) {
    throw new SetupError(`${why ?? 'Missing packages'}: ${missing.join(', ')}.\nInstall them with:\n  ${command}`);
  }
  process.stdout.write(`\n  installing ${missing.join(' ')} with apt-get (log: ${rel(aptLog)}) … `);
  let code = await aptGet(['install', ...missing]);
  if (code !== 0) {
    // A fresh machine often has no package lists yet.
    await aptGet(['update']);
    code = await aptGet(['install', ...missing]);
  }
  if (code !== 0) {
    throw new SetupError(`apt-get install ${missing.join(' ')} failed:\n${tailOf(aptLog, 15)}\nTry:\n  ${command}`);
  }
  process.stdout.write('installed\n  ');
  return missing;
}

/** Whether apt knows an installable version of `pkg` (`apt-cache policy` shows a candidate). */
export async function aptHasCandidate(pkg: string): Promise<boolean> {
  if (!which('apt-cache')) return false;
  const { stdout } = await run('apt-cache', ['policy', pkg], { capture: true });
  const candidate = stdout.match(/Candidate:\s*(\S+)/)?.[1];
  return Boolean(candidate && candidate !== '(none)');
}
