// Test helper: runs the real nginx config (scripts/lib/nginx.ts, loaded through tsx) as a child of the
// test, so the test can stay CommonJS. Reads its options as JSON from argv[2]; prints {"url":…} when ready;
// stops nginx on SIGTERM or when the parent closes stdin.
import { register } from 'tsx/esm/api';

register();
const { ensureNginx } = await import('../../../scripts/lib/infra.ts');
const { startNginx } = await import('../../../scripts/lib/nginx.ts');

const options = JSON.parse(process.argv[2]);
const nginx = await startNginx({ bin: await ensureNginx(), ...options });
process.stdout.write(`${JSON.stringify({ url: nginx.url, prefix: nginx.prefix })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await nginx.stop();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
// nginx runs in its own process group: never leave it behind, however this helper ends.
process.on('exit', () => nginx.kill());
