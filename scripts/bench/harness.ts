// What each benchmark does around its measurements: the infrastructure up and described, and the stack and its
// throwaway data gone again at the end, on Ctrl-C too.
import { ensureDeps } from '../lib/ensure-deps.js';
import { ensureNginx, ensurePostgres, ensureRedis, stopInfra } from '../lib/infra.js';
import { SetupError, step } from '../lib/proc.js';
import { startStack } from '../lib/stack.js';
import { environmentFacts, printEnvironment } from './report.js';

/** Like `step`, with `describe(result)` after "ok"; returns the result without that line. */
export async function measuredStep(label, measure, describe) {
  const result = await step(label, async () => {
    const r = await measure();
    return Object.assign(r, { detail: describe(r) });
  });
  delete result.detail;
  return result;
}

/**
 * Runs `body({ pg, redis, facts, startStack })` once PostgreSQL, Redis and nginx are up. `startStack` calls `tidy`
 * first, so a run never meets the leftovers of an earlier one. Afterwards the stack stops, `tidy` runs again unless
 * `keep`, and the process exits with the code `body` returned (1 if it threw).
 */
export async function runBench({ keep, tidy }, body) {
  await ensureDeps();
  const pg = await ensurePostgres();
  // Figures count only with production's durability: Redis with AOF everysec (a private one if need be).
  const redis = await ensureRedis({ durable: true });
  await ensureNginx();
  const facts = await environmentFacts({ pgUrl: pg.url, redisUrl: redis.url });
  printEnvironment(facts);

  let stack;
  const cleanUp = async () => {
    await stack?.stop();
    if (!keep) await tidy(pg.url, redis.url).catch((err) => process.stderr.write(`! cleanup: ${err.message}\n`));
    await stopInfra();
  };
  const interrupted = async () => {
    process.stdout.write('\n• interrupted; cleaning up …\n');
    await cleanUp();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  let exitCode = 0;
  try {
    const start = async (options) => {
      await tidy(pg.url, redis.url);
      stack = await startStack(options);
      return stack;
    };
    exitCode = (await body({ pg, redis, facts, startStack: start })) ?? 0;
  } catch (err) {
    process.stderr.write(`\n✗ ${err instanceof SetupError ? err.message : (err.stack ?? err)}\n`);
    exitCode = 1;
  }
  await cleanUp();
  process.exit(exitCode);
}
