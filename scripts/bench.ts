// `npm run bench`: the order pipeline at increasing rates, its PostgreSQL and Redis ceilings, and the
// catalog beside a bare Node server, all through nginx on 127.0.0.1. Settings: docs/benchmarks.md.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { closedLoop, routeBareThroughNginx, startBareServer, BARE_PATH } from './bench/catalog-nginx.js';
import { measurePgbench, measureRedisXadd } from './bench/ceilings.js';
import { createCpuSampler } from './bench/cpu.js';
import { measuredStep, runBench } from './bench/harness.js';
import { createClient } from './bench/http-client.js';
import { orderPipeline, printOrderResults } from './bench/order-pipeline.js';
import { durabilitySettings, heading, printDurability, table, writeResults } from './bench/report.js';
import { seedMarket } from './bench/seed.js';
import { envFlag, envNumber, envNumbers, envText } from './bench/settings.js';
import { ms, percent, rate, ratio } from './bench/stats.js';
import { SetupError, formatDuration, repoRoot } from './lib/proc.js';
import { databaseNames, databaseUrl, dropStackData } from './lib/stack.js';

const runStarted = performance.now();
const elapsedSeconds = () => (performance.now() - runStarted) / 1000;

function readSettings() {
  const external = envText('BENCH_URL', '');
  const suffix = external ? '' : '_bench';
  return {
    external,
    port: envNumber('BENCH_PORT', 8097, { min: 1, max: 65535 }),
    dbSuffix: envText('BENCH_DB_SUFFIX', suffix, /^[a-z0-9_]*$/),
    streamSuffix: envText('BENCH_STREAM_SUFFIX', suffix, /^[a-z0-9_]*$/),
    build: envFlag('BENCH_BUILD', true),
    keep: envFlag('BENCH_KEEP', false),
    skip: new Set(
      envText('BENCH_SKIP', '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    deadlineSeconds: envNumber('BENCH_DEADLINE_SECONDS', 570, { min: 30 }),
    buyers: envNumber('BENCH_BUYERS', 50, { min: 1, max: 10_000 }),
    products: envNumber('BENCH_PRODUCTS', 100, { min: 1, max: 10_000 }),
    stock: envNumber('BENCH_STOCK', 1_000_000, { min: 1000, max: 1_000_000 }),
    rates: envNumbers('BENCH_RATES', [25, 50, 75, 100, 150, 200, 300, 400, 600, 800], { min: 1, max: 100_000 }),
    stepSeconds: envNumber('BENCH_STEP_SECONDS', 20, { min: 1, max: 600 }),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 5, { min: 0, max: 120 }),
    maxInFlight: envNumber('BENCH_MAX_IN_FLIGHT', 256, { min: 1, max: 10_000 }),
    followMax: envNumber('BENCH_FOLLOW_MAX', 300, { min: 0, max: 10_000 }),
    pollMs: envNumber('BENCH_POLL_MS', 100, { min: 10, max: 10_000 }),
    stepDrainSeconds: envNumber('BENCH_STEP_DRAIN_SECONDS', 30, { min: 1, max: 600 }),
    drainSeconds: envNumber('BENCH_DRAIN_SECONDS', 60, { min: 1, max: 600 }),
    stopAfterSaturated: envNumber('BENCH_STOP_AFTER_SATURATED', 1, { min: 1, max: 100 }),
    pgbenchSeconds: envNumber('BENCH_PGBENCH_SECONDS', 15, { min: 1, max: 600 }),
    pgbenchClients: envNumber('BENCH_PGBENCH_CLIENTS', 8, { min: 1, max: 1000 }),
    pgbenchThreads: envNumber('BENCH_PGBENCH_THREADS', os.cpus().length, { min: 1, max: 256 }),
    redisRequests: envNumber('BENCH_REDIS_REQUESTS', 100_000, { min: 1000, max: 10_000_000 }),
    redisClients: envNumber('BENCH_REDIS_CLIENTS', 50, { min: 1, max: 10_000 }),
    catalogSeconds: envNumber('BENCH_CATALOG_SECONDS', 10, { min: 1, max: 600 }),
    catalogConnections: envNumber('BENCH_CATALOG_CONNECTIONS', 16, { min: 1, max: 1000 }),
    cpuProfileDir: envText('BENCH_CPU_PROFILE_DIR', '')
      ? path.resolve(envText('BENCH_CPU_PROFILE_DIR', ''))
      : undefined,
    burstConnections: envNumber('BENCH_BURST_CONNECTIONS', 16, { min: 1, max: 1000 }),
    burstSeconds: envNumber('BENCH_BURST_SECONDS', 20, { min: 1, max: 600 }),
  };
}

/** Throwaway databases and stream keys of the bench stack; never those of a stack the caller named. */
async function tidy(s, pgUrl, redisUrl) {
  if (s.external) return;
  await dropStackData(pgUrl, redisUrl, { dbSuffix: s.dbSuffix, streamSuffix: s.streamSuffix });
}

async function measureCatalog(s, target) {
  const client = createClient(target.url, { maxSockets: s.catalogConnections });
  const catalogPath = '/api/products?page=1&pageSize=20';
  const first = await client.request('GET', catalogPath);
  if (first.status !== 200)
    throw new SetupError(`GET ${catalogPath} answered ${first.status}: ${first.body?.slice(0, 200)}`);
  const bare = await startBareServer(first.body);
  try {
    await routeBareThroughNginx(target.nginx, target.url, bare.port);
    await closedLoop(client, catalogPath, { connections: s.catalogConnections, seconds: 2 }); // warm-up
    const load = (requestPath) => () =>
      closedLoop(client, requestPath, { connections: s.catalogConnections, seconds: s.catalogSeconds });
    const describe = (r) => `${rate(r.perSecond)} req/s, p99 ${ms(r.p99)}`;
    const catalog = await measuredStep(
      `catalog page ×${s.catalogConnections} connections, ${s.catalogSeconds}s`,
      load(catalogPath),
      describe,
    );
    const floor = await measuredStep(
      `bare Node server, same ${first.body.length} bytes, same nginx`,
      load(BARE_PATH),
      describe,
    );
    return {
      path: catalogPath,
      bytes: first.body.length,
      connections: s.catalogConnections,
      seconds: s.catalogSeconds,
      catalog,
      bare: floor,
      ratio: ratio(catalog.perSecond, floor.perSecond),
    };
  } finally {
    await bare.close();
    client.close();
  }
}

/** Processes whose CPU time each step reports: the bench stack's own, PostgreSQL, Redis and this generator. */
function cpuGroups(stack) {
  const groups = {};
  for (const svc of stack?.services ?? []) groups[svc.group ?? svc.api] = svc.pid;
  const pidFile = stack ? path.join(stack.nginx.prefix, 'nginx.pid') : '';
  if (pidFile && existsSync(pidFile)) groups.nginx = { parent: Number(readFileSync(pidFile, 'utf8').trim()) };
  groups.postgres = (stat) => stat.comm === 'postgres';
  groups.redis = (stat) => stat.comm.startsWith('redis-server');
  groups.generator = process.pid;
  return groups;
}

async function main() {
  const s = readSettings();
  process.stdout.write(
    `Benchmark: order pipeline, ceilings and catalog (bounded to ${formatDuration(s.deadlineSeconds * 1000)})\n`,
  );
  await runBench({ keep: s.keep, tidy: (pgUrl, redisUrl) => tidy(s, pgUrl, redisUrl) }, (run) => benchmark(s, run));
}

/** The parts BENCH_SKIP leaves in, then the results; returns the exit code. */
async function benchmark(s, { pg, redis, facts, startStack }) {
  const results = { kind: 'bench', environment: facts, settings: { ...s, skip: [...s.skip] } };
  facts.durability = await durabilitySettings({ pgUrl: pg.url, redisUrl: redis.url });
  printDurability(facts.durability);
  let exitCode = 0;
  let stack;
  let target;
  const dbs = databaseNames(s.dbSuffix);
  if (s.external) {
    target = { url: s.external.replace(/\/$/, ''), nginx: null };
    process.stdout.write(`• using the running stack at ${target.url} (databases ${Object.values(dbs).join(', ')})\n`);
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
      // Every followed order holds an event stream from 127.0.0.1: lift the per-address cap.
      eventStreams: 1000,
      onServiceExit: (name, code) =>
        process.stderr.write(`\n✗ ${name} stopped during the benchmark (${code}); the figures below are not valid\n`),
    });
    target = { url: stack.url, nginx: stack.nginx };
  }
  target.cpu = createCpuSampler(cpuGroups(stack));
  target.ordersUrl = databaseUrl(pg.url, dbs.orders);
  target.productsUrl = databaseUrl(pg.url, dbs.products);
  const streams = [`orders_stream${s.streamSuffix}`, `inventory_stream${s.streamSuffix}`];
  Object.assign(target, { streams, redisUrl: redis.url });

  const seedClient = createClient(target.url, { maxSockets: 16 });
  const market = await measuredStep(
    `seeding ${s.products} products and ${s.buyers} buyers through the API`,
    () => seedMarket(seedClient, { buyers: s.buyers, products: s.products, stock: s.stock }),
    (m) => `run ${m.runId}`,
  );
  seedClient.close();

  if (!s.skip.has('ceilings')) {
    heading('Ceilings');
    results.ceilings = {};
    const suffix = s.dbSuffix || '_bench';
    results.ceilings.pgbench = await measuredStep(
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
    results.ceilings.redis = await measuredStep(
      `redis-benchmark XADD, ${s.redisClients} clients, ${s.redisRequests} requests`,
      () => measureRedisXadd({ redisUrl: redis.url, suffix, clients: s.redisClients, requests: s.redisRequests }),
      (r) => `${rate(r.xaddPerSecond)} XADD/s, p99 ${r.p99Ms} ms`,
    );
  }

  if (!s.skip.has('catalog')) {
    heading('Catalog through nginx');
    if (!target.nginx)
      process.stdout.write('• skipped: the bare-server comparison needs the bench stack (unset BENCH_URL)\n');
    else results.catalog = await measureCatalog(s, target);
  }

  if (!s.skip.has('orders') || !s.skip.has('burst')) {
    const directUrl = stack?.services.find((svc) => svc.api === 'orders' && !svc.worker)?.url ?? null;
    const run = await orderPipeline(s, target, market, {
      results,
      redisUrl: redis.url,
      directUrl,
      budgetLeft: () => s.deadlineSeconds - elapsedSeconds() - s.drainSeconds - 15,
    });
    heading('Results');
    printOrderResults(results, run);
  }
  if (results.catalog) {
    const c = results.catalog;
    process.stdout.write(
      `\nCatalog (${c.connections} connections, ${c.seconds}s each, ${c.bytes}-byte body)\n${table(
        ['through nginx', 'req/s', 'p50', 'p99', 'errors'],
        [
          [`GET ${c.path}`, rate(c.catalog.perSecond), ms(c.catalog.p50), ms(c.catalog.p99), String(c.catalog.errors)],
          [
            `bare Node server (${BARE_PATH})`,
            rate(c.bare.perSecond),
            ms(c.bare.p50),
            ms(c.bare.p99),
            String(c.bare.errors),
          ],
        ],
      )}\ncatalog ÷ bare: ${percent(c.ratio)} of the floor's throughput\n`,
    );
  }
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
