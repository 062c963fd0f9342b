import { and, eq, isNull, sql } from 'drizzle-orm';
import type { StreamFields } from '@market/contracts';
import type { Tx } from './db';
import { orderOutcomes, stockReservations, type OutcomeStatus } from './schema';

export type OrderOutcome = typeof orderOutcomes.$inferSelect;
export type Reservation = Pick<typeof stockReservations.$inferInsert, 'productId' | 'quantity' | 'unitPrice'>;

/** Advisory-lock namespace of this service's per-order locks (any constant unique to the database). */
const ORDER_LOCK_CLASS = 7301;

/** Inbox dedupe and the outbox, in the tables every saga participant shares (kit/streams). */
export { enqueueOutboxRow as enqueue, isAwaitingRelay, recordProcessed } from '@market/kit';

/**
 * Serialises every message about one order until COMMIT, so two deliveries with different
 * event ids (a republish, a cancel racing its placed) never decide for the same order at once.
 */
export async function lockOrder(tx: Tx, orderId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${ORDER_LOCK_CLASS}, hashtext(${orderId}))`);
}

export async function findOutcome(tx: Tx, orderId: string): Promise<OrderOutcome | undefined> {
  const [row] = await tx.select().from(orderOutcomes).where(eq(orderOutcomes.orderId, orderId));
  return row;
}

export async function saveOutcome(
  tx: Tx,
  outcome: { orderId: string; status: OutcomeStatus; reason?: string | null; reply?: StreamFields | null },
): Promise<void> {
  const values = { reason: null, reply: null, ...outcome, updatedAt: sql`now()` };
  await tx
    .insert(orderOutcomes)
    .values(values)
    .onConflictDoUpdate({ target: orderOutcomes.orderId, set: { status: outcome.status, updatedAt: sql`now()` } });
}

export async function insertReservations(tx: Tx, orderId: string, rows: Reservation[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(stockReservations).values(rows.map((row) => ({ ...row, orderId })));
}

/** Marks the order's unreleased reservations released and returns them, in product id order. */
export async function releaseReservations(tx: Tx, orderId: string): Promise<Reservation[]> {
  const released = await tx
    .update(stockReservations)
    .set({ releasedAt: sql`now()` })
    .where(and(eq(stockReservations.orderId, orderId), isNull(stockReservations.releasedAt)))
    .returning({ productId: stockReservations.productId, quantity: stockReservations.quantity, unitPrice: stockReservations.unitPrice });
  return released.sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}
