import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { FailureReason, OrderStatus } from '@market/contracts';
import type { Tx } from './db';
import { CANCEL_REPUBLISH_LIMIT, orderItems, orders } from './schema';

export interface ItemRecord {
  productId: string;
  productName: string | null;
  sellerId: string | null;
  quantity: number;
  unitPrice: string;
}

export interface OrderRecord {
  id: string;
  buyerId: string;
  status: OrderStatus;
  reason: FailureReason | null;
  total: string | null;
  placedEventId: string;
  correlationId: string;
  /** Set once the order is CANCELLED: what every copy of its order.cancelled carries. */
  cancelledEventId: string | null;
  cancelCorrelationId: string | null;
  cancelledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  items: ItemRecord[];
}

export interface CancelEvent {
  eventId: string;
  correlationId: string;
}

export interface NewOrder {
  id: string;
  buyerId: string;
  idempotencyKey: string;
  requestHash: string;
  placedEventId: string;
  correlationId: string;
  items: { productId: string; quantity: number; unitPrice: string }[];
}

const orderColumns = {
  id: orders.id,
  buyerId: orders.buyerId,
  status: orders.status,
  reason: orders.reason,
  total: orders.total,
  placedEventId: orders.placedEventId,
  correlationId: orders.correlationId,
  cancelledEventId: orders.cancelledEventId,
  cancelCorrelationId: orders.cancelCorrelationId,
  cancelledAt: orders.cancelledAt,
  createdAt: orders.createdAt,
  updatedAt: orders.updatedAt,
};

/** Inserts the order and its lines unless the buyer already used the key; true when inserted. */
export async function insertOrderIfNew(tx: Tx, order: NewOrder): Promise<boolean> {
  const inserted = await tx
    .insert(orders)
    .values({
      id: order.id,
      buyerId: order.buyerId,
      idempotencyKey: order.idempotencyKey,
      requestHash: order.requestHash,
      placedEventId: order.placedEventId,
      correlationId: order.correlationId,
    })
    .onConflictDoNothing({ target: [orders.buyerId, orders.idempotencyKey] })
    .returning({ id: orders.id });
  if (inserted.length === 0) return false;
  await tx.insert(orderItems).values(order.items.map((item, line) => ({ orderId: order.id, line, ...item })));
  return true;
}

export async function findByIdempotencyKey(tx: Tx, buyerId: string, key: string) {
  const [row] = await tx
    .select({ id: orders.id, requestHash: orders.requestHash })
    .from(orders)
    .where(and(eq(orders.buyerId, buyerId), eq(orders.idempotencyKey, key)));
  return row;
}

async function withItems(tx: Tx, rows: Omit<OrderRecord, 'items'>[]): Promise<OrderRecord[]> {
  if (rows.length === 0) return [];
  const items = await tx
    .select()
    .from(orderItems)
    .where(inArray(orderItems.orderId, rows.map((r) => r.id)))
    .orderBy(asc(orderItems.line));
  return rows.map((row) => ({
    ...row,
    items: items
      .filter((item) => item.orderId === row.id)
      .map(({ productId, productName, sellerId, quantity, unitPrice }) => ({ productId, productName, sellerId, quantity, unitPrice })),
  }));
}

export async function findOrder(tx: Tx, id: string): Promise<OrderRecord | undefined> {
  const rows = await tx.select(orderColumns).from(orders).where(eq(orders.id, id));
  return (await withItems(tx, rows))[0];
}

/** A page of orders, newest first; all buyers' when `buyerId` is undefined. */
export async function listOrders(tx: Tx, buyerId: string | undefined, page: number, pageSize: number) {
  const where = buyerId ? eq(orders.buyerId, buyerId) : undefined;
  const [rows, [counted]] = await Promise.all([
    tx
      .select(orderColumns)
      .from(orders)
      .where(where)
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    tx.select({ total: count() }).from(orders).where(where),
  ]);
  return { rows: await withItems(tx, rows), total: counted?.total ?? 0 };
}

/**
 * → CANCELLED for the buyer's own order, only from one of `from`, storing the order.cancelled
 * event it publishes; false when the guard did not match.
 */
export async function markCancelled(tx: Tx, id: string, buyerId: string, from: readonly OrderStatus[], cancel: CancelEvent): Promise<boolean> {
  const updated = await tx
    .update(orders)
    .set({
      status: 'CANCELLED',
      cancelledEventId: cancel.eventId,
      cancelCorrelationId: cancel.correlationId,
      cancelledAt: sql`now()`,
      lastPublishedAt: sql`now()`,
      cancelRepublishes: 0,
      updatedAt: sql`now()`,
    })
    .where(and(eq(orders.id, id), eq(orders.buyerId, buyerId), inArray(orders.status, [...from])))
    .returning({ id: orders.id });
  return updated.length > 0;
}

/** PENDING → COMPLETED with the catalog's prices, names and sellers; the total summed in NUMERIC. */
export async function markCompleted(tx: Tx, id: string, priced: ItemRecord[]): Promise<boolean> {
  const updated = await tx
    .update(orders)
    .set({ status: 'COMPLETED', reason: null, updatedAt: sql`now()` })
    .where(and(eq(orders.id, id), eq(orders.status, 'PENDING')))
    .returning({ id: orders.id });
  if (updated.length === 0) return false;
  for (const item of priced) {
    await tx
      .update(orderItems)
      .set({ unitPrice: item.unitPrice, productName: item.productName, sellerId: item.sellerId })
      .where(and(eq(orderItems.orderId, id), eq(orderItems.productId, item.productId)));
  }
  await tx.execute(sql`
    UPDATE orders SET total = (SELECT coalesce(sum(quantity * unit_price), 0) FROM order_items WHERE order_id = ${id})
    WHERE id = ${id}`);
  return true;
}

/** PENDING → FAILED with the reason. */
export async function markFailed(tx: Tx, id: string, reason: FailureReason): Promise<boolean> {
  const updated = await tx
    .update(orders)
    .set({ status: 'FAILED', reason, updatedAt: sql`now()` })
    .where(and(eq(orders.id, id), eq(orders.status, 'PENDING')))
    .returning({ id: orders.id });
  return updated.length > 0;
}

/** Locks PENDING orders not published for `graceSeconds`; other replicas skip them. */
export async function lockStalePending(tx: Tx, graceSeconds: number, limit: number): Promise<string[]> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    SELECT id FROM orders
    WHERE status = 'PENDING' AND last_published_at < now() - make_interval(secs => ${graceSeconds})
    ORDER BY last_published_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`);
  return rows.map((r) => r.id);
}

export async function touchPublished(tx: Tx, ids: string[]): Promise<void> {
  if (ids.length > 0) await tx.update(orders).set({ lastPublishedAt: sql`now()` }).where(inArray(orders.id, ids));
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

/**
 * Locks CANCELLED orders whose order.cancelled was last queued longer ago than the grace,
 * doubled for each republish already made, and republished fewer than CANCEL_REPUBLISH_LIMIT
 * times; other replicas skip them.
 */
export async function lockStaleCancels(tx: Tx, graceSeconds: number, limit: number): Promise<string[]> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    SELECT id FROM orders
    WHERE status = 'CANCELLED' AND cancelled_event_id IS NOT NULL AND cancel_republishes < ${sql.raw(String(CANCEL_REPUBLISH_LIMIT))}
      AND last_published_at < now() - make_interval(secs => ${graceSeconds} * power(2, cancel_republishes))
    ORDER BY last_published_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`);
  return rows.map((r) => r.id);
}

/** The wait for the next republish of the order's order.cancelled starts again; `counted` adds one republish. */
export async function touchCancelPublished(tx: Tx, id: string, options: { counted: boolean }): Promise<void> {
  await tx
    .update(orders)
    .set({ lastPublishedAt: sql`now()`, ...(options.counted ? { cancelRepublishes: sql`${orders.cancelRepublishes} + 1` } : {}) })
    .where(eq(orders.id, id));
}
