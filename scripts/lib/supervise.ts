// Keeps a process of `npm start` running: when it dies it is started again after a backoff, so one
// crash does not take the marketplace offline; only stop() ends it for good.
import { type ChildProcess } from 'node:child_process';
import { formatDuration, waitForExit } from './proc.js';

export interface Backoff {
  initialMs: number;
  maxMs: number;
  resetAfterMs: number;
}

/** 0.5 s doubling to 30 s; a process that stayed up a minute starts again from 0.5 s. */
const DEFAULT_BACKOFF: Readonly<Backoff> = Object.freeze({ initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 });

/** The wait before restart number `attempt` (1, 2, …) after crashes in a row. */
const backoffDelay = (attempt: number, { initialMs, maxMs }: Pick<Backoff, 'initialMs' | 'maxMs'>): number =>
  Math.min(maxMs, initialMs * 2 ** (attempt - 1));

const describeExit = (code: number | null, signal: NodeJS.Signals | null): string =>
  signal ? `signal ${signal}` : `code ${code}`;

/** Ends what is left of a dead child's process group (nginx workers outlive a killed master and keep its port). */
function clearGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group ended with its leader
  }
}

/**
 * Watches `child` (spawned detached at `startedAt`, so it leads its own process group) and, whenever the current
 * process exits, calls `respawn()` (sync or async, returning the new ChildProcess) after the backoff.
 * Every restart is announced with one `log(line)`: "products-service exited (signal SIGKILL) after 5.2s;
 * restart 1 in 500ms". A respawn that throws counts as a crash and is tried again later.
 * `onSpawn(child)` sees each new process. stop() cancels a pending restart and ends the current process.
 */
export interface SuperviseOptions {
  name: string;
  child: ChildProcess;
  startedAt?: number;
  respawn: () => ChildProcess | Promise<ChildProcess>;
  log: (line: string) => void;
  onSpawn?: (child: ChildProcess) => void;
  backoff?: Partial<Backoff>;
}

export interface Supervisor {
  readonly child: ChildProcess;
  stop(options?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<void>;
}

export function supervise({
  name,
  child,
  startedAt: childStartedAt = Date.now(),
  respawn,
  log,
  onSpawn = () => {},
  backoff = {},
}: SuperviseOptions): Supervisor {
  const { initialMs, maxMs, resetAfterMs } = { ...DEFAULT_BACKOFF, ...backoff };
  let current = child;
  let startedAt = childStartedAt;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let spawning: Promise<void> | undefined;
  let stopped = false;

  const scheduleRestart = (why: string) => {
    if (Date.now() - startedAt >= resetAfterMs) attempt = 0;
    attempt += 1;
    const delay = backoffDelay(attempt, { initialMs, maxMs });
    log(
      `${name} ${why} after ${formatDuration(Date.now() - startedAt)}; restart ${attempt} in ${formatDuration(delay)}`,
    );
    timer = setTimeout(restart, delay);
  };

  const watch = (proc: ChildProcess) => {
    const exited = (code: number | null, signal: NodeJS.Signals | null) => {
      if (stopped || proc !== current) return;
      clearGroup(proc.pid);
      scheduleRestart(`exited (${describeExit(code, signal)})`);
    };
    if (proc.exitCode !== null || proc.signalCode !== null) exited(proc.exitCode, proc.signalCode);
    else proc.once('exit', exited);
  };

  const restart = (): void => {
    timer = undefined;
    startedAt = Date.now();
    spawning = (async () => {
      try {
        current = await respawn();
      } catch (err) {
        if (!stopped)
          scheduleRestart(`could not start (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
        return;
      } finally {
        spawning = undefined;
      }
      if (stopped) return; // stop() waits for this spawn, then ends the new process
      onSpawn(current);
      watch(current);
    })();
  };

  watch(current);

  return {
    get child() {
      return current;
    },
    /** Ends supervision: no restart after this, the current process gets `signal` (SIGKILL after `timeoutMs`). */
    async stop({ signal = 'SIGTERM', timeoutMs = 15_000 } = {}) {
      stopped = true;
      clearTimeout(timer);
      await spawning;
      await waitForExit(current, timeoutMs, signal);
    },
  };
}
