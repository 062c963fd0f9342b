// What a chaos run and a soak do around their load: the backend built, PostgreSQL found, a private
// Redis started in a temporary folder, and everything stopped and dropped again, on Ctrl-C too.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeError } from '../lib/errors.js';
import { type Server, ensurePostgres } from '../lib/infra.js';
import { repoRoot, run, step } from '../lib/proc.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

/** What a run stops at its end. */
export interface Stoppable {
  stop: (options: { keepData: boolean }) => Promise<void>;
}

export interface RunContext {
  runId: string;
  dir: string;
  pgAdmin: Server;
  redis: RedisServer;
  setSystem: (system: Stoppable) => void;
  started: number;
}

/** The fields every run's report has; the run fills the rest. */
export interface RunReport {
  ok: boolean;
  error?: string;
  runId?: string;
  dir?: string;
  seconds?: number;
}

const activeRuns = new Set<() => Promise<void>>();

/** Stops the processes, Redis and databases of runs still going (Ctrl-C). */
export async function abortRuns(): Promise<void> {
  await Promise.all([...activeRuns].map((stop) => stop()));
}

async function buildBackend(log: (line: string) => void): Promise<void> {
  await step('building the backend (tsc -b)', async () => {
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    const res = await run(process.execPath, [tsc, '-b', 'backend/tsconfig.json'], { capture: true });
    // A type error elsewhere still leaves the entries emitted; startSystem refuses missing ones.
    if (res.code !== 0) log(`  tsc reported problems:\n${(res.stdout || res.stderr).slice(0, 3000)}`);
  });
}

/**
 * Runs `body({ runId, dir, pgAdmin, redis, setSystem })` with the infrastructure up; `setSystem(system)`
 * hands over what to stop at the end. Fills report.error (a setup problem or a crash of the run itself)
 * and report.seconds; removes the run's folder when report.ok and not `keep`.
 */
export async function withRun<R extends RunReport>(
  {
    kind,
    build,
    keep,
    redisMaxmemory,
    log,
  }: { kind: string; build: boolean; keep: boolean; redisMaxmemory: number | null; log: (line: string) => void },
  report: R,
  body: (context: RunContext) => Promise<void>,
): Promise<R> {
  const started = Date.now();
  const runId = `${kind}_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), `${kind}-`));
  Object.assign(report, { runId, dir });
  let system: Stoppable | undefined;
  let redis: RedisServer | undefined;
  let stopped: Promise<void> | undefined;
  const stopAll = () => {
    stopped ??= (async () => {
      await system?.stop({ keepData: keep });
      await redis?.stop();
    })();
    return stopped;
  };
  activeRuns.add(stopAll);
  try {
    if (build) await buildBackend(log);
    const pgAdmin = await ensurePostgres();
    const server = await step(
      `private Redis (AOF everysec, noeviction, maxmemory ${redisMaxmemory || 'none'})`,
      async () => {
        const r = await startRedisServer({ dir: path.join(dir, 'redis'), maxmemory: redisMaxmemory });
        return Object.assign(r, { detail: r.url });
      },
    );
    redis = server;
    const setSystem = (s: Stoppable) => {
      system = s;
    };
    await body({ runId, dir, pgAdmin, redis: server, setSystem, started });
  } catch (error) {
    report.ok = false;
    report.error = describeError(error);
  } finally {
    report.seconds = (Date.now() - started) / 1000;
    await stopAll();
    activeRuns.delete(stopAll);
    if (report.ok && !keep) rmSync(dir, { recursive: true, force: true });
  }
  return report;
}
