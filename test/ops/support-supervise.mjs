// Test helper: runs scripts/lib/supervise.ts (loaded through tsx) over tiny real node processes, so the test can stay CommonJS.
// argv[2] is JSON { name, backoff, plan, orphanFile }: plan[i] is what the i-th process does (the last one
// repeats): { exitAfterMs, code } exits, { exitAfterMs: null } runs until killed, { fail } makes that respawn throw,
// { orphan: true } also leaves a grandchild in its process group (its pid written to orphanFile).
// Prints one JSON line per event, with the time it happened: { spawn: pid, at }, { log: line, at }, { stopped: true, at }. SIGTERM stops the
// supervisor; the helper then exits by itself only if nothing is left running or scheduled.
import { spawn } from 'node:child_process';
import { register } from 'tsx/esm/api';

register();
const { supervise } = await import('../../scripts/lib/supervise.ts');

const { name, backoff, plan, orphanFile } = JSON.parse(process.argv[2]);
const emit = (event) => process.stdout.write(`${JSON.stringify({ ...event, at: Date.now() })}\n`);

const CHILD = `
const { exitAfterMs, code, orphan } = JSON.parse(process.argv[1]);
if (orphan) {
  const grandchild = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  require('node:fs').writeFileSync(process.argv[2], String(grandchild.pid));
}
if (exitAfterMs === null) setInterval(() => {}, 1000);
else setTimeout(() => process.exit(code), exitAfterMs);
`;

let runs = 0;
function start() {
  const step = plan[Math.min(runs, plan.length - 1)];
  runs += 1;
  if (step.fail) throw new Error(step.fail);
  const child = spawn(process.execPath, ['-e', CHILD, JSON.stringify(step), orphanFile ?? ''], {
    stdio: 'ignore',
    detached: true,
  });
  emit({ spawn: child.pid });
  return child;
}

const supervisor = supervise({ name, child: start(), respawn: start, backoff, log: (line) => emit({ log: line }) });
process.once('SIGTERM', async () => {
  await supervisor.stop({ timeoutMs: 5000 });
  emit({ stopped: true });
});
