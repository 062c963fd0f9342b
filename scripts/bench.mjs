// `npm run bench`: the order pipeline at increasing rates, its PostgreSQL and Redis ceilings, and the
// catalog beside a bare Node server, all through nginx on 127.0.0.1. Settings: docs/benchmarks.md.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { closedLoop, routeBareThroughNginx, startBareServer, BARE_PATH } from './bench/catalog-nginx.mjs';
import { measurePgbench, measureRedisXadd } from './bench/ceilings.mjs';
import { createCpuSampler, formatCores } from './bench/cpu.mjs';
import { measuredStep, runBench } from './bench/harness.mjs';
import { createClient } from './bench/http-client.mjs';
import { completedBetween, drain, pipelineBacklog, verifyPipeline } from './bench/order-checks.mjs';
import { createTracker, errorCount, runStep } from './bench/order-load.mjs';
import { heading, table, writeResults } from './bench/report.mjs';
import { seedMarket } from './bench/seed.mjs';
import { envFlag, envNumber, envNumbers, envText } from './bench/settings.mjs';
import { ms, percent, rate, ratio } from './bench/stats.mjs';
import { SetupError, formatDuration, repoRoot, sleep } from './lib/proc.mjs';
import { databaseNames, databaseUrl, dropStackData } from './lib/stack.mjs';

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

function stepSummary(r, completedPerSecond, backlog) {
  const placedPerSecond = r.accepted / r.seconds;
  const queued = Object.values(backlog).reduce((n, v) => n + (v ?? 0), 0);
  const sustained =
    placedPerSecond >= 0.95 * r.target &&
    completedPerSecond >= 0.9 * placedPerSecond &&
    // A queue that grew past one second of orders by the end of the step would keep growing.
    queued <= r.target &&
    r.drained &&
    errorCount(r.errors) <= 0.01 * r.attempted;
  return {
    target: r.target,
    seconds: Math.round(r.seconds * 10) / 10,
    attempted: r.attempted,
    accepted: r.accepted,
    skipped: r.skipped,
    errors: r.errors,
    placedPerSecond,
    completedPerSecond,
    post: r.post.summary(),
    toCompleted: r.toFinal.summary(),
    final: r.final,
    untracked: r.untracked,
    drainedInSeconds: r.drainedInSeconds,
    sustained,
  };
}

async function runOrderSteps(s, target, market) {
  const client = createClient(target.url, { maxSockets: s.maxInFlight + 16 });
  const tracker = createTracker(client, {
    maxStreams: s.followMax,
    pollMs: s.pollMs,
    timeoutMs: (s.stepSeconds + s.stepDrainSeconds) * 1000,
  });
  const buyerIds = market.buyers.map((b) => b.id);
  const counter = { next: 0 };
  const steps = [];
  let accepted = 0;
  let uncertain = 0; // requests without an answer (timeouts, 502/504): the order may or may not exist
  let saturated = 0;
  const budgetLeft = () => s.deadlineSeconds - elapsedSeconds() - s.drainSeconds - 15;

  const oneStep = async (rateTarget, seconds, label) => {
    const cpuBefore = target.cpu.snapshot();
    const r = await runStep({
      client,
      tracker,
      market,
      rate: rateTarget,
      seconds,
      maxInFlight: s.maxInFlight,
      label,
      counter,
    });
    accepted += r.accepted;
    uncertain += errorCount(r.errors, (kind) => !/^HTTP 4/.test(kind));
    const cpu = target.cpu.coresBetween(cpuBefore, target.cpu.snapshot());
    const backlog = await pipelineBacklog(target);
    const drained = await drain(target.ordersUrl, buyerIds, s.stepDrainSeconds * 1000, (pending) =>
      process.stdout.write(`  ${label} draining: ${pending} PENDING\n`),
    );
    // Followed orders end with the drain; if it timed out, do not let stragglers stretch the run.
    const settled = await Promise.race([r.settled(), sleep(5000).then(() => ({ untracked: null }))]);
    Object.assign(r, {
      drained: drained.pending === 0,
      drainedInSeconds: drained.waitedMs / 1000,
      untracked: settled.untracked,
    });
    // The pipeline starts each step empty: completions are counted once it has filled (after a quarter of the step, at most 5s).
    const fillSeconds = Math.min(r.seconds / 4, 5);
    const from = new Date(r.wallStart.getTime() + fillSeconds * 1000);
    const completed = await completedBetween(target.ordersUrl, buyerIds, from, r.wallEnd);
    return { ...stepSummary(r, completed / (r.seconds - fillSeconds), backlog), cpu, backlog };
  };

  try {
    if (s.warmupSeconds > 0) {
      await measuredStep(
        `warm-up at ${s.rates[0]} orders/s for ${s.warmupSeconds}s`,
        () => oneStep(s.rates[0], s.warmupSeconds, '[warm-up]'),
        (w) => `${w.accepted} placed, POST p50 ${ms(w.post.p50)}, to COMPLETED p50 ${ms(w.toCompleted.p50)}`,
      );
    }
    for (const rateTarget of s.rates) {
      if (budgetLeft() < s.stepSeconds + s.stepDrainSeconds) {
        process.stdout.write(
          `• stopping the ramp before ${rateTarget}/s: the run must end within ${formatDuration(s.deadlineSeconds * 1000)}\n`,
        );
        break;
      }
      process.stdout.write(`• step ${rateTarget} orders/s for ${s.stepSeconds}s\n`);
      const summary = await oneStep(rateTarget, s.stepSeconds, `[${rateTarget}/s]`);
      steps.push(summary);
      process.stdout.write(
        `  → placed ${rate(summary.placedPerSecond)}/s, completed ${rate(summary.completedPerSecond)}/s, POST p50/p99 ${ms(summary.post.p50)}/${ms(summary.post.p99)}, ` +
          `to COMPLETED p50/p99 ${ms(summary.toCompleted.p50)}/${ms(summary.toCompleted.p99)}${summary.sustained ? '' : '  (not sustained)'}\n` +
          `    CPU cores: ${formatCores(summary.cpu)}\n` +
          `    waiting at the end of the step: ${formatBacklog(summary.backlog)}\n`,
      );
      if (!summary.sustained && ++saturated >= s.stopAfterSaturated) break;
    }
  } finally {
    client.close();
  }
  return { steps, accepted, uncertain, trackerModes: tracker.modes };
}

const formatBacklog = (b) =>
  `orders outbox ${b.ordersOutbox ?? '?'} → orders_stream (group products) ${b.ordersStream ?? '?'} → ` +
  `products outbox ${b.productsOutbox ?? '?'} → inventory_stream (group orders) ${b.inventoryStream ?? '?'}`;

/** Processes whose CPU time each step reports: the bench stack's own, PostgreSQL, Redis and this generator. */
function cpuGroups(stack) {
  const groups = {};
  for (const svc of stack?.services ?? []) groups[svc.api] = svc.pid;
  const pidFile = stack ? path.join(stack.nginx.prefix, 'nginx.pid') : '';
  if (pidFile && existsSync(pidFile)) groups.nginx = { parent: Number(readFileSync(pidFile, 'utf8').trim()) };
  groups.postgres = (stat) => stat.comm === 'postgres';
  groups.redis = (stat) => stat.comm.startsWith('redis-server');
  groups.generator = process.pid;
  return groups;
}

function printOrderTable(steps) {
  const rows = steps.map((st) => [
    String(st.target),
    rate(st.placedPerSecond),
    rate(st.completedPerSecond),
    String(errorCount(st.errors) + st.skipped),
    ms(st.post.p50),
    ms(st.post.p99),
    ms(st.toCompleted.p50),
    ms(st.toCompleted.p99),
    st.sustained ? 'yes' : 'no',
  ]);
  process.stdout.write(
    `${table(['target/s', 'placed/s', 'completed/s', 'errors', 'POST p50', 'POST p99', '→COMPLETED p50', '→COMPLETED p99', 'sustained'], rows)}\n`,
  );
  const names = Object.keys(steps[0]?.cpu ?? {});
  if (names.length) {
    const cpuRows = steps.map((st) => [String(st.target), ...names.map((n) => st.cpu[n].toFixed(2))]);
    const backlogRows = steps.map((st) => [
      String(st.target),
      ...['ordersOutbox', 'ordersStream', 'productsOutbox', 'inventoryStream'].map((k) =>
        String(st.backlog?.[k] ?? '–'),
      ),
    ]);
    process.stdout.write(
      `\nWaiting at the end of each step (the first stage that grows is the bottleneck)\n${table(['target/s', 'orders outbox', 'orders_stream→products', 'products outbox', 'inventory_stream→orders'], backlogRows)}\n`,
    );
    process.stdout.write(
      `\nCPU cores used during each step (PostgreSQL and Redis machine-wide, of ${os.cpus().length} cores)\n${table(['target/s', ...names], cpuRows)}\n`,
    );
  }
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

  if (!s.skip.has('orders')) {
    heading('Order pipeline');
    const run = await runOrderSteps(s, target, market);
    results.orders = { steps: run.steps, followed: run.trackerModes };
    const sustained = run.steps.filter((st) => st.sustained);
    const best = sustained.length ? sustained : run.steps;
    const peak = best.reduce((a, b) => (b.completedPerSecond > (a?.completedPerSecond ?? -1) ? b : a), null);
    results.orders.peak = peak
      ? { completedPerSecond: peak.completedPerSecond, atTarget: peak.target, sustained: peak.sustained }
      : null;

    const final = await measuredStep(
      `drain: waiting up to ${s.drainSeconds}s for PENDING orders`,
      () =>
        drain(
          target.ordersUrl,
          market.buyers.map((b) => b.id),
          s.drainSeconds * 1000,
          (n) => process.stdout.write(`\n  ${n} PENDING …`),
        ),
      (d) => `${d.pending} PENDING after ${formatDuration(d.waitedMs)}`,
    );
    results.orders.drain = { pending: final.pending, waitedMs: final.waitedMs };
    results.correctness = await verifyPipeline({
      ordersUrl: target.ordersUrl,
      productsUrl: target.productsUrl,
      redisUrl: redis.url,
      streams,
      market,
      accepted: run.accepted,
      uncertain: run.uncertain,
    });

    heading('Results');
    process.stdout.write('Order pipeline (open loop through nginx; latency counted from when each request was due)\n');
    printOrderTable(run.steps);
    const peakRate = results.orders.peak?.completedPerSecond ?? null;
    process.stdout.write(
      `Sustained peak: ${peak ? `${rate(peakRate)} completed orders/s (step ${peak.target}/s)${peak.sustained ? '' : ' — no step was sustained'}` : '–'}\n`,
    );
    if (results.ceilings) {
      const pgCeil = results.ceilings.pgbench.ordersPerSecond;
      const redisCeil = results.ceilings.redis.xaddPerSecond / 2;
      process.stdout.write(
        `\n${table(
          ['ceiling', 'orders/s', 'peak ÷ ceiling'],
          [
            ['pgbench, 3 commits per order', rate(pgCeil), percent(ratio(peakRate, pgCeil))],
            ['redis-benchmark XADD ÷ 2 (two entries per order)', rate(redisCeil), percent(ratio(peakRate, redisCeil))],
          ],
        )}\n`,
      );
      results.ceilings.ratios = { pgbench: ratio(peakRate, pgCeil), redisXadd: ratio(peakRate, redisCeil) };
    }
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
