// `npm run bench`: the order pipeline at increasing rates, its PostgreSQL and Redis ceilings, and the
// catalog beside a bare Node server, all through nginx on 127.0.0.1. Settings: docs/benchmarks.md.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatCatalog, measureCatalog } from './bench/catalog-part.js';
import { measurePgbench, measureRedisXadd } from './bench/ceilings.js';
import { type GroupMatch, createCpuSampler, postgresProcessIsOurs } from './bench/cpu.js';
import { type BenchContext, measuredStep, runBench } from './bench/harness.js';
import { createClient } from './bench/http-client.js';
import { orderPipeline, printOrderResults } from './bench/order-pipeline.js';
import { durabilitySettings, heading, printDurability, table, writeResults } from './bench/report.js';
import { seedMarket } from './bench/seed.js';
import { type BenchResults, type Target } from './bench/target.js';
import { type BenchSettings, readBenchSettings } from './bench/settings.js';
import { rate } from './bench/stats.js';
import { formatDuration, repoRoot } from './lib/proc.js';
import { type Stack, databaseNames, databaseUrl, dropStackData } from './lib/stack.js';

const runStarted = performance.now();
const elapsedSeconds = () => (performance.now() - runStarted) / 1000;

/** Throwaway databases and stream keys of the bench stack; never those of a stack the caller named. */
async function tidy(s: BenchSettings, pgUrl: string, redisUrl: string): Promise<void> {
  if (s.external) return;
  await dropStackData(pgUrl, redisUrl, { dbSuffix: s.dbSuffix, streamSuffix: s.streamSuffix });
}

/** Processes whose CPU time each step reports: the bench stack's own, PostgreSQL, Redis and this generator. */
function cpuGroups(s: BenchSettings, stack: Stack | undefined): Record<string, GroupMatch> {
  const groups: Record<string, GroupMatch> = {};
  for (const svc of stack?.services ?? []) if (svc.pid) groups[svc.group] = svc.pid;
  const pidFile = stack ? path.join(stack.nginx.prefix, 'nginx.pid') : '';
  if (pidFile && existsSync(pidFile)) groups.nginx = { parent: Number(readFileSync(pidFile, 'utf8').trim()) };
  // PostgreSQL's shared processes (postmaster, WAL writer, checkpointer, autovacuum …) and the
  // backends of this run's databases; sessions of other databases on the same server are not ours.
  const ours = new Set(Object.values(databaseNames(s.dbSuffix)));
  groups.postgres = (stat) => stat.comm === 'postgres' && postgresProcessIsOurs(stat.pid, ours);
  groups.redis = (stat) => stat.comm.startsWith('redis-server');
  groups.generator = process.pid;
  return groups;
}

async function main(): Promise<void> {
  const s = readBenchSettings();
  process.stdout.write(
    `Benchmark: order pipeline, ceilings and catalog (bounded to ${formatDuration(s.deadlineSeconds * 1000)})\n`,
  );
  await runBench({ keep: s.keep, tidy: (pgUrl, redisUrl) => tidy(s, pgUrl, redisUrl) }, (run) => benchmark(s, run));
}

/** The parts BENCH_SKIP leaves in, then the results; returns the exit code. */
async function benchmark(s: BenchSettings, { pg, redis, facts, startStack }: BenchContext): Promise<number> {
  const durability = await durabilitySettings({ pgUrl: pg.url, redisUrl: redis.url });
  const results: BenchResults = {
    kind: 'bench',
    environment: Object.assign(facts, { durability }),
    settings: { ...s, skip: [...s.skip] },
  };
  printDurability(durability);
  let exitCode = 0;
  let stack: Stack | undefined;
  let front: { url: string; nginx: Target['nginx'] };
  const dbs = databaseNames(s.dbSuffix);
  if (s.external) {
    front = { url: s.external.replace(/\/$/, ''), nginx: null };
    process.stdout.write(`• using the running stack at ${front.url} (databases ${Object.values(dbs).join(', ')})\n`);
  } else {
    stack = await startStack({
      port: s.port,
      dbSuffix: s.dbSuffix,
      streamSuffix: s.streamSuffix,
      demo: false,
      // BENCH_CPU_PROFILE_DIR: each service and worker writes a V8 CPU profile there when the run ends.
      cpuProfileDir: s.cpuProfileDir,
      logDir: path.join(repoRoot, '.local', 'logs', 'bench'),
      build: s.build,
      loginRate: '6000r/m',
      loginBurst: 1000,
      // The seed signs every buyer up from this one address.
      signupRate: '6000r/m',
      signupBurst: 1000,
      refreshRate: '6000r/m',
      refreshBurst: 1000,
      authLimits: { SIGNUP_RATE_LIMIT_PER_IP: 100_000, REFRESH_RATE_LIMIT_PER_IP: 100_000 },
      // Every followed order holds an event stream from 127.0.0.1: lift the per-address cap.
      eventStreams: 1000,
      onServiceExit: (name, code) =>
        process.stderr.write(
          `\n✗ ${name} stopped during the benchmark (${String(code)}); the figures below are not valid\n`,
        ),
    });
    front = { url: stack.url, nginx: stack.nginx };
  }
  const target: Target = {
    ...front,
    cpu: createCpuSampler(cpuGroups(s, stack)),
    ordersUrl: databaseUrl(pg.url, dbs.orders),
    productsUrl: databaseUrl(pg.url, dbs.products),
    streams: [`orders_stream${s.streamSuffix}`, `inventory_stream${s.streamSuffix}`],
    redisUrl: redis.url,
  };

  // Accounts are verified through the mail catcher, as users verify theirs.
  const mailUrl = stack?.mail?.webUrl ?? s.externalMailUrl;
  if (!mailUrl) throw new Error('BENCH_MAIL_URL is needed with BENCH_URL: the accounts verify their address by mail');
  const seedClient = createClient(target.url, { maxSockets: 16 });
  const market = await measuredStep(
    `seeding ${s.products} products and ${s.buyers} buyers through the API`,
    () => seedMarket(seedClient, { buyers: s.buyers, products: s.products, stock: s.stock, mailUrl }),
    (m) => `run ${m.runId}`,
  );
  await seedClient.close();

  if (!s.skip.has('ceilings')) {
    heading('Ceilings');
    const ceilings: NonNullable<BenchResults['ceilings']> = {};
    results.ceilings = ceilings;
    const suffix = s.dbSuffix || '_bench';
    ceilings.pgbench = await measuredStep(
      `pgbench: one order = 3 commits, ${s.pgbenchClients} clients, ${s.pgbenchSeconds}s`,
      () =>
        measurePgbench({
          adminUrl: pg.url,
          suffix,
          products: s.products,
          clients: s.pgbenchClients,
          threads: s.pgbenchThreads,
          seconds: s.pgbenchSeconds,
        }),
      (r) => `${rate(r.ordersPerSecond)} orders/s, ${r.latencyMs} ms per order`,
    );
    ceilings.redis = await measuredStep(
      `redis-benchmark XADD, ${s.redisClients} clients, ${s.redisRequests} requests`,
      () => measureRedisXadd({ redisUrl: redis.url, suffix, clients: s.redisClients, requests: s.redisRequests }),
      (r) => `${rate(r.xaddPerSecond)} XADD/s, p99 ${r.p99Ms} ms`,
    );
  }

  if (!s.skip.has('catalog')) {
    heading('Catalog through nginx');
    const { nginx } = target;
    if (!nginx) process.stdout.write('• skipped: the bare-server comparison needs the bench stack (unset BENCH_URL)\n');
    else results.catalog = await measureCatalog(s, { ...target, nginx }, market);
  }
  // The orders placed beside the catalog are checked with the others (or alone, when the order parts are skipped).
  const sideOrders = [results.catalog?.orders.catalog, results.catalog?.orders.bare].filter((o) => o != null);

  if (!s.skip.has('orders') || !s.skip.has('burst') || sideOrders.length > 0) {
    const directUrl = stack?.services.find((svc) => svc.api === 'orders' && !svc.worker)?.url ?? null;
    const run = await orderPipeline(s, target, market, {
      results,
      redisUrl: redis.url,
      directUrl,
      budgetLeft: () => s.deadlineSeconds - elapsedSeconds() - s.drainSeconds - 15,
      earlier: {
        accepted: sideOrders.reduce((n, o) => n + o.accepted, 0),
        uncertain: sideOrders.reduce((n, o) => n + o.uncertain, 0),
      },
    });
    heading('Results');
    printOrderResults(results, run);
  }
  if (results.catalog) process.stdout.write(formatCatalog(results.catalog, table));
  if (results.correctness) {
    process.stdout.write(
      `\nCorrectness\n${results.correctness.checks.map((c) => `  ${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`).join('\n')}\n`,
    );
    if (!results.correctness.ok) exitCode = 1;
  }
  results.durationSeconds = Math.round(elapsedSeconds());
  process.stdout.write(
    `\nResults written to ${writeResults('bench', results)} (run took ${formatDuration(Math.round(elapsedSeconds() * 1000))})\n`,
  );
  if (exitCode)
    process.stderr.write(
      '\n✗ CORRECTNESS CHECK FAILED — the figures above describe a pipeline that lost or broke orders.\n',
    );
  return exitCode;
}

await main();
