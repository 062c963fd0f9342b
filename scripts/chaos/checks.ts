// What must hold after a chaos run, read from the two databases and Redis: every order final and in
// time, stock and its ledger agreeing with the COMPLETED orders, nothing applied twice, no dead letters.
import pg from 'pg';
import { type Check } from '../lib/report-command.js';
import { withRedis } from '../lib/redis.js';
import { type ChaosMarket } from './market.js';
import { type Tally } from './shoppers.js';
import { type Slot } from './system.js';

/** A check a settling run may wait for (`eventual`: a give-back still on its way). */
export type RunCheck = Check & { eventual?: boolean };

interface OrderRow {
  id: string;
  buyer_id: string;
  idempotency_key: string;
  status: string;
  reason: string | null;
  seconds: number;
}
interface ItemRow {
  order_id: string;
  product_id: string;
  quantity: number;
}
interface ProductRow {
  id: string;
  stock: number;
}

async function rowsOf<Row extends pg.QueryResultRow>(url: string, sql: string, params: unknown[]): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const percentile = (sorted: number[], p: number): number | null =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null) : null;
const sample = (list: string[], n = 3): string =>
  `${list.slice(0, n).join('; ')}${list.length > n ? ` … (${list.length} in all)` : ''}`;

/** Orders of the run's buyers, their lines, the products' stock and open reservations. */
async function readState({
  ordersUrl,
  productsUrl,
  buyerIds,
  productIds,
}: {
  ordersUrl: string;
  productsUrl: string;
  buyerIds: string[];
  productIds: string[];
}) {
  const [orders, items, products, reserved] = await Promise.all([
    rowsOf<OrderRow>(
      ordersUrl,
      `SELECT id, buyer_id, idempotency_key, status, reason,
              extract(epoch FROM (updated_at - created_at))::float AS seconds
         FROM orders WHERE buyer_id = ANY($1::uuid[])`,
      [buyerIds],
    ),
    rowsOf<ItemRow>(
      ordersUrl,
      `SELECT i.order_id, i.product_id, i.quantity FROM order_items i JOIN orders o ON o.id = i.order_id
        WHERE o.buyer_id = ANY($1::uuid[])`,
      [buyerIds],
    ),
    rowsOf<ProductRow>(productsUrl, 'SELECT id, stock FROM products WHERE id = ANY($1::uuid[])', [productIds]),
    rowsOf<ItemRow>(
      productsUrl,
      'SELECT order_id, product_id, quantity FROM stock_reservations WHERE released_at IS NULL AND product_id = ANY($1::uuid[])',
      [productIds],
    ),
  ]);
  return { orders, items, products, reserved };
}

async function deadLetters(redisUrl: string): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  await withRedis(redisUrl, async (redis) => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', '*dead*', 'COUNT', 1000);
      for (const key of keys) if ((await redis.type(key)) === 'stream') found[key] = await redis.xlen(key);
      cursor = next;
    } while (cursor !== '0');
  });
  for (const key of ['orders_stream:dead', 'inventory_stream:dead']) found[key] ??= 0;
  return found;
}

/** Errors Redis answered since it started, by kind (INFO errorstats), e.g. { OOM: 3 }. */
export async function redisErrors(redisUrl: string): Promise<Record<string, number>> {
  const text = await withRedis(redisUrl, (redis) => redis.info('errorstats'));
  return Object.fromEntries(
    [...text.matchAll(/errorstat_([A-Z]+):count=(\d+)/g)].map((m): [string, number] => [m[1] ?? '', Number(m[2])]),
  );
}

/**
 * → { ok, checks: [{ name, ok, detail }], figures }. `eventual` marks the checks a settling run may
 * wait for (a give-back still on its way); the others are final once the load has stopped.
 */
export async function verifyRun({
  ordersUrl,
  productsUrl,
  redisUrl,
  market,
  tally,
  slots,
  finalWithinSeconds,
  /** Errors Redis answered over the whole run (every life of it), by kind. */
  redisErrorCounts = {},
  allowedFailures = ['OUT_OF_STOCK'],
}: {
  ordersUrl: string;
  productsUrl: string;
  redisUrl: string;
  market: ChaosMarket;
  tally: Tally;
  slots: Slot[];
  finalWithinSeconds: number;
  redisErrorCounts?: Record<string, number>;
  allowedFailures?: string[];
}) {
  const buyerIds = market.buyers.map((b) => b.id);
  const productIds = market.products.map((p) => p.id);
  const { orders, items, products, reserved } = await readState({ ordersUrl, productsUrl, buyerIds, productIds });

  const byStatus: Record<string, number> = {};
  const failedReasons: Record<string, number> = {};
  for (const o of orders) {
    byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
    if (o.status === 'FAILED') failedReasons[o.reason ?? '?'] = (failedReasons[o.reason ?? '?'] ?? 0) + 1;
  }
  const statusOf = new Map(orders.map((o) => [o.id, o.status]));

  // Every accepted order exists once; nothing exists that was neither accepted nor left unanswered.
  const stored = new Map(orders.map((o) => [`${o.buyer_id}/${o.idempotency_key}`, o]));
  const missing = [...tally.accepted].filter(([key, a]) => stored.get(`${a.buyerId}/${key}`)?.id !== a.orderId);
  const known = new Set([
    ...[...tally.accepted].map(([key, a]) => `${a.buyerId}/${key}`),
    ...[...tally.unanswered].map(([key, b]) => `${b}/${key}`),
  ]);
  const strangers = orders.filter((o) => !known.has(`${o.buyer_id}/${o.idempotency_key}`));

  // Time to final: a placed order's last change is its PENDING → COMPLETED/FAILED; a cancel is the buyer's own act.
  const settled = orders
    .filter((o) => o.status === 'COMPLETED' || o.status === 'FAILED')
    .map((o) => o.seconds)
    .sort((a, b) => a - b);
  const late = settled.filter((s) => s > finalWithinSeconds);

  // Stock: sold = initial − now, per product, against the lines of COMPLETED orders.
  const completedUnits = new Map(productIds.map((id) => [id, 0]));
  const expectedHeld = new Map<string, number>(); // order/product → units a COMPLETED order holds
  for (const i of items) {
    if (statusOf.get(i.order_id) !== 'COMPLETED') continue;
    completedUnits.set(i.product_id, (completedUnits.get(i.product_id) ?? 0) + i.quantity);
    expectedHeld.set(`${i.order_id}/${i.product_id}`, i.quantity);
  }
  const stockNow = new Map(products.map((p) => [p.id, p.stock]));
  const stockWrong = market.products
    .map((p) => ({ id: p.id, sold: p.stock - (stockNow.get(p.id) ?? NaN), completed: completedUnits.get(p.id) }))
    .filter((p) => p.sold !== p.completed)
    .map((p) => `${p.id.slice(0, 8)} sold ${p.sold}, COMPLETED lines ${p.completed}`);
  const negative = products.filter((p) => p.stock < 0).map((p) => `${p.id.slice(0, 8)} at ${p.stock}`);

  // The products side's ledger: units still reserved per order and product must be exactly what a
  // COMPLETED order holds — a give-back applied twice, a reservation taken twice or one never given
  // back for a cancelled or failed order all show here.
  const held = new Map<string, number>();
  for (const r of reserved)
    held.set(`${r.order_id}/${r.product_id}`, (held.get(`${r.order_id}/${r.product_id}`) ?? 0) + r.quantity);
  const ledgerWrong: string[] = [];
  for (const key of new Set([...held.keys(), ...expectedHeld.keys()])) {
    const [orderId = ''] = key.split('/');
    const want = expectedHeld.get(key) ?? 0;
    const have = held.get(key) ?? 0;
    if (want !== have)
      ledgerWrong.push(
        `order ${orderId.slice(0, 8)} (${statusOf.get(orderId) ?? 'unknown'}) holds ${have}, should hold ${want}`,
      );
  }

  const dead = await deadLetters(redisUrl);
  const deadTotal = Object.values(dead).reduce((a, b) => a + b, 0);
  const errors = redisErrorCounts;
  const crashes = slots.flatMap((s) =>
    s.crashes.map((c) => `${s.name} (${c.signal ?? `exit ${c.code}`}${c.whileStarting ? ' while starting' : ''})`),
  );
  const unexpectedFailures = Object.entries(failedReasons).filter(([reason]) => !allowedFailures.includes(reason));
  const unanswered = tally.unanswered.size + tally.cancels.unanswered;

  const checks: RunCheck[] = [
    {
      name: 'every accepted order stored once',
      ok: missing.length === 0 && strangers.length === 0,
      detail: `${tally.accepted.size} accepted, ${orders.length} stored${missing.length ? `, ${missing.length} missing` : ''}${strangers.length ? `, ${strangers.length} unknown` : ''}`,
    },
    {
      name: 'every request answered (retried with its Idempotency-Key)',
      ok: unanswered === 0 && Object.keys(tally.refused).length === 0,
      detail: `${tally.unanswered.size} orders and ${tally.cancels.unanswered} cancels never answered, refused ${JSON.stringify(tally.refused)}${tally.refusedSample ? ` (${tally.refusedSample})` : ''}`,
      eventual: false,
    },
    {
      name: 'no order left PENDING',
      ok: !byStatus.PENDING,
      detail: `${byStatus.PENDING ?? 0} PENDING`,
      eventual: true,
    },
    {
      name: `every order final within ${finalWithinSeconds}s of being placed`,
      ok: late.length === 0 && !byStatus.PENDING,
      detail: `p50 ${fmt(percentile(settled, 50))}, p99 ${fmt(percentile(settled, 99))}, max ${fmt(settled.at(-1))}${late.length ? `; ${late.length} later than ${finalWithinSeconds}s` : ''}`,
      eventual: true,
    },
    {
      name: 'no order FAILED with TIMED_OUT',
      ok: !failedReasons.TIMED_OUT,
      detail: `${failedReasons.TIMED_OUT ?? 0} TIMED_OUT`,
    },
    {
      name: `no FAILED reason other than ${allowedFailures.join(', ')}`,
      ok: unexpectedFailures.length === 0,
      detail: Object.keys(failedReasons).length
        ? Object.entries(failedReasons)
            .map(([r, n]) => `${r} ${n}`)
            .join(', ')
        : 'none FAILED',
    },
    {
      name: 'stock sold = quantities of COMPLETED orders, every product',
      ok: stockWrong.length === 0,
      detail: stockWrong.length ? sample(stockWrong) : `${market.products.length} products agree`,
      eventual: true,
    },
    { name: 'no negative stock', ok: negative.length === 0, detail: negative.length ? sample(negative) : 'none' },
    {
      name: 'stock ledger = COMPLETED orders (nothing taken or given back twice)',
      ok: ledgerWrong.length === 0,
      detail: ledgerWrong.length ? sample(ledgerWrong) : `${held.size} reservations held, all by COMPLETED orders`,
      eventual: true,
    },
    {
      name: 'dead-letter streams empty',
      ok: deadTotal === 0,
      detail: Object.entries(dead)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    },
    {
      name: 'Redis refused no write (OOM)',
      ok: !errors.OOM,
      detail: errors.OOM ? `${errors.OOM} commands refused for memory` : 'none refused',
    },
    {
      name: 'no process died unless the run killed it',
      ok: crashes.length === 0,
      detail: crashes.length ? sample(crashes, 5) : 'none',
    },
  ];
  return {
    ok: checks.every((c) => c.ok),
    checks,
    figures: {
      byStatus,
      failedReasons,
      stored: orders.length,
      timeToFinal: { p50: percentile(settled, 50), p99: percentile(settled, 99), max: settled.at(-1) ?? null },
      deadLetters: dead,
      redisErrors: errors,
    },
  };
}

function fmt(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  return seconds < 1 ? `${Math.round(seconds * 1000)}ms` : `${seconds.toFixed(1)}s`;
}
