// What a chaos run and a soak do around their load: the backend built, PostgreSQL found, a private
// Redis started in a temporary folder, and everything stopped and dropped again, on Ctrl-C too.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensurePostgres } from '../lib/infra.js';
import { SetupError, repoRoot, run, step } from '../lib/proc.js';
import { startRedisServer } from './redis-server.js';

const activeRuns = new Set();

/** Stops the processes, Redis and databases of runs still going (Ctrl-C). */
export async function abortRuns() {
  await Promise.all([...activeRuns].map((stop) => stop()));
}

async function buildBackend(log) {
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
export async function withRun({ kind, build, keep, redisMaxmemory, log }, report, body) {
  const started = Date.now();
  const runId = `${kind}_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), `${kind}-`));
  Object.assign(report, { runId, dir });
  let system;
  let redis;
  let stopped;
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
    redis = await step(`private Redis (AOF everysec, noeviction, maxmemory ${redisMaxmemory || 'none'})`, async () => {
      const r = await startRedisServer({ dir: path.join(dir, 'redis'), maxmemory: redisMaxmemory });
      return Object.assign(r, { detail: r.url });
    });
    await body({ runId, dir, pgAdmin, redis, setSystem: (s) => (system = s), started });
  } catch (error) {
    report.ok = false;
    report.error = error instanceof SetupError ? error.message : (error.stack ?? String(error));
  } finally {
    report.seconds = (Date.now() - started) / 1000;
    await stopAll();
    activeRuns.delete(stopAll);
    if (report.ok && !keep) rmSync(dir, { recursive: true, force: true });
  }
  return report;
}
