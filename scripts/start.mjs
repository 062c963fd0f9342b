// `npm start`: the whole marketplace on http://localhost:8080 (PORT overrides) until Ctrl-C.
import { ensureDeps } from './lib/ensure-deps.mjs';
import { stopInfra } from './lib/infra.mjs';
import { SetupError, rel } from './lib/proc.mjs';
import { demoCredentials, startStack } from './lib/stack.mjs';

const port = Number(process.env.PORT || 8080);
let stack;
let shuttingDown = false;

async function shutdown(code) {
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

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
process.on('SIGHUP', () => shutdown(0));

try {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new SetupError(`PORT must be a port number, got ${process.env.PORT}`);
  await ensureDeps();
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
      `  admin   ${admin.email}   ${admin.password}`,
      '',
      `Logs: .local/logs/<service>.log, nginx in ${rel(stack.nginx.prefix)}/logs/`,
      'A process that stops is restarted. Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
} catch (err) {
  process.stderr.write(`\n✗ ${err instanceof SetupError ? err.message : (err.stack ?? err)}\n`);
  await shutdown(1);
}
