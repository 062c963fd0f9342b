import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { FailureReason, OrderStatus, ShippingAddress, StreamFields } from '@market/contracts';
import type { Db, Tx } from './db';
import { sourcesOf } from '../domain/order-status';
import { orders, pendingOrders } from './schema';

export interface ItemRecord {
  productId: string;
  productName: string | null;
  sellerId: string | null;
  quantity: number;
  unitPrice: string;
}

/** A part that moved past CONFIRMED, as stored (timestamps as PostgreSQL's JSON writes them). */
export interface PartRecord {
  sellerId: string;
  state: 'SHIPPED' | 'DELIVERED';
  carrier: string;
  trackingNumber: string;
  shippedAt: string;
  deliveredAt: string | null;
}

export interface OrderRecord {
  id: string;
  buyerId: string;
  buyerName: string | null;
  status: OrderStatus;
  reason: FailureReason | null;
  total: string | null;
  placedEventId: string;
  correlationId: string;
  /** Set once the order is CANCELLED: what every copy of its order.cancelled carries. */
  cancelledEventId: string | null;
  cancelCorrelationId: string | null;
  cancelledAt: Date | null;
  shippingAddress: ShippingAddress | null;
  createdAt: Date;
  updatedAt: Date;
  items: ItemRecord[];
  /** The stored parts; absent where the order cannot have any yet (the saga's locks of PENDING orders). */
  parts?: PartRecord[];
}

export interface CancelEvent {
  eventId: string;
  correlationId: string;
}

export interface NewOrder {
  id: string;
  createdAt: Date;
  buyerId: string;
  buyerName?: string | null;
  idempotencyKey: string;
  requestHash: string;
  placedEventId: string;
  correlationId: string;
  /** One of the buyer's saved addresses, copied onto the order by the insert itself. */
  shippingAddressId?: string | null | undefined;
  items: { productId: string; quantity: number; unitPrice: string }[];
}

export const orderColumns = {
  id: orders.id,
  buyerId: orders.buyerId,
  buyerName: orders.buyerName,
  status: orders.status,
  reason: orders.reason,
  total: orders.total,
  placedEventId: orders.placedEventId,
  correlationId: orders.correlationId,
  cancelledEventId: orders.cancelledEventId,
  cancelCorrelationId: orders.cancelCorrelationId,
  cancelledAt: orders.cancelledAt,
  shippingAddress: orders.shippingAddress,
  createdAt: orders.createdAt,
  updatedAt: orders.updatedAt,
};

/** The guard of every UPDATE into `to`: the order is in one of the statuses the status machine allows it from. */
const mayBecome = (to: OrderStatus, table?: string) =>
  sql`${sql.raw(table ? `${table}.status` : 'status')} = ANY(${sql.param(sourcesOf(to))}::text[])`;

/**
 * Inserts the order, its lines, its pending_orders row and its outbox rows (order.placed, order.status_changed) in ONE statement (atomic without
 * a transaction: one round trip), unless the buyer already used the key or named an address that is not theirs. The
 * order copies the address in the same statement, so a later edit of the address never reaches it. A concurrent
 * request with the same key waits for the first insert, then inserts nothing.
 * Returns the outbox rows' ids (in the order given) and the address copied, when inserted.
 */
export async function insertOrderIfNew(
  db: Db,
  order: NewOrder,
  outbox: { stream: string; fields: StreamFields }[],
): Promise<{ outboxIds: string[]; shippingAddress: ShippingAddress | null } | undefined> {
  const lines = order.items.map((item, line) => ({
    line,
    product_id: item.productId,
    quantity: item.quantity,
    unit_price: item.unitPrice,
  }));
  const at = order.createdAt.toISOString();
  // A named statement: parsed and planned once per connection, however many orders follow.
  const { rows } = await db.$client.query<{ ids: string[]; shipping_address: ShippingAddress | null }>({
    name: 'orders_place_order',
    text: `
      WITH address AS (
        SELECT NULL::jsonb AS snapshot WHERE $10::uuid IS NULL
        UNION ALL
        SELECT jsonb_build_object('name', a.name, 'line1', a.line1, 'line2', a.line2, 'city', a.city,
          'postalCode', a.postal_code, 'region', a.region, 'country', a.country, 'phone', a.phone)
        FROM addresses AS a WHERE a.id = $10::uuid AND a.user_id = $2::uuid
      ), new_order AS (
        INSERT INTO orders (id, buyer_id, buyer_name, idempotency_key, request_hash, placed_event_id, correlation_id, created_at, updated_at, last_published_at, shipping_address)
        SELECT $1::uuid, $2::uuid, $11, $3, $4, $5::uuid, $6, $7::timestamptz, $7::timestamptz, $7::timestamptz, address.snapshot FROM address
        ON CONFLICT (buyer_id, idempotency_key) DO NOTHING
        RETURNING id, shipping_address
      ), new_lines AS (
        INSERT INTO order_items (order_id, line, product_id, quantity, unit_price)
        SELECT n.id, l.line, l.product_id, l.quantity, l.unit_price
        FROM new_order AS n, jsonb_to_recordset($8::jsonb) AS l(line smallint, product_id uuid, quantity int, unit_price numeric)
      ), new_pending AS (
        INSERT INTO pending_orders (order_id, created_at, last_published_at) SELECT id, $7, $7 FROM new_order
      ), new_message AS (
        INSERT INTO outbox (stream, fields)
        SELECT m.message->>'stream', m.message->'fields' FROM new_order, jsonb_array_elements($9::jsonb) WITH ORDINALITY AS m(message, n)
        ORDER BY m.n RETURNING id
      )
      SELECT (SELECT array_agg(m.id::text ORDER BY m.id) FROM new_message AS m) AS ids, n.shipping_address FROM new_order AS n`,
    values: [
      order.id,
      order.buyerId,
      order.idempotencyKey,
      order.requestHash,
      order.placedEventId,
      order.correlationId,
      at,
      JSON.stringify(lines),
      JSON.stringify(outbox),
      order.shippingAddressId ?? null,
      order.buyerName ?? null,
    ],
  });
  return rows[0] ? { outboxIds: rows[0].ids, shippingAddress: rows[0].shipping_address } : undefined;
}

/** PENDING orders, counted up to `cap`: accepted but not yet settled by the pipeline. */
export async function countPending(tx: Tx, cap: number): Promise<number> {
  const { rows } = await tx.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM pending_orders LIMIT ${cap}) AS pending`);
  return rows[0]?.n ?? 0;
}

export async function findByIdempotencyKey(tx: Tx, buyerId: string, key: string) {
  const [row] = await tx
    .select({ id: orders.id, requestHash: orders.requestHash })
    .from(orders)
    .where(and(eq(orders.buyerId, buyerId), eq(orders.idempotencyKey, key)));
  return row;
}

/** An order's lines in line order, read with the order in one query (prices as exact decimal strings). */
export const itemsColumn = sql<ItemRecord[]>`(
  SELECT coalesce(json_agg(json_build_object('productId', i.product_id, 'productName', i.product_name, 'sellerId', i.seller_id,
    'quantity', i.quantity, 'unitPrice', i.unit_price::text) ORDER BY i.line), '[]'::json)
  FROM order_items AS i WHERE i.order_id = ${orders.id})`;

/** An order's shipped or delivered parts, read with the order in one query. */
const partsColumn = sql<PartRecord[]>`(
  SELECT coalesce(json_agg(json_build_object('sellerId', p.seller_id, 'state', p.state, 'carrier', p.carrier,
    'trackingNumber', p.tracking_number, 'shippedAt', p.shipped_at, 'deliveredAt', p.delivered_at) ORDER BY p.seller_id), '[]'::json)
  FROM order_parts AS p WHERE p.order_id = ${orders.id})`;

const readColumns = { ...orderColumns, items: itemsColumn, parts: partsColumn };

/**
 * The read every order page and event stream makes, prepared once per database handle: PostgreSQL
 * parses and plans it once per connection, and the query is not built again for each request.
 */
const preparedFind = new WeakMap<Db, ReturnType<typeof prepareFind>>();
const prepareFind = (db: Db) =>
  db
    .select(readColumns)
    .from(orders)
    .where(eq(orders.id, sql.placeholder('id')))
    .prepare('orders_find_order');

/** One order with its lines, outside any transaction (reads for the API). */
export async function readOrderById(db: Db, id: string): Promise<OrderRecord | undefined> {
  let find = preparedFind.get(db);
  if (!find) preparedFind.set(db, (find = prepareFind(db)));
  const [row] = await find.execute({ id });
  return row;
}

export async function findOrder(tx: Tx, id: string): Promise<OrderRecord | undefined> {
  const [row] = await tx.select(readColumns).from(orders).where(eq(orders.id, id));
  return row;
}

/** A page of orders, newest first; all buyers' when `buyerId` is undefined. */
export async function listOrders(tx: Tx, buyerId: string | undefined, page: number, pageSize: number) {
  const where = buyerId ? eq(orders.buyerId, buyerId) : undefined;
  const [rows, [counted]] = await Promise.all([
    tx
      .select(readColumns)
      .from(orders)
      .where(where)
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    tx.select({ total: count() }).from(orders).where(where),
  ]);
  return { rows, total: counted?.total ?? 0 };
}

/**
 * → CANCELLED for the buyer's own order, only from a status the status machine allows and while
 * no part has shipped, storing the order.cancelled event it publishes; false when the guard did
 * not match.
 */
export async function markCancelled(tx: Tx, id: string, buyerId: string, cancel: CancelEvent): Promise<boolean> {
  const updated = await tx
    .update(orders)
    .set({
      status: 'CANCELLED',
      cancelledEventId: cancel.eventId,
      cancelCorrelationId: cancel.correlationId,
      cancelledAt: sql`now()`,
      lastPublishedAt: sql`now()`,
      giveBackConfirmedAt: null,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(orders.id, id),
        eq(orders.buyerId, buyerId),
        inArray(orders.status, sourcesOf('CANCELLED')),
        // On the order's own row, so a ship committed while this UPDATE waited for the row is seen.
        isNull(orders.firstShippedAt),
      ),
    )
    .returning({ id: orders.id });
  if (updated.length === 0) return false;
  await tx.delete(pendingOrders).where(eq(pendingOrders.orderId, id));
  return true;
}

/** The orders with these ids, locked in id order (so two consumers never deadlock), with their lines. */
export async function lockOrdersById(tx: Tx, ids: string[]): Promise<Map<string, OrderRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ ...orderColumns, items: itemsColumn })
    .from(orders)
    .where(inArray(orders.id, ids))
    .orderBy(asc(orders.id))
    .for('update');
  return new Map(rows.map((order) => [order.id, order]));
}

export interface SettledRow {
  id: string;
  total: string | null;
  updatedAt: Date;
}

export interface Settlement {
  id: string;
  status: 'COMPLETED' | 'FAILED';
  reason: FailureReason | null;
  /** COMPLETED: every line with the catalog's price, name and seller; the total is summed from them in NUMERIC. */
  priced: ItemRecord[];
}

/**
 * Applies replies to orders in one statement: the priced lines and each order's status, reason
 * and total, guarded by the status machine (a replayed or late reply never moves an order back),
 * and the settled orders' pending_orders rows.
 * Returns the orders that changed, with their new total and update time.
 */
export async function settleOrders(tx: Tx, settlements: Settlement[]): Promise<SettledRow[]> {
  if (settlements.length === 0) return [];
  const rows = settlements.map((s) => ({
    id: s.id,
    status: s.status,
    reason: s.reason,
    items: s.priced.map((item) => ({
      product_id: item.productId,
      quantity: item.quantity,
      unit_price: item.unitPrice,
      product_name: item.productName,
      seller_id: item.sellerId,
    })),
    sources: sourcesOf(s.status),
  }));
  // One statement: the priced lines and each order's status, reason and total (summed in NUMERIC
  // from the priced lines, which the caller checked are exactly the order's lines).
  const { rows: changed } = await tx.execute<{ id: string; total: string | null; updated_at: string }>(sql`
    WITH v AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id uuid, status text, reason text, items jsonb, sources text[])
    ), lines AS (
      UPDATE order_items AS i SET unit_price = l.unit_price, product_name = l.product_name, seller_id = l.seller_id
      FROM v, jsonb_to_recordset(v.items) AS l(product_id uuid, unit_price numeric, product_name text, seller_id uuid)
      WHERE i.order_id = v.id AND i.product_id = l.product_id
    ), settled AS (
      UPDATE orders AS o SET status = v.status, reason = v.reason, updated_at = now(),
        total = CASE WHEN v.status = 'COMPLETED' THEN
          (SELECT coalesce(sum(l.quantity * l.unit_price), 0) FROM jsonb_to_recordset(v.items) AS l(quantity int, unit_price numeric)) END
      FROM v
      WHERE o.id = v.id AND o.status = ANY(v.sources)
      RETURNING o.id, o.total::text AS total, o.updated_at
    ), no_longer_pending AS (
      DELETE FROM pending_orders AS p USING settled WHERE p.order_id = settled.id
    )
    SELECT * FROM settled`);
  return changed.map((r) => ({ id: r.id, total: r.total, updatedAt: new Date(r.updated_at) }));
}

/**
 * The wait before an event is queued again: as long as it had already been out when last queued
 * (`since` is when it was first queued), at least the grace and at most the cap — so the waits
 * double (grace, grace, 2×, 4×, …) without a counter.
 */
const backoffDue = (since: ReturnType<typeof sql.raw>, retry: Retry, table?: string) => {
  const published = sql.raw(table ? `${table}.last_published_at` : 'last_published_at');
  return sql`
  ${published} < now() - make_interval(secs => ${retry.graceSeconds})
  AND ${published} < now() - least(make_interval(secs => ${retry.capSeconds}),
    greatest(make_interval(secs => ${retry.graceSeconds}), ${published} - ${since}))`;
};

export interface Retry {
  graceSeconds: number;
  capSeconds: number;
}

/**
 * Locks PENDING orders whose order.placed is due again (see backoffDue); other replicas skip them.
 * The lock is the order's row, as every status change takes it first (then pending_orders'), so
 * no two transactions wait on each other in opposite orders.
 */
export async function lockStalePending(tx: Tx, retry: Retry, limit: number): Promise<string[]> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    SELECT o.id FROM pending_orders AS p JOIN orders AS o ON o.id = p.order_id
    WHERE ${backoffDue(sql.raw('p.created_at'), retry, 'p')}
    ORDER BY p.last_published_at LIMIT ${limit} FOR UPDATE OF o SKIP LOCKED`);
  return rows.map((r) => r.id);
}

/**
 * Locks the orders placed longer ago than the deadline that may still turn FAILED (the guard
 * markTimedOut applies), oldest first; other replicas skip them.
 */
export async function lockOverdue(tx: Tx, deadlineSeconds: number, limit: number): Promise<string[]> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    SELECT o.id FROM pending_orders AS p JOIN orders AS o ON o.id = p.order_id
    WHERE ${mayBecome('FAILED', 'o')} AND p.created_at < now() - make_interval(secs => ${deadlineSeconds})
    ORDER BY p.created_at LIMIT ${limit} FOR UPDATE OF o SKIP LOCKED`);
  return rows.map((r) => r.id);
}

export interface TimedOut {
  id: string;
  /** The give-back every copy of whose order.cancelled carries these. */
  cancel: CancelEvent & { at: Date };
}

/** → FAILED (TIMED_OUT) from PENDING with the give-back's event stored, no longer in pending_orders; returns the orders changed and their update time. */
export async function markTimedOut(tx: Tx, timedOut: TimedOut[]): Promise<{ id: string; updatedAt: Date }[]> {
  if (timedOut.length === 0) return [];
  const rows = timedOut.map((t) => ({
    id: t.id,
    event_id: t.cancel.eventId,
    correlation_id: t.cancel.correlationId,
    at: t.cancel.at.toISOString(),
  }));
  const { rows: changed } = await tx.execute<{ id: string; updated_at: string }>(sql`
    WITH timed_out AS (
      UPDATE orders AS o SET status = 'FAILED', reason = 'TIMED_OUT', cancelled_event_id = v.event_id,
        cancel_correlation_id = v.correlation_id, cancelled_at = v.at, last_published_at = now(),
        give_back_confirmed_at = NULL, updated_at = now()
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id uuid, event_id uuid, correlation_id text, at timestamptz)
      WHERE o.id = v.id AND ${mayBecome('FAILED', 'o')}
      RETURNING o.id, o.updated_at
    ), no_longer_pending AS (
      DELETE FROM pending_orders AS p USING timed_out WHERE p.order_id = timed_out.id
    )
    SELECT * FROM timed_out`);
  return changed.map((r) => ({ id: r.id, updatedAt: new Date(r.updated_at) }));
}

/** Give-backs answered by products (inventory.released of that very order.cancelled); returns the orders confirmed now. */
export async function confirmGiveBacks(
  tx: Tx,
  answers: { orderId: string; cancelEventId: string }[],
): Promise<string[]> {
  if (answers.length === 0) return [];
  const rows = answers.map((a) => ({ order_id: a.orderId, cancel_event_id: a.cancelEventId }));
  const { rows: changed } = await tx.execute<{ id: string }>(sql`
    UPDATE orders AS o SET give_back_confirmed_at = now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(order_id uuid, cancel_event_id uuid)
    WHERE o.id = v.order_id AND o.cancelled_event_id = v.cancel_event_id AND o.give_back_confirmed_at IS NULL
    RETURNING o.id`);
  return changed.map((r) => r.id);
}

/** Give-backs products has not answered yet, counted up to `cap`. */
export async function countUnconfirmedGiveBacks(db: Db | Tx, cap: number): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM orders WHERE cancelled_event_id IS NOT NULL AND give_back_confirmed_at IS NULL LIMIT ${cap}) AS waiting`);
  return rows[0]?.n ?? 0;
}

/** The PENDING orders' order.placed was queued again now. */
export async function touchPlacedPublished(tx: Tx, ids: string[]): Promise<void> {
  if (ids.length > 0)
    await tx
      .update(pendingOrders)
      .set({ lastPublishedAt: sql`now()` })
      .where(inArray(pendingOrders.orderId, ids));
}

/** The orders' give-back (order.cancelled) was queued again now. */
export async function touchPublished(tx: Tx, ids: string[]): Promise<void> {
  if (ids.length > 0)
    await tx
      .update(orders)
      .set({ lastPublishedAt: sql`now()` })
      .where(inArray(orders.id, ids));
}

/**
 * Gives a CANCELLED order that has no stored order.cancelled yet (cancelled before the event id
 * was kept) one, dated at its last update, which was the cancel.
 */
export async function storeMissingCancelEvent(tx: Tx, id: string, cancel: CancelEvent): Promise<void> {
  await tx
    .update(orders)
    .set({ cancelledEventId: cancel.eventId, cancelCorrelationId: cancel.correlationId, cancelledAt: sql`updated_at` })
    .where(and(eq(orders.id, id), eq(orders.status, 'CANCELLED'), isNull(orders.cancelledEventId)));
}

/** Locks orders whose give-back products has not answered and is due again (see backoffDue); other replicas skip them. */
export async function lockUnconfirmedGiveBacks(tx: Tx, retry: Retry, limit: number): Promise<string[]> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    SELECT id FROM orders
    WHERE cancelled_event_id IS NOT NULL AND give_back_confirmed_at IS NULL AND ${backoffDue(sql.raw('cancelled_at'), retry)}
    ORDER BY last_published_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`);
  return rows.map((r) => r.id);
}
