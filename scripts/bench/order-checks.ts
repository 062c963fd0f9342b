// What the order benchmark reads back from the databases and Redis: completions per step, the
// drain, and the end-of-run correctness check. Queries are limited to the run's own buyers and products.
import { psql } from '../lib/infra.js';
import { sleep } from '../lib/proc.js';
import { redisCommands } from '../lib/redis.js';

const uuidArray = (ids) => `'{${ids.join(',')}}'::uuid[]`;

async function query(url, sql) {
  const res = await psql(url, sql);
  if (!res.ok) throw new Error(`query failed: ${res.err}\n${sql}`);
  return res.out;
}

/** Orders of these buyers that reached COMPLETED between two instants (database clock, same machine). */
export async function completedBetween(ordersUrl, buyerIds, from, to) {
  const out = await query(
    ordersUrl,
    `select count(*) from orders where buyer_id = any(${uuidArray(buyerIds)}) and status = 'COMPLETED'
       and updated_at >= '${from.toISOString()}' and updated_at < '${to.toISOString()}'`,
  );
  return Number(out);
}

/**
 * The orders of these buyers created in [from, to) — a burst's, when the pipeline was empty at `from` —
 * → { total, completedBefore and pendingAt (COMPLETED by / still PENDING at `to`), completed (now) }.
 * An order's updated_at is when it left PENDING, so the state at `to` is exact however late this runs.
 */
export async function ordersCreatedBetween(ordersUrl, buyerIds, from, to) {
  const until = `'${to.toISOString()}'`;
  const out = await query(
    ordersUrl,
    `select count(*),
            count(*) filter (where status = 'COMPLETED' and updated_at < ${until}),
            count(*) filter (where status = 'PENDING' or updated_at >= ${until}),
            count(*) filter (where status = 'COMPLETED')
       from orders where buyer_id = any(${uuidArray(buyerIds)})
        and created_at >= '${from.toISOString()}' and created_at < ${until}`,
  );
  const [total, completedBefore, pendingAt, completed] = out.split('|').map(Number);
  return { total, completedBefore, pendingAt, completed };
}

async function statusCounts(ordersUrl, buyerIds) {
  const out = await query(
    ordersUrl,
    `select status, count(*) from orders where buyer_id = any(${uuidArray(buyerIds)}) group by status`,
  );
  return Object.fromEntries(
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [status, n] = line.split('|');
        return [status, Number(n)];
      }),
  );
}

/** Waits until no order of these buyers is PENDING, or the deadline; → { pending, waitedMs }. */
export async function drain(ordersUrl, buyerIds, timeoutMs, onProgress = () => {}) {
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
export async function verifyPipeline({ ordersUrl, productsUrl, redisUrl, streams, market, accepted, uncertain = 0 }) {
  const buyerIds = market.buyers.map((b) => b.id);
  const productIds = market.products.map((p) => p.id);
  const initial = market.products.reduce((sum, p) => sum + p.stock, 0);
  const stockNow = Number(
    await query(productsUrl, `select coalesce(sum(stock), 0) from products where id = any(${uuidArray(productIds)})`),
  );
  const sold = initial - stockNow;
  const completedQuantity = Number(
    await query(
      ordersUrl,
      `select coalesce(sum(i.quantity), 0) from order_items i join orders o on o.id = i.order_id
         where o.buyer_id = any(${uuidArray(buyerIds)}) and o.status = 'COMPLETED'`,
    ),
  );
  const counts = await statusCounts(ordersUrl, buyerIds);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const failedReasons = counts.FAILED
    ? await query(
        ordersUrl,
        `select coalesce(reason, '?') || ' ' || count(*) from orders where buyer_id = any(${uuidArray(buyerIds)}) and status = 'FAILED' group by reason`,
      )
    : '';
  const deadLetters = {};
  for (const stream of streams) {
    const [len] = await redisCommands(redisUrl, [['XLEN', `${stream}:dead`]]);
    deadLetters[`${stream}:dead`] = len;
  }
  const deadTotal = Object.values(deadLetters).reduce((a, b) => a + b, 0);
  const checks = [
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
      detail: counts.FAILED ? failedReasons.replace(/\n/g, ', ') : '0 FAILED',
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

async function groupLag(redisUrl, stream) {
  try {
    const [groups] = await redisCommands(redisUrl, [['XINFO', 'GROUPS', stream]]);
    return groups.reduce((sum, flat) => {
      const info = Object.fromEntries(flat.flatMap((v, i) => (i % 2 === 0 ? [[v, flat[i + 1]]] : [])));
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
export async function pipelineBacklog({ ordersUrl, productsUrl, redisUrl, streams }) {
  const unpublished = (url) =>
    query(url, 'select count(*) from outbox where published_at is null').then(Number, () => null);
  const [ordersOutbox, productsOutbox, ordersStream, inventoryStream] = await Promise.all([
    unpublished(ordersUrl),
    unpublished(productsUrl),
    groupLag(redisUrl, streams[0]),
    groupLag(redisUrl, streams[1]),
  ]);
  return { ordersOutbox, ordersStream, productsOutbox, inventoryStream };
}
