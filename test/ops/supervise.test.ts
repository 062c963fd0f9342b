// `npm start` keeps its processes running (scripts/lib/supervise.ts), tried on real node processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

interface Step {
  exitAfterMs?: number | null;
  code?: number;
  fail?: string;
  orphan?: boolean;
}

interface Supervised {
  spawns: { pid: number; at: number }[];
  logs: { line: string; at: number }[];
  /** Resolves once `count` events of a kind have been seen. */
  waitFor(kind: 'spawns' | 'logs', count: number, timeoutMs?: number): Promise<void>;
  /** SIGTERM to the helper (like Ctrl-C to `npm start`); resolves with how long the helper took to exit. */
  stop(): Promise<{ stopped: boolean; exitedAfterMs: number }>;
  helper: ChildProcess;
}

const running: Supervised[] = [];
let tmp: string;

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'supervise-'));
});

afterEach(() => {
  const orphanFile = path.join(tmp, 'orphan.pid');
  const orphans = existsSync(orphanFile) ? [Number(readFileSync(orphanFile, 'utf8'))] : [];
  for (const supervised of running.splice(0)) {
    if (supervised.helper.exitCode === null) supervised.helper.kill('SIGKILL');
    for (const pid of [...supervised.spawns.map((s) => s.pid), ...orphans])
      if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(tmp, { recursive: true, force: true });
});

/** Running, not a zombie (an orphan's zombie waits for a PID 1 that may never reap it). */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function superviseHelper(options: { plan: Step[]; backoff: Record<string, number>; orphanFile?: string }): Supervised {
  const script = path.join(__dirname, 'support-supervise.mjs');
  const helper = spawn(process.execPath, [script, JSON.stringify({ name: 'crashy', ...options })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  helper.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const spawns: Supervised['spawns'] = [];
  const logs: Supervised['logs'] = [];
  let stopped = false;
  createInterface({ input: helper.stdout }).on('line', (line) => {
    const event = JSON.parse(line) as { spawn?: number; log?: string; stopped?: boolean; at: number };
    if (event.spawn) spawns.push({ pid: event.spawn, at: event.at });
    if (event.log) logs.push({ line: event.log, at: event.at });
    if (event.stopped) stopped = true;
  });
  const exited = new Promise<void>((resolve) => helper.once('exit', () => resolve()));
  const supervised: Supervised = {
    spawns,
    logs,
    helper,
    waitFor: (kind, count, timeoutMs = 15_000) =>
      eventually(() => supervised[kind].length >= count, timeoutMs, `${count} ${kind} (stderr: ${stderr})`),
    stop: async () => {
      const sent = Date.now();
      helper.kill('SIGTERM');
      await exited;
      return { stopped, exitedAfterMs: Date.now() - sent };
    },
  };
  running.push(supervised);
  return supervised;
}

describe('npm start supervision', () => {
  it('when a process keeps crashing, then each restart is logged and waits a doubling delay up to the cap', async () => {
    const supervised = superviseHelper({
      plan: [{ exitAfterMs: 50, code: 3 }],
      backoff: { initialMs: 100, maxMs: 400 },
    });

    await supervised.waitFor('spawns', 5, 30_000);
    await supervised.stop();

    const restarts = supervised.logs.slice(0, 4).map(({ line }) => line);
    expect(restarts).toEqual([
      expect.stringMatching(/^crashy exited \(code 3\) after \S+; restart 1 in 100ms$/),
      expect.stringMatching(/^crashy exited \(code 3\) after \S+; restart 2 in 200ms$/),
      expect.stringMatching(/^crashy exited \(code 3\) after \S+; restart 3 in 400ms$/),
      expect.stringMatching(/^crashy exited \(code 3\) after \S+; restart 4 in 400ms$/),
    ]);
    [100, 200, 400, 400].forEach((delay, i) => {
      expect(supervised.spawns[i + 1]!.at - supervised.logs[i]!.at).toBeGreaterThanOrEqual(delay);
    });
    expect(new Set(supervised.spawns.map(({ pid }) => pid)).size).toBe(supervised.spawns.length);
  });

  it('when a running process is killed with SIGKILL, then a new one takes over, and stopping ends it without a restart', async () => {
    const supervised = superviseHelper({ plan: [{ exitAfterMs: null }], backoff: { initialMs: 100 } });
    await supervised.waitFor('spawns', 1);
    const first = supervised.spawns[0]!.pid;

    process.kill(first, 'SIGKILL');
    await supervised.waitFor('spawns', 2);
    const second = supervised.spawns[1]!.pid;
    const { stopped, exitedAfterMs } = await supervised.stop();

    expect(supervised.logs.map(({ line }) => line)).toEqual([
      expect.stringMatching(/^crashy exited \(signal SIGKILL\) after \S+; restart 1 in 100ms$/),
    ]);
    expect(second).not.toBe(first);
    expect(stopped).toBe(true);
    expect(exitedAfterMs).toBeLessThan(3000);
    expect(isAlive(second)).toBe(false);
    expect(supervised.spawns).toHaveLength(2);
  });

  it('when stopped while a restart is waiting out its backoff, then nothing starts again and the supervisor ends at once', async () => {
    const supervised = superviseHelper({ plan: [{ exitAfterMs: 50, code: 1 }], backoff: { initialMs: 5000 } });
    await supervised.waitFor('logs', 1);

    const { stopped, exitedAfterMs } = await supervised.stop();

    expect(supervised.logs[0]!.line).toMatch(/restart 1 in 5\.0s$/);
    expect(stopped).toBe(true);
    // A restart still scheduled would keep the helper alive past the 5 s backoff and start a second process.
    expect(exitedAfterMs).toBeLessThan(3000);
    expect(supervised.spawns).toHaveLength(1);
  });

  it('when a process stayed up longer than the reset bound, then its next restart waits the initial delay again', async () => {
    const plan = [
      { exitAfterMs: 30, code: 2 },
      { exitAfterMs: 30, code: 2 },
      { exitAfterMs: 4000, code: 2 },
      { exitAfterMs: 30, code: 2 },
    ];
    // Uptime counts from the spawn, node's own start-up included: the bound stays well above that on a busy machine.
    const supervised = superviseHelper({ plan, backoff: { initialMs: 100, maxMs: 5000, resetAfterMs: 3000 } });

    await supervised.waitFor('logs', 4, 30_000);
    await supervised.stop();

    expect(supervised.logs.slice(0, 4).map(({ line }) => line.replace(/.*; /, ''))).toEqual([
      'restart 1 in 100ms',
      'restart 2 in 200ms',
      'restart 1 in 100ms',
      'restart 2 in 200ms',
    ]);
  });

  it('when a restart cannot start the process, then that counts as a crash and it is tried again later', async () => {
    const plan = [{ exitAfterMs: 30, code: 1 }, { fail: 'port 8080 is already in use' }, { exitAfterMs: null }];
    const supervised = superviseHelper({ plan, backoff: { initialMs: 100 } });

    await supervised.waitFor('spawns', 2);
    await supervised.stop();

    expect(supervised.logs.map(({ line }) => line)).toEqual([
      expect.stringMatching(/^crashy exited \(code 1\) after \S+; restart 1 in 100ms$/),
      expect.stringMatching(/^crashy could not start \(port 8080 is already in use\) after \S+; restart 2 in 200ms$/),
    ]);
  });

  it('when a process dies leaving a child of its own behind, then that child is ended before the restart', async () => {
    const orphanFile = path.join(tmp, 'orphan.pid');
    const supervised = superviseHelper({
      plan: [{ exitAfterMs: 300, code: 1, orphan: true }, { exitAfterMs: null }],
      backoff: { initialMs: 100 },
      orphanFile,
    });
    await eventually(
      () => existsSync(orphanFile) && readFileSync(orphanFile, 'utf8') !== '',
      5000,
      'the grandchild pid',
    );
    const orphan = Number(readFileSync(orphanFile, 'utf8'));
    expect(isAlive(orphan)).toBe(true);

    await supervised.waitFor('spawns', 2);
    await supervised.stop();

    await eventually(() => !isAlive(orphan), 2000, `grandchild ${orphan} to end`);
  });
});
