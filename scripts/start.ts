// `npm start`: the whole marketplace on http://localhost:8080 (PORT overrides) until Ctrl-C.
// Dependencies are installed before this runs (run.mjs).
import { describeError } from './lib/errors.js';
import { stopInfra } from './lib/infra.js';
import { SetupError, rel } from './lib/proc.js';
import { type Stack, demoCredentials, startStack } from './lib/stack.js';

const port = Number(process.env.PORT || 8080);
let stack: Stack | undefined;
let shuttingDown = false;

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  process.stdout.write('\n• stopping …');
  try {
    await stack?.stop();
    await stopInfra();
  } finally {
    process.stdout.write(' done\n');
    process.exit(code);
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

try {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new SetupError(`PORT must be a port number, got ${process.env.PORT}`);
  // startStack finds or starts PostgreSQL, Redis and nginx first (a missing package is reported
  // before the long build), then builds with `npm run build`.
  // A service, worker or nginx that dies is started again with backoff (one ↻ line each); only Ctrl-C stops the system.
  stack = await startStack({ port, supervise: true });
  const { buyer, seller, admin } = demoCredentials();
  const shown = stack.url.replace('127.0.0.1', 'localhost');
  process.stdout.write(
    [
      '',
      `Marketplace is running at ${shown}`,
      '',
      'Demo accounts:',
      `  buyer   ${buyer.email}   ${buyer.password}`,
      `  seller  ${seller.email}  ${seller.password}`,
      `  admin   ${admin.email}   ${admin.password}   (no second factor: the demo admin is exempt from TOTP)`,
      '',
      ...(stack.mail
        ? [
            `Mail inbox: ${stack.mail.webUrl.replace('127.0.0.1', 'localhost')} (every mail the marketplace sends lands here)`,
            '',
          ]
        : []),
      `Logs: .local/logs/<service>.log, nginx in ${rel(stack.nginx.prefix)}/logs/`,
      'A process that stops is restarted. Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
} catch (err) {
  process.stderr.write(`\n✗ ${describeError(err)}\n`);
  await shutdown(1);
}
