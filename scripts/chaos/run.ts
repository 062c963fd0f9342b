// One chaos run, reusable by `npm run chaos` and the saga test suite: the system up (its own Redis,
// throwaway databases, nginx), buyers placing and cancelling orders while processes are SIGKILLed, Redis
// crashes once and one database loses every session; then it settles and the checks read the outcome.
import { randomBytes } from 'node:crypto';
import { createClient } from '../bench/http-client.js';
import { sleep, step } from '../lib/proc.js';
import { type Check } from '../lib/report-command.js';
import { type RunCheck, verifyRun } from './checks.js';
import { type Faults, scheduleFaults } from './faults.js';
import { type RunContext, type RunReport, withRun } from './harness.js';
import { createMarket } from './market.js';
import { type ChaosSettings, describeRun, faultTimes, parseServiceEnv } from './settings.js';
import { type Tally, createShoppers, placeAtRate, placeClosedLoop, randomSource } from './shoppers.js';
import { type ChaosSystem, startSystem } from './system.js';
import { redisErrorTracker, startProgress } from './watch.js';

type Verified = Awaited<ReturnType<typeof verifyRun>>;

export interface ChaosReport extends RunReport {
  seed: number;
  settings: ChaosSettings;
  checks: Check[];
  faults: Faults;
  processes: { name: string; starts: number; kills: number; crashes: number; log: string }[];
  loadSeconds?: number;
  figures?: Verified['figures'] & {
    accepted: number;
    attempted: number;
    unanswered: number;
    retries: Tally['retries'];
    cancels: Tally['cancels'];
    acceptedPerSecond: number;
  };
  redisMemory?: { usedMemory: number; peak: number; maxmemory: number } | null;
}

export { abortRuns } from './harness.js';
export { CHAOS_SPECS } from './settings.js';

function startTheSystem(
  s: ChaosSettings,
  { runId, dir, pgAdmin, redis, log }: RunContext & { log: (line: string) => void },
): Promise<ChaosSystem> {
  return step('the system (migrations, every process ready, nginx)', async () => {
    const system = await startSystem({
      runId,
      dir,
      pgAdminUrl: pgAdmin.url,
      redisUrl: redis.url,
      counts: {
        'products-service': s.productsServices,
        'products-worker': s.productsWorkers,
        'orders-service': s.ordersServices,
        'orders-worker': s.ordersWorkers,
      },
      logLevel: s.logLevel,
      env: parseServiceEnv(s.serviceEnv),
      respawnDelayMs: s.respawnDelayMs,
      onEvent: (e) => {
        if (e.type === 'crash')
          log(
            `  ! ${e.slot.name} died on its own${e.whileStarting ? ' while starting' : ''} (${e.signal ?? `exit ${String(e.code)}`}); see ${e.slot.logFile}`,
          );
        if (e.type === 'not-ready')
          log(
            `  ! ${e.slot.name} not ready ${Math.round((Date.now() - (e.slot.startedAt ?? Date.now())) / 1000)}s after its start (${e.last})`,
          );
      },
    });
    return Object.assign(system, { detail: `${system.url}, ${system.slots.length} processes` });
  });
}

/**
 * Until the checks that may still be on their way (a give-back, the last orders) pass or `until`
 * (ms epoch); → the last result of `verify()`.
 */
async function settle(
  verify: () => Promise<{ checks: RunCheck[] } & Verified>,
  { until, stalled, log }: { until: number; stalled: () => unknown; log: (line: string) => void },
): Promise<Verified> {
  let result = await verify();
  let lastNote = 0;
  while (!result.checks.every((c) => c.ok || !c.eventual) && Date.now() < until && !stalled()) {
    if (Date.now() - lastNote > 10_000) {
      lastNote = Date.now();
      const waiting = result.checks.filter((c) => c.eventual && !c.ok).map((c) => `${c.name} (${c.detail})`);
      log(`  settling: ${waiting.join('; ')}`);
    }
    await sleep(2000);
    result = await verify();
  }
  return result;
}

/**
 * Runs the scenario `s` (settings as CHAOS_SPECS describes) and returns the report:
 * { ok, error?, checks, figures, faults, processes, redisMemory, settings, seed, seconds, dir }.
 */
export async function runChaos(
  s: ChaosSettings,
  { log = (line: string) => void process.stdout.write(`${line}\n`) }: { log?: (line: string) => void } = {},
): Promise<ChaosReport> {
  const seed = s.seed ?? randomBytes(4).readUInt32LE(0);
  const rng = randomSource(seed);
  const report: ChaosReport = { ok: false, seed, settings: s, checks: [], faults: {}, processes: [] };
  const times = faultTimes(s);
  const stallSeconds = s.stallSeconds ?? s.finalWithinSeconds;
  return withRun(
    { kind: 'chaos', build: s.build, keep: s.keep, redisMaxmemory: s.redisMaxmemory, log },
    report,
    async (ctx) => {
      log(describeRun(s, { runId: ctx.runId, seed, dir: ctx.dir }));
      const { redis, pgAdmin } = ctx;
      const system = await startTheSystem(s, { ...ctx, log });
      ctx.setSystem(system);
      const client = createClient(system.url, {
        maxSockets: Math.max(s.maxInFlight, s.connections) + 16,
        timeoutMs: 15_000,
      });
      const market = await step(`${s.products} products (stock ${s.stock} each) and ${s.buyers} buyers`, () =>
        createMarket(client, system.tokens, s),
      );
      const errors = redisErrorTracker(redis.url);
      const buyerIds = market.buyers.map((b) => b.id);
      // The shoppers stop on a stall, which the progress watcher (started after them) detects.
      const watcher: { progress?: ReturnType<typeof startProgress> } = {};
      const stalled = () => watcher.progress?.stalled() ?? null;
      const shoppers = createShoppers({
        client,
        buyers: market.buyers,
        products: market.products,
        rng,
        retryForMs: s.retryForSeconds * 1000,
        cancelShare: s.cancelShare,
        cancelWithinMs: s.cancelWithinMs,
        shouldStop: () => stalled() !== null,
      });
      // Fault times and the report's offsets count from here.
      const loadStart = Date.now();
      const progress = startProgress({
        system,
        ordersUrl: system.dbUrl('orders'),
        buyerIds,
        shoppers,
        total: s.orders,
        stallSeconds,
        since: loadStart,
        log,
        errors,
      });
      watcher.progress = progress;
      const faults = scheduleFaults({
        s,
        times,
        system,
        redis,
        pgAdminUrl: pgAdmin.url,
        rng,
        since: loadStart,
        log,
        beforeRedisCrash: () => errors.sample(),
      });

      const shouldStop = () => stalled() !== null;
      if (s.mode === 'open')
        await placeAtRate(shoppers, { total: s.orders, rate: s.rate, maxInFlight: s.maxInFlight, shouldStop });
      else await placeClosedLoop(shoppers, { total: s.orders, connections: s.connections, shouldStop });
      const lastPlacedAt = Date.now();
      const loadSeconds = (lastPlacedAt - loadStart) / 1000;
      report.loadSeconds = loadSeconds;
      const accepted = shoppers.tally.accepted.size;
      log(`• load done in ${loadSeconds.toFixed(1)}s: ${accepted} accepted (${(accepted / loadSeconds).toFixed(1)}/s)`);
      await faults.finish();
      await shoppers.cancelsDone();
      const stillDown = await system.allReady(60_000);
      if (stillDown.length)
        log(`  ! still not ready 60s after the faults stopped: ${stillDown.map((sl) => sl.name).join(', ')}`);

      const verify = async () => {
        await errors.sample();
        return verifyRun({
          ordersUrl: system.dbUrl('orders'),
          productsUrl: system.dbUrl('products'),
          redisUrl: redis.url,
          market,
          tally: shoppers.tally,
          slots: system.slots,
          finalWithinSeconds: s.finalWithinSeconds,
          redisErrorCounts: errors.total(),
        });
      };
      // Every order gets its deadline, then give-backs still on their way get settleSeconds more.
      const result = await settle(verify, {
        until: lastPlacedAt + (s.finalWithinSeconds + s.settleSeconds) * 1000,
        stalled,
        log,
      });
      await progress.stop();
      await client.close();

      const stall = stalled();
      const stallCheck = {
        name: 'no stall',
        ok: !stall,
        detail: stall
          ? `${stall.pending} PENDING, none settled for ${stall.seconds}s (at ${(stall.atMs / 1000).toFixed(0)}s)`
          : `never ${stallSeconds}s without an order settling`,
      };
      report.checks = [...faults.checks(stillDown), ...(stallSeconds > 0 ? [stallCheck] : []), ...result.checks];
      report.faults = faults.faults;
      report.figures = {
        ...result.figures,
        accepted,
        attempted: shoppers.tally.attempted,
        unanswered: shoppers.tally.unanswered.size,
        retries: shoppers.tally.retries,
        cancels: shoppers.tally.cancels,
        acceptedPerSecond: accepted / loadSeconds,
      };
      report.redisMemory = await redis.info('memory').then(
        (m) => ({
          usedMemory: Number(m.used_memory),
          peak: Number(m.used_memory_peak),
          maxmemory: Number(m.maxmemory),
        }),
        () => null,
      );
      report.processes = system.slots.map((sl) => ({
        name: sl.name,
        starts: sl.starts,
        kills: sl.kills,
        crashes: sl.crashes.length,
        log: sl.logFile,
      }));
      report.ok = report.checks.every((c) => c.ok);
    },
  );
}
