// What each benchmark does around its measurements: the infrastructure up and described, and the stack and its
// throwaway data gone again at the end, on Ctrl-C too.
// Dependencies are installed before this runs (scripts/run.mjs).
import { describeError } from '../lib/errors.js';
import { type Server, ensureNginx, ensurePostgres, ensureRedis, stopInfra } from '../lib/infra.js';
import { step } from '../lib/proc.js';
import { type Stack, type StackOptions, startStack } from '../lib/stack.js';
import { type EnvironmentFacts, environmentFacts, printEnvironment } from './report.js';

/** Like `step`, with `describe(result)` after "ok"; returns the result without that line. */
export async function measuredStep<T extends object>(
  label: string,
  measure: () => Promise<T>,
  describe: (result: T) => string,
): Promise<T> {
  let measured: T | undefined;
  await step(label, async () => {
    measured = await measure();
    return { detail: describe(measured) };
  });
  return measured as T;
}

export interface BenchContext {
  pg: Server;
  redis: Server;
  facts: EnvironmentFacts;
  startStack: (options: StackOptions) => Promise<Stack>;
}

/**
 * Runs `body({ pg, redis, facts, startStack })` once PostgreSQL, Redis and nginx are up. `startStack` calls `tidy`
 * first, so a run never meets the leftovers of an earlier one. Afterwards the stack stops, `tidy` runs again unless
 * `keep`, and the process exits with the code `body` returned (1 if it threw).
 */
export async function runBench(
  { keep, tidy }: { keep: boolean; tidy: (pgUrl: string, redisUrl: string) => Promise<unknown> },
  body: (context: BenchContext) => Promise<number | undefined>,
): Promise<never> {
  // Figures count only on servers run as in production (a private one if need be): PostgreSQL with
  // autovacuum, so the churning tables stay small, and Redis with AOF everysec.
  const pg = await ensurePostgres({ maintained: true });
  const redis = await ensureRedis({ durable: true });
  await ensureNginx();
  const facts = await environmentFacts({ pgUrl: pg.url, redisUrl: redis.url });
  printEnvironment(facts);

  let stack: Stack | undefined;
  const cleanUp = async () => {
    await stack?.stop();
    if (!keep)
      await tidy(pg.url, redis.url).catch((err: unknown) => {
        process.stderr.write(`! cleanup: ${err instanceof Error ? err.message : String(err)}\n`);
      });
    await stopInfra();
  };
  const interrupted = async () => {
    process.stdout.write('\n• interrupted; cleaning up …\n');
    await cleanUp();
    process.exit(130);
  };
  process.once('SIGINT', () => void interrupted());
  process.once('SIGTERM', () => void interrupted());

  let exitCode = 0;
  try {
    const start = async (options: StackOptions) => {
      await tidy(pg.url, redis.url);
      stack = await startStack(options);
      return stack;
    };
    exitCode = (await body({ pg, redis, facts, startStack: start })) ?? 0;
  } catch (err) {
    process.stderr.write(`\n✗ ${describeError(err)}\n`);
    exitCode = 1;
  }
  await cleanUp();
  process.exit(exitCode);
}
