// What the order benchmark reads back from the databases and Redis: completions per step, the
// drain, and the end-of-run correctness check. Queries are limited to the run's own buyers and products.
import { sql, sqlValue } from '../lib/infra.js';
import { sleep } from '../lib/proc.js';
import { withRedis } from '../lib/redis.js';
import { type Check } from '../lib/report-command.js';
import { type Market } from './seed.js';

/** A count from the database (`select count(*) …`, `coalesce(sum(…), 0)`), as a number. */
async function count(url: string, text: string, values: unknown[]): Promise<number> {
  return Number(await sqlValue(url, text, values));
}

/** Orders of these buyers that reached COMPLETED between two instants (database clock, same machine). */
export async function completedBetween(ordersUrl: string, buyerIds: string[], from: Date, to: Date): Promise<number> {
  return count(
    ordersUrl,
    `select count(*) from orders where buyer_id = any($1::uuid[]) and status = 'COMPLETED'
       and updated_at >= $2 and updated_at < $3`,
    [buyerIds, from, to],
  );
}

/**
 * The orders of these buyers created in [from, to) — a burst's, when the pipeline was empty at `from` —
 * → { total, completedBefore and pendingAt (COMPLETED by / still PENDING at `to`), completed (now) }.
 * An order's updated_at is when it left PENDING, so the state at `to` is exact however late this runs.
 */
export async function ordersCreatedBetween(
  ordersUrl: string,
  buyerIds: string[],
  from: Date,
  to: Date,
): Promise<{ total: number; completedBefore: number; pendingAt: number; completed: number }> {
  const [row] = await sql<Record<string, string>>(
    ordersUrl,
    `select count(*) as total,
            count(*) filter (where status = 'COMPLETED' and updated_at < $3) as "completedBefore",
            count(*) filter (where status = 'PENDING' or updated_at >= $3) as "pendingAt",
            count(*) filter (where status = 'COMPLETED') as completed
       from orders where buyer_id = any($1::uuid[])
        and created_at >= $2 and created_at < $3`,
    [buyerIds, from, to],
  );
  return {
    total: Number(row?.total ?? 0),
    completedBefore: Number(row?.completedBefore ?? 0),
    pendingAt: Number(row?.pendingAt ?? 0),
    completed: Number(row?.completed ?? 0),
  };
}

async function statusCounts(ordersUrl: string, buyerIds: string[]): Promise<Record<string, number>> {
  const rows = await sql<{ status: string; n: string }>(
    ordersUrl,
    'select status, count(*) as n from orders where buyer_id = any($1::uuid[]) group by status',
    [buyerIds],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Waits until no order of these buyers is PENDING, or the deadline; → { pending, waitedMs }. */
export async function drain(
  ordersUrl: string,
  buyerIds: string[],
  timeoutMs: number,
  onProgress: (pending: number) => void = () => {},
): Promise<{ pending: number; waitedMs: number }> {
  const started = Date.now();
  let lastReport = started;
  for (;;) {
    const pending = (await statusCounts(ordersUrl, buyerIds)).PENDING ?? 0;
    if (pending === 0 || Date.now() - started >= timeoutMs) return { pending, waitedMs: Date.now() - started };
    if (Date.now() - lastReport >= 5000) {
      lastReport = Date.now();
      onProgress(pending);
    }
    await sleep(250);
  }
}

/**
 * The end-of-run invariants: stock sold equals the quantities of COMPLETED orders, every
 * accepted order exists once, none is PENDING or FAILED, and both dead-letter streams are empty.
 */
export interface PipelineCheck {
  ok: boolean;
  checks: Check[];
  counts: Record<string, number>;
  sold: number;
  completedQuantity: number;
}

export async function verifyPipeline({
  ordersUrl,
  productsUrl,
  redisUrl,
  streams,
  market,
  accepted,
  uncertain = 0,
}: {
  ordersUrl: string;
  productsUrl: string;
  redisUrl: string;
  streams: string[];
  market: Market;
  accepted: number;
  uncertain?: number;
}): Promise<PipelineCheck> {
  const buyerIds = market.buyers.map((b) => b.id);
  const productIds = market.products.map((p) => p.id);
  const initial = market.products.reduce((sum, p) => sum + p.stock, 0);
  const stockNow = await count(productsUrl, 'select coalesce(sum(stock), 0) from products where id = any($1::uuid[])', [
    productIds,
  ]);
  const sold = initial - stockNow;
  const completedQuantity = await count(
    ordersUrl,
    `select coalesce(sum(i.quantity), 0) from order_items i join orders o on o.id = i.order_id
       where o.buyer_id = any($1::uuid[]) and o.status = 'COMPLETED'`,
    [buyerIds],
  );
  const counts = await statusCounts(ordersUrl, buyerIds);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const failedReasons = counts.FAILED
    ? (
        await sql<{ line: string }>(
          ordersUrl,
          `select coalesce(reason, '?') || ' ' || count(*) as line from orders
             where buyer_id = any($1::uuid[]) and status = 'FAILED' group by reason`,
          [buyerIds],
        )
      )
        .map((r) => r.line)
        .join(', ')
    : '';
  const deadLetters: Record<string, number> = {};
  await withRedis(redisUrl, async (redis) => {
    for (const stream of streams) deadLetters[`${stream}:dead`] = await redis.xlen(`${stream}:dead`);
  });
  const deadTotal = Object.values(deadLetters).reduce((a, b) => a + b, 0);
  const checks: Check[] = [
    {
      name: 'stock sold = quantities of COMPLETED orders',
      ok: sold === completedQuantity,
      detail: `sold ${sold}, completed quantities ${completedQuantity}`,
    },
    {
      name: 'every accepted order stored once',
      ok: total >= accepted && total <= accepted + uncertain,
      detail: `${accepted} accepted (202)${uncertain ? ` and ${uncertain} unanswered` : ''}, ${total} in the orders database`,
    },
    { name: 'no order left PENDING', ok: !counts.PENDING, detail: `${counts.PENDING ?? 0} PENDING` },
    {
      name: 'no order FAILED (ample stock, current prices)',
      ok: !counts.FAILED,
      detail: counts.FAILED ? failedReasons : '0 FAILED',
    },
    {
      name: 'dead-letter streams empty',
      ok: deadTotal === 0,
      detail: Object.entries(deadLetters)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    },
  ];
  return { ok: checks.every((c) => c.ok), checks, counts, sold, completedQuantity };
}

async function groupLag(redisUrl: string, stream: string): Promise<number | null> {
  try {
    const groups = (await withRedis(redisUrl, (redis) => redis.xinfo('GROUPS', stream))) as unknown[][];
    return groups.reduce<number>((sum, flat) => {
      const info: Record<string, unknown> = Object.fromEntries(
        flat.flatMap((v, i) => (i % 2 === 0 ? [[String(v), flat[i + 1]]] : [])),
      );
      // lag: entries never delivered to the group; pending: delivered, not yet acknowledged.
      return sum + Number(info.lag ?? 0) + Number(info.pending ?? 0);
    }, 0);
  } catch {
    return null; // no such stream yet
  }
}

/**
 * Where the orders of a step wait at its end, stage by stage: unpublished outbox rows on each
 * side and entries the consumer groups have not acknowledged. The first stage that grows is the bottleneck.
 */
export interface Backlog {
  ordersOutbox: number | null;
  ordersStream: number | null;
  productsOutbox: number | null;
  inventoryStream: number | null;
}

export async function pipelineBacklog({
  ordersUrl,
  productsUrl,
  redisUrl,
  streams,
}: {
  ordersUrl: string;
  productsUrl: string;
  redisUrl: string;
  streams: string[];
}): Promise<Backlog> {
  const unpublished = (url: string) =>
    count(url, 'select count(*) from outbox where published_at is null', []).catch(() => null);
  const [ordersOutbox, productsOutbox, ordersStream, inventoryStream] = await Promise.all([
    unpublished(ordersUrl),
    unpublished(productsUrl),
    groupLag(redisUrl, streams[0] ?? ''),
    groupLag(redisUrl, streams[1] ?? ''),
  ]);
  return { ordersOutbox, ordersStream, productsOutbox, inventoryStream };
}
