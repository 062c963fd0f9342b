import { sql } from 'drizzle-orm';
import type { StreamFields } from '@market/contracts';
import type { CommittedRow } from '@market/kit';
import type { Tx } from './db';
import type { OutcomeStatus } from './schema';

export interface StoredOutcome {
  status: OutcomeStatus;
  /** The inventory.result sent for the order (its event_id included); null for a tombstone. */
  reply: StreamFields | null;
}

export interface Reservation {
  productId: string;
  quantity: number;
  unitPrice: string;
}

/** Advisory-lock namespace of this service's per-order locks (any constant unique to the database). */
const ORDER_LOCK_CLASS = 7301;

/** Inbox dedupe and the outbox, in the tables every saga participant shares (kit/streams). */
export { awaitingRelayOf, recordProcessedBatch } from '@market/kit';

const uuids = (ids: string[]) => sql`${sql.param(ids)}::uuid[]`;

/**
 * Serialises every message about these orders until COMMIT, so two deliveries with different
 * event ids (a republish, a cancel racing its placed) never decide for one order at once. Taken
 * in one fixed order (by lock key), so two consumers locking overlapping batches cannot deadlock.
 */
export async function lockOrders(tx: Tx, orderIds: string[]): Promise<void> {
  if (orderIds.length === 0) return;
  await tx.execute(sql`
    SELECT pg_advisory_xact_lock(${ORDER_LOCK_CLASS}, k)
    FROM (SELECT DISTINCT hashtext(id) AS k FROM unnest(${sql.param(orderIds)}::text[]) AS id ORDER BY k) AS keys`);
}

export async function findOutcomes(tx: Tx, orderIds: string[]): Promise<Map<string, StoredOutcome>> {
  if (orderIds.length === 0) return new Map();
  const { rows } = await tx.execute<{ order_id: string; status: OutcomeStatus; reply: StreamFields | null }>(sql`
    SELECT order_id, status, reply FROM order_outcomes WHERE order_id = ANY(${uuids(orderIds)})`);
  return new Map(rows.map((r) => [r.order_id, { status: r.status, reply: r.reply }]));
}

/** The unreleased reservations of these orders, by order. */
export async function findReservations(tx: Tx, orderIds: string[]): Promise<Map<string, Reservation[]>> {
  const byOrder = new Map<string, Reservation[]>();
  if (orderIds.length === 0) return byOrder;
  const { rows } = await tx.execute<{ order_id: string; product_id: string; quantity: number; unit_price: string }>(sql`
    SELECT order_id, product_id, quantity, unit_price FROM stock_reservations
    WHERE order_id = ANY(${uuids(orderIds)}) AND released_at IS NULL`);
  for (const r of rows) {
    const list = byOrder.get(r.order_id) ?? [];
    list.push({ productId: r.product_id, quantity: r.quantity, unitPrice: r.unit_price });
    byOrder.set(r.order_id, list);
  }
  return byOrder;
}

export interface SagaWrites {
  /** Stock change per product (negative: taken). */
  stock: Map<string, number>;
  /** One row per order: a new order gets its status, reason and reply; a known one only its new status. */
  outcomes: { orderId: string; status: OutcomeStatus; reason: string | null; reply: StreamFields | null }[];
  /** Stock taken per order and product; `released` rows were given back in the same batch. */
  reservations: (Reservation & { orderId: string; released: boolean })[];
  /** Orders whose stored reservations are given back (a reservation is released at most once). */
  released: string[];
  /** inventory.result replies for the outbox, in order. */
  replies: { stream: string; fields: StreamFields }[];
}

/**
 * Writes everything a batch decided in ONE statement: the products' stock (with a new version,
 * so a seller's edit based on the stock before the sale gets a conflict; the CHECK still refuses
 * going below zero), released and new reservations, the outcomes (a known order keeps its first
 * reply, the answer to every copy) and the replies in the outbox. Returns the outbox rows, for the
 * relay to publish once the transaction committed.
 */
export async function saveBatch(tx: Tx, writes: SagaWrites): Promise<CommittedRow[]> {
  const reservations = writes.reservations.map((r) => ({
    order_id: r.orderId,
    product_id: r.productId,
    quantity: r.quantity,
    unit_price: r.unitPrice,
    released: r.released,
  }));
  const outcomes = writes.outcomes.map((o) => ({
    order_id: o.orderId,
    status: o.status,
    reason: o.reason,
    reply: o.reply,
  }));
  const { rows } = await tx.execute<{ id: string; stream: string; fields: StreamFields }>(sql`
    WITH stock AS (
      UPDATE products AS p SET stock = p.stock + c.delta, version = p.version + 1, updated_at = now()
      FROM unnest(${sql.param([...writes.stock.keys()])}::uuid[], ${sql.param([...writes.stock.values()])}::int[]) AS c(id, delta)
      WHERE p.id = c.id
    ), released AS (
      UPDATE stock_reservations SET released_at = now() WHERE order_id = ANY(${uuids(writes.released)}) AND released_at IS NULL
    ), reserved AS (
      INSERT INTO stock_reservations (order_id, product_id, quantity, unit_price, released_at)
      SELECT order_id, product_id, quantity, unit_price, CASE WHEN released THEN now() END
      FROM jsonb_to_recordset(${JSON.stringify(reservations)}::jsonb)
        AS r(order_id uuid, product_id uuid, quantity int, unit_price numeric, released boolean)
    ), outcomes AS (
      INSERT INTO order_outcomes (order_id, status, reason, reply)
      SELECT order_id, status, reason, reply FROM jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb)
        AS o(order_id uuid, status text, reason text, reply jsonb)
      ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, updated_at = now()
    )
    INSERT INTO outbox (stream, fields)
    SELECT m->>'stream', m->'fields' FROM jsonb_array_elements(${JSON.stringify(writes.replies)}::jsonb) WITH ORDINALITY AS r(m, n)
    ORDER BY r.n
    RETURNING id::text, stream, fields`);
  return rows;
}
