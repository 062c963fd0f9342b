// The open-loop ramp of `npm run bench`: one step per rate, each followed by a drain, and the tables
// that describe it. Moved out of bench.ts unchanged; CPU per completed order was added.
import os from 'node:os';
import { type CpuPerOrder, cpuMs, cpuPerOrder, formatCores, formatCpuPerOrder } from './cpu.js';
import { measuredStep } from './harness.js';
import { createClient } from './http-client.js';
import { type Backlog, completedBetween, drain, pipelineBacklog } from './order-checks.js';
import { type StepResult, type Tracker, createTracker, errorCount, runStep } from './order-load.js';
import { type Market } from './seed.js';
import { type BenchSettings } from './settings.js';
import { type Target } from './target.js';
import { table } from './report.js';
import { ms, rate } from './stats.js';
import { formatDuration, sleep } from '../lib/proc.js';

type Drained = StepResult & { drained: boolean; drainedInSeconds: number; untracked: number | null };

function stepSummary(r: Drained, completedPerSecond: number, backlog: Backlog) {
  const placedPerSecond = r.accepted / r.seconds;
  const queued = Object.values<number | null>({ ...backlog }).reduce<number>((n, v) => n + (v ?? 0), 0);
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

/**
 * Warm-up, then one step per rate until a step is not sustained or `budgetLeft()` (seconds) has no room
 * for the next; → { steps, accepted, uncertain, trackerModes }.
 */
export type Step = ReturnType<typeof stepSummary> & {
  cpu: Record<string, number>;
  backlog: Backlog;
  cpuPerOrder: CpuPerOrder | null;
};

export async function runOrderSteps(
  s: BenchSettings,
  target: Target,
  market: Market,
  budgetLeft: () => number,
): Promise<{ steps: Step[]; accepted: number; uncertain: number; trackerModes: Tracker['modes'] }> {
  const client = createClient(target.url, { maxSockets: s.maxInFlight + 16 });
  const tracker = createTracker(client, {
    maxStreams: s.followMax,
    pollMs: s.pollMs,
    timeoutMs: (s.stepSeconds + s.stepDrainSeconds) * 1000,
  });
  const buyerIds = market.buyers.map((b) => b.id);
  const counter = { next: 0 };
  const steps: Step[] = [];
  let accepted = 0;
  let uncertain = 0; // requests without an answer (timeouts, 502/504): the order may or may not exist
  let saturated = 0;

  const oneStep = async (rateTarget: number, seconds: number, label: string): Promise<Step> => {
    const windowStart = new Date();
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
    // CPU per completed order counts the step and its drain, so the work of the step's last orders is in.
    const cpuAfterDrain = target.cpu.snapshot();
    const windowEnd = new Date();
    // Followed orders end with the drain; if it timed out, do not let stragglers stretch the run.
    const settled = await Promise.race([r.settled(), sleep(5000).then(() => ({ untracked: null }))]);
    const done: Drained = Object.assign(r, {
      drained: drained.pending === 0,
      drainedInSeconds: drained.waitedMs / 1000,
      untracked: settled.untracked,
    });
    // The pipeline starts each step empty: completions are counted once it has filled (after a quarter of the step, at most 5s).
    const fillSeconds = Math.min(r.seconds / 4, 5);
    const from = new Date(r.wallStart.getTime() + fillSeconds * 1000);
    const completed = await completedBetween(target.ordersUrl, buyerIds, from, r.wallEnd);
    const cpuPerCompleted = cpuPerOrder(
      target.cpu.msBetween(cpuBefore, cpuAfterDrain),
      await completedBetween(target.ordersUrl, buyerIds, windowStart, windowEnd),
      (cpuAfterDrain.at - cpuBefore.at) / 1000,
    );
    return {
      ...stepSummary(done, completed / (r.seconds - fillSeconds), backlog),
      cpu,
      backlog,
      cpuPerOrder: cpuPerCompleted,
    };
  };

  try {
    const firstRate = s.rates[0];
    if (s.warmupSeconds > 0 && firstRate !== undefined) {
      await measuredStep(
        `warm-up at ${firstRate} orders/s for ${s.warmupSeconds}s`,
        () => oneStep(firstRate, s.warmupSeconds, '[warm-up]'),
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
          `    CPU per completed order (step + drain): ${formatCpuPerOrder(summary.cpuPerOrder)}\n` +
          `    waiting at the end of the step: ${formatBacklog(summary.backlog)}\n`,
      );
      if (!summary.sustained && ++saturated >= s.stopAfterSaturated) break;
    }
  } finally {
    await client.close();
  }
  return { steps, accepted, uncertain, trackerModes: tracker.modes };
}

const formatBacklog = (b: Backlog) =>
  `orders outbox ${b.ordersOutbox ?? '?'} → orders_stream (group products) ${b.ordersStream ?? '?'} → ` +
  `products outbox ${b.productsOutbox ?? '?'} → inventory_stream (group orders) ${b.inventoryStream ?? '?'}`;

/** The ramp's tables: rates and latencies, where orders waited, CPU cores and CPU ms per completed order. */
export function printOrderTable(steps: Step[]): void {
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
    const cpuRows = steps.map((st) => [String(st.target), ...names.map((n) => (st.cpu[n] ?? 0).toFixed(2))]);
    const backlogRows = steps.map((st) => [
      String(st.target),
      ...(['ordersOutbox', 'ordersStream', 'productsOutbox', 'inventoryStream'] as const).map((k) =>
        String(st.backlog[k] ?? '–'),
      ),
    ]);
    process.stdout.write(
      `\nWaiting at the end of each step (the first stage that grows is the bottleneck)\n${table(['target/s', 'orders outbox', 'orders_stream→products', 'products outbox', 'inventory_stream→orders'], backlogRows)}\n`,
    );
    process.stdout.write(
      `\nCPU cores used during each step (PostgreSQL and Redis machine-wide, of ${os.cpus().length} cores)\n${table(['target/s', ...names], cpuRows)}\n`,
    );
    printCpuPerOrderTable(steps, names);
  }
}

function printCpuPerOrderTable(steps: Step[], names: string[]): void {
  const rows = steps.map((st) => [
    String(st.target),
    cpuMs(st.cpuPerOrder?.total),
    ...names.map((n) => cpuMs(st.cpuPerOrder?.perGroup[n])),
  ]);
  process.stdout.write(
    `\nCPU ms per completed order (step + its drain; total = all but the load generator)\n${table(['target/s', 'total', ...names], rows)}\n`,
  );
}

/** CPU per completed order of the step aimed at `target` orders/s, or null when the ramp had no such step. */
export function cpuPerOrderAt(steps: Step[], target: number): (CpuPerOrder & { target: number }) | null {
  const step = steps.find((st) => st.target === target);
  return step?.cpuPerOrder ? { target, ...step.cpuPerOrder } : null;
}
