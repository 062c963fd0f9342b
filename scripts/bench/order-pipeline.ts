// The order part of `npm run bench`: the open-loop ramp, the closed-loop bursts, the final drain and the
// correctness checks over the orders of both, and the tables and ratios that report them.
import { formatCpuPerOrder } from './cpu.js';
import { measuredStep } from './harness.js';
import { burstRatios, printBurstTable, printRatios, runBursts } from './order-burst.js';
import { drain, verifyPipeline } from './order-checks.js';
import { cpuPerOrderAt, printOrderTable, runOrderSteps } from './order-ramp.js';
import { heading, table } from './report.js';
import { percent, rate, ratio } from './stats.js';
import { formatDuration } from '../lib/proc.js';
import { type Market } from './seed.js';
import { type BenchSettings } from './settings.js';
import { type BenchResults, type Target } from './target.js';
import { type Step } from './order-ramp.js';

/**
 * The open-loop ramp, then the bursts, then the final drain and the correctness checks, which cover
 * the orders of both. Fills results.orders, results.burst and results.correctness; `budgetLeft()` is the
 * time (s) the ramp and the bursts may still use.
 */
export async function orderPipeline(
  s: BenchSettings,
  target: Target,
  market: Market,
  {
    results,
    redisUrl,
    directUrl,
    budgetLeft,
    earlier = { accepted: 0, uncertain: 0 },
  }: {
    results: BenchResults;
    redisUrl: string;
    directUrl: string | null;
    budgetLeft: () => number;
    /** Orders placed before the ramp (beside the catalog), checked with the others. */
    earlier?: { accepted: number; uncertain: number };
  },
): Promise<{ steps: Step[] | null; peak: Step | null }> {
  heading('Order pipeline');
  let peak: Step | null = null;
  const run = s.skip.has('orders') ? null : await runOrderSteps(s, target, market, budgetLeft);
  if (run) {
    const sustained = run.steps.filter((st) => st.sustained);
    const best = sustained.length ? sustained : run.steps;
    peak = best.reduce<Step | null>((a, b) => (b.completedPerSecond > (a?.completedPerSecond ?? -1) ? b : a), null);
    results.orders = {
      steps: run.steps,
      followed: run.trackerModes,
      peak: peak
        ? { completedPerSecond: peak.completedPerSecond, atTarget: peak.target, sustained: peak.sustained }
        : null,
      cpuPerOrderAt150: cpuPerOrderAt(run.steps, 150),
    };
  }
  let bursts = null;
  if (!s.skip.has('burst')) {
    heading('Burst (closed loop)');
    bursts = await runBursts(s, target, market, { directUrl, budgetLeft });
    results.burst = bursts.burst;
  }

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
  results.orders = { ...results.orders, drain: { pending: final.pending, waitedMs: final.waitedMs } };
  results.correctness = await verifyPipeline({
    ordersUrl: target.ordersUrl,
    productsUrl: target.productsUrl,
    redisUrl,
    streams: target.streams,
    market,
    accepted: earlier.accepted + (run?.accepted ?? 0) + (bursts?.accepted ?? 0),
    uncertain: earlier.uncertain + (run?.uncertain ?? 0) + (bursts?.uncertain ?? 0),
  });
  return { steps: run?.steps ?? null, peak };
}

/** The ramp's tables and peak, the bursts, the ceilings the peak is compared with, and the ratios. */
export function printOrderResults(
  results: BenchResults,
  { steps, peak }: { steps: Step[] | null; peak: Step | null },
): void {
  const peakRate = results.orders?.peak?.completedPerSecond ?? null;
  if (steps) {
    process.stdout.write('Order pipeline (open loop through nginx; latency counted from when each request was due)\n');
    printOrderTable(steps);
    const at150 = results.orders?.cpuPerOrderAt150;
    if (at150) process.stdout.write(`CPU per completed order at 150/s: ${formatCpuPerOrder(at150)}\n`);
    process.stdout.write(
      `Sustained peak: ${peak ? `${rate(peakRate)} completed orders/s (step ${peak.target}/s)${peak.sustained ? '' : ' — no step was sustained'}` : '–'}\n`,
    );
  }
  if (results.burst) printBurstTable(results.burst);
  const { pgbench, redis } = results.ceilings ?? {};
  if (steps && results.ceilings && pgbench && redis) {
    const pgCeil = pgbench.ordersPerSecond;
    const redisCeil = (redis.xaddPerSecond ?? 0) / 2;
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
  results.ratios = burstRatios({
    peakRate,
    pgbenchRate: results.ceilings?.pgbench?.ordersPerSecond ?? null,
    burst: results.burst ?? {},
  });
  printRatios(results.ratios);
}
