// The closed-loop burst of `npm run bench`: BENCH_BURST_CONNECTIONS loops POST orders back to back, once
// straight to orders-service and once through nginx. Nothing paces the callers (unlike the open-loop ramp),
// so it shows how many orders the front door accepts when pushed and how much of that the pipeline
// completes while the burst lasts; the rest waits and drains afterwards.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sleep } from '../lib/proc.js';
import { cpuMs, cpuPerOrder, formatCpuPerOrder } from './cpu.js';
import { type HttpClient, type Reply, createClient } from './http-client.js';
import { drain, ordersCreatedBetween } from './order-checks.js';
import { type ErrorKinds, countError, errorCount } from './order-load.js';
import { table } from './report.js';
import { CSRF, type Market } from './seed.js';
import { type BenchSettings } from './settings.js';
import { Samples, ms, percent, rate, ratio, times } from './stats.js';
import { type Target } from './target.js';

const RETRY_CAP_MS = 1000;
const TARGETS: Record<string, string> = { direct: 'straight to orders-service', nginx: 'through nginx' };

/** After a 503 a loop waits the server's Retry-After, at most a second, so the burst keeps pushing. */
function backoffMs(res: Reply): number {
  const seconds = Number(res.headers?.['retry-after']);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, RETRY_CAP_MS) : RETRY_CAP_MS;
}

function errorCode(body: string): string | null {
  try {
    return (JSON.parse(body) as { error?: { code?: string } } | null)?.error?.code ?? null;
  } catch {
    return null;
  }
}

/** `connections` loops, each POSTing one-line orders back to back until `seconds` have passed. */
async function closedLoopOrders(
  client: HttpClient,
  market: Market,
  {
    connections,
    seconds,
    label,
    counter,
  }: { connections: number; seconds: number; label: string; counter: { next: number } },
) {
  const post = new Samples();
  const errors: ErrorKinds = {};
  let accepted = 0;
  let overloaded = 0; // 503 OVERLOADED: the service refused before storing anything
  const wallStart = new Date();
  const started = performance.now();
  const endAt = started + seconds * 1000;
  const untilEnd = (waitMs: number) => Math.max(0, Math.min(waitMs, endAt - performance.now()));

  const loop = async () => {
    while (performance.now() < endAt) {
      const index = counter.next++;
      const buyer = market.buyers[index % market.buyers.length];
      const product = market.products[index % market.products.length];
      if (!buyer || !product) return;
      const res = await client.request('POST', '/api/orders', {
        headers: { ...CSRF, cookie: buyer.cookie, 'idempotency-key': randomUUID() },
        body: { items: [{ productId: product.id, quantity: 1, unitPrice: product.price }] },
      });
      if (!res.error && res.status >= 200 && res.status < 300) {
        accepted += 1;
        post.add(res.ms);
        continue;
      }
      if (res.status === 503 && !res.error && errorCode(res.body) === 'OVERLOADED') overloaded += 1;
      else countError(errors, res);
      if (res.status === 503) await sleep(untilEnd(backoffMs(res)));
      // A refused connection answers at once: do not spin on it.
      else if (!res.status) await sleep(untilEnd(100));
    }
  };

  const progress = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    const errs = errorCount(errors);
    process.stdout.write(
      `  ${label} ${Math.round(elapsed)}s: accepted ${accepted} (${rate(accepted / elapsed)}/s), ` +
        `POST p99 ${ms(post.percentile(99))}, 503 ${overloaded}${errs ? `, errors ${JSON.stringify(errors)}` : ''}\n`,
    );
  }, 5000);
  try {
    await Promise.all(Array.from({ length: connections }, loop));
  } finally {
    clearInterval(progress);
  }
  return {
    wallStart,
    wallEnd: new Date(),
    seconds: (performance.now() - started) / 1000,
    accepted,
    overloaded,
    errors,
    post,
  };
}

/** One burst against `url`, from an empty pipeline, then its drain; → the figures results.burst keeps. */
async function oneBurst(
  s: BenchSettings,
  target: Target,
  market: Market,
  { name, url, counter }: { name: string; url: string; counter: { next: number } },
) {
  const buyerIds = market.buyers.map((b) => b.id);
  const label = `[burst ${name}]`;
  const onPending = (pending: number) => process.stdout.write(`  ${label} draining: ${pending} PENDING\n`);
  // Orders of the ramp or of the previous burst would share the CPU and muddle the completions.
  const before = await drain(target.ordersUrl, buyerIds, s.stepDrainSeconds * 1000, onPending);
  const client = createClient(url, { maxSockets: s.burstConnections });
  const cpuStart = target.cpu.snapshot();
  let r: Awaited<ReturnType<typeof closedLoopOrders>>;
  try {
    r = await closedLoopOrders(client, market, {
      connections: s.burstConnections,
      seconds: s.burstSeconds,
      label,
      counter,
    });
  } finally {
    await client.close();
  }
  const atEnd = await ordersCreatedBetween(target.ordersUrl, buyerIds, r.wallStart, r.wallEnd);
  const drained = await drain(target.ordersUrl, buyerIds, s.stepDrainSeconds * 1000, onPending);
  // CPU counts the burst and its drain: all the work of the burst's orders, divided by those that completed.
  const cpuEnd = target.cpu.snapshot();
  const drainSeconds = (Date.now() - r.wallEnd.getTime()) / 1000;
  const after = await ordersCreatedBetween(target.ordersUrl, buyerIds, r.wallStart, r.wallEnd);
  const windowSeconds = (cpuEnd.at - cpuStart.at) / 1000;
  return {
    url,
    connections: s.burstConnections,
    seconds: Math.round(r.seconds * 10) / 10,
    pendingAtStart: before.pending,
    accepted: r.accepted,
    acceptedPerSecond: r.accepted / r.seconds,
    overloaded: r.overloaded,
    errors: r.errors,
    otherErrors: errorCount(r.errors),
    uncertain: errorCount(r.errors, (kind) => !/^HTTP 4/.test(kind)),
    post: r.post.summary(),
    completedDuring: atEnd.completedBefore,
    completedPerSecondDuring: atEnd.completedBefore / r.seconds,
    completedDuringRatio: ratio(atEnd.completedBefore, r.accepted),
    pendingAtEnd: atEnd.pendingAt,
    drained: drained.pending === 0,
    drainSeconds: Math.round(drainSeconds * 10) / 10,
    completed: after.completed,
    completedRatio: ratio(after.completed, r.accepted),
    stored: after.total,
    cpuCores: target.cpu.coresBetween(cpuStart, cpuEnd),
    cpuPerOrder: cpuPerOrder(target.cpu.msBetween(cpuStart, cpuEnd), after.completed, windowSeconds),
  };
}

export type Burst = Awaited<ReturnType<typeof oneBurst>>;

const describe = (b: Burst) =>
  `  → accepted ${rate(b.acceptedPerSecond)}/s, 503 ${b.overloaded}, other errors ${b.otherErrors}, POST p50/p99 ${ms(b.post.p50)}/${ms(b.post.p99)}, ` +
  `completed during ${rate(b.completedPerSecondDuring)}/s (${percent(b.completedDuringRatio)} of accepted), ` +
  `${b.pendingAtEnd} PENDING at the end, ${b.drained ? `drained in ${b.drainSeconds}s` : `NOT drained after ${b.drainSeconds}s`}` +
  `${b.pendingAtStart ? ` (started with ${b.pendingAtStart} earlier orders still PENDING)` : ''}\n` +
  `    CPU per completed order (burst + drain): ${formatCpuPerOrder(b.cpuPerOrder)}\n`;

/**
 * Both bursts, direct first; `directUrl` is orders-service's own address (null on a stack we did not
 * start). A burst that would not fit `budgetLeft()` seconds is skipped. → { burst, accepted, uncertain }.
 */
export async function runBursts(
  s: BenchSettings,
  target: Target,
  market: Market,
  { directUrl, budgetLeft }: { directUrl: string | null; budgetLeft: () => number },
): Promise<{ burst: Record<string, Burst>; accepted: number; uncertain: number }> {
  const burst: Record<string, Burst> = {};
  let accepted = 0;
  let uncertain = 0;
  const counter = { next: 0 };
  for (const [name, url] of [
    ['direct', directUrl],
    ['nginx', target.url],
  ] as const) {
    if (!url) {
      process.stdout.write(
        `• burst ${TARGETS[name]}: skipped (orders-service's address is known only for the bench stack)\n`,
      );
      continue;
    }
    if (budgetLeft() < s.burstSeconds + 2 * s.stepDrainSeconds) {
      process.stdout.write(`• burst ${TARGETS[name]}: skipped, it would not end within the time bound\n`);
      continue;
    }
    process.stdout.write(
      `• burst ${TARGETS[name]} (${url}): ${s.burstConnections} connections for ${s.burstSeconds}s\n`,
    );
    const b = await oneBurst(s, target, market, { name, url, counter });
    burst[name] = b;
    accepted += b.accepted;
    uncertain += b.uncertain;
    process.stdout.write(describe(b));
  }
  return { burst, accepted, uncertain };
}

/** One column per burst: what each accepted, completed meanwhile and afterwards, and the CPU each order cost. */
export function printBurstTable(burst: Record<string, Burst>): void {
  const names = Object.keys(burst);
  const first = burst[names[0] ?? ''];
  if (!first) return;
  const row = (label: string, cell: (b: Burst) => string) => [label, ...names.map((n) => cell(burst[n] ?? first))];
  const rows = [
    row('accepted/s (2xx)', (b) => rate(b.acceptedPerSecond)),
    row('503 OVERLOADED', (b) => String(b.overloaded)),
    row('other errors', (b) => String(b.otherErrors)),
    row('POST p50', (b) => ms(b.post.p50)),
    row('POST p99', (b) => ms(b.post.p99)),
    row('completed/s during the burst', (b) => rate(b.completedPerSecondDuring)),
    row('completed during ÷ accepted', (b) => percent(b.completedDuringRatio)),
    row('PENDING at the end', (b) => String(b.pendingAtEnd)),
    // `>` marks a drain cut off by BENCH_STEP_DRAIN_SECONDS (and keeps the cell a number).
    row('drain', (b) => `${b.drained ? '' : '>'}${b.drainSeconds.toFixed(1)}s`),
    row('completed ÷ accepted after the drain', (b) => percent(b.completedRatio)),
    row('CPU ms per completed order, total', (b) => cpuMs(b.cpuPerOrder?.total)),
    ...Object.keys(first.cpuCores).map((group) => row(`  ${group}`, (b) => cpuMs(b.cpuPerOrder?.perGroup[group]))),
  ];
  process.stdout.write(
    `\nBurst: ${first.connections} closed-loop connections for ${first.seconds}s each (CPU over burst + drain; total = all but the load generator)\n` +
      `${table(['', ...names.map((n) => TARGETS[n] ?? n)], rows)}\n`,
  );
}

/** The ratios that compare runs across machines: peak ÷ pgbench ceiling, and each burst against the peak. */
export type Ratios = ReturnType<typeof burstRatios>;

export function burstRatios({
  peakRate,
  pgbenchRate,
  burst,
}: {
  peakRate: number | null;
  pgbenchRate: number | null;
  burst: Record<string, Burst>;
}) {
  const per = <T>(fn: (b: Burst) => T): Record<string, T> =>
    Object.fromEntries(Object.entries(burst).map(([n, b]) => [n, fn(b)]));
  return {
    peakOverPgbench: ratio(peakRate, pgbenchRate ?? null),
    burstAcceptedPerSecond: per((b) => b.acceptedPerSecond),
    burstAcceptedOverPeak: per((b) => ratio(b.acceptedPerSecond, peakRate)),
    burstAcceptedOverPgbench: per((b) => ratio(b.acceptedPerSecond, pgbenchRate ?? null)),
    burstCompletedDuringOverAccepted: per((b) => b.completedDuringRatio),
    nginxOverDirectAccepted: ratio(burst.nginx?.acceptedPerSecond ?? null, burst.direct?.acceptedPerSecond ?? null),
  };
}

export function printRatios(r: Ratios): void {
  const both = (values: Record<string, number | null>, fmt: (v: number | null) => string) =>
    Object.entries(values)
      .map(([n, v]) => `${n} ${fmt(v)}`)
      .join(', ');
  const lines = [
    `sustained peak ÷ pgbench ceiling: ${r.peakOverPgbench === null ? '– (no ramp or no ceiling)' : percent(r.peakOverPgbench)}`,
  ];
  if (Object.keys(r.burstAcceptedPerSecond).length) {
    const nginxOverDirect =
      r.nginxOverDirectAccepted === null ? '' : ` (nginx ÷ direct ${percent(r.nginxOverDirectAccepted)})`;
    lines.push(`burst accepted/s: ${both(r.burstAcceptedPerSecond, rate)}${nginxOverDirect}`);
    lines.push(`burst accepted/s ÷ sustained peak: ${both(r.burstAcceptedOverPeak, times)}`);
    if (r.peakOverPgbench !== null || Object.values(r.burstAcceptedOverPgbench).some((v) => v !== null))
      lines.push(`burst accepted/s ÷ pgbench ceiling: ${both(r.burstAcceptedOverPgbench, percent)}`);
    lines.push(`burst completed during ÷ accepted: ${both(r.burstCompletedDuringOverAccepted, percent)}`);
  }
  process.stdout.write(`\nRatios\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}
