// Test helper: starts the local stack (scripts/lib/stack.ts, loaded through tsx) on a private port with
// throwaway databases and streams, so the test can stay CommonJS. argv[2] is JSON { port, id }.
// Prints one JSON line { url, ready: [<url>/ready of every service and worker] } when it is up; on
// SIGTERM (or when the parent closes stdin) it stops the stack and drops its databases and keys.
import path from 'node:path';
import { register } from 'tsx/esm/api';

register();
const { startStack, dropStackData } = await import('../../scripts/lib/stack.ts');

const { port, id } = JSON.parse(process.argv[2]);
const names = { dbSuffix: `_smoke_${id}_test`, streamSuffix: `_smoke_${id}` };
const stack = await startStack({
  port,
  ...names,
  logDir: path.join(import.meta.dirname, '..', '..', '.local', 'logs', `smoke-${id}`),
  build: false,
  signupRate: '600r/m',
  signupBurst: 100,
  authLimits: { SIGNUP_RATE_LIMIT_PER_IP: 10_000 },
});
process.stdout.write(
  `${JSON.stringify({ url: stack.url, mail: stack.mail?.webUrl, ready: stack.services.map((s) => `${s.url}/ready`) })}\n`,
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  await dropStackData(stack.adminUrl, stack.redisUrl, names).catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
