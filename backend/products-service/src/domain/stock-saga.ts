import { randomUUID } from 'node:crypto';
import {
  MESSAGE_VERSION,
  decodeOrdersMessage,
  encodeInventoryResult,
  type InventoryResult,
  type OrderCancelled,
  type OrderPlaced,
  type StreamFields,
} from '@market/contracts';
import type { Db, Tx } from '../data/db';
import { adjustStock, lockProducts } from '../data/product-repository';
import {
  enqueue,
  findOutcome,
  insertReservations,
  isAwaitingRelay,
  lockOrder,
  recordProcessed,
  releaseReservations,
  saveOutcome,
} from '../data/saga-repository';
import { decideStock } from './stock-decision';

export interface SagaContext {
  db: Db;
  /** The stream the messages come from, recorded with each processed event id. */
  ordersStream: string;
  /** Where inventory.result replies go (through the outbox). */
  inventoryStream: string;
}

export type SagaOutcome =
  | 'reserved'
  | 'rejected'
  | 'replied-again'
  | 'duplicate'
  | 'placed-after-cancel'
  | 'released'
  | 'cancelled-before-placed'
  | 'already-settled';

export interface SagaResult {
  outcome: SagaOutcome;
  /** True when an outbox row was written, so the relay can be woken. */
  replied: boolean;
}

function resultMessage(order: OrderPlaced, fields: Pick<InventoryResult, 'status' | 'reason' | 'items'>): StreamFields {
  return encodeInventoryResult({
    type: 'inventory.result',
    version: MESSAGE_VERSION,
    event_id: randomUUID(),
    order_id: order.order_id,
    correlation_id: order.correlation_id,
    occurred_at: new Date().toISOString(),
    ...fields,
  });
}

/**
 * Sends the stored reply again, unless the same reply still waits in the outbox. This is what
 * answers a republished order.placed, also when the first reply was lost with Redis's last second.
 */
async function replyAgain(tx: Tx, ctx: SagaContext, reply: StreamFields | null): Promise<boolean> {
  if (!reply || (reply.event_id && (await isAwaitingRelay(tx, reply.event_id)))) return false;
  await enqueue(tx, ctx.inventoryStream, reply);
  return true;
}

async function place(tx: Tx, ctx: SagaContext, order: OrderPlaced): Promise<SagaResult> {
  const firstDelivery = await recordProcessed(tx, order.event_id, ctx.ordersStream);
  await lockOrder(tx, order.order_id);
  const existing = await findOutcome(tx, order.order_id);
  if (existing?.status === 'CANCELLED') return { outcome: 'placed-after-cancel', replied: false };
  if (existing) {
    const replied = await replyAgain(tx, ctx, existing.reply);
    return { outcome: firstDelivery ? 'replied-again' : 'duplicate', replied };
  }
  if (!firstDelivery) return { outcome: 'duplicate', replied: false };

  const ids = [...new Set(order.products.map((line) => line.product_id))].sort();
  const locked = await lockProducts(tx, ids);
  const decision = decideStock(order.products, locked, order.user_id);
  if (!decision.ok) {
    const reply = resultMessage(order, { status: 'FAILED', reason: decision.reason, items: [] });
    await saveOutcome(tx, { orderId: order.order_id, status: 'REJECTED', reason: decision.reason, reply });
    await enqueue(tx, ctx.inventoryStream, reply);
    return { outcome: 'rejected', replied: true };
  }
  for (const reservation of decision.reservations) await adjustStock(tx, reservation.productId, -reservation.quantity);
  await insertReservations(tx, order.order_id, decision.reservations);
  const reply = resultMessage(order, { status: 'COMPLETED', reason: '', items: decision.items });
  await saveOutcome(tx, { orderId: order.order_id, status: 'RESERVED', reply });
  await enqueue(tx, ctx.inventoryStream, reply);
  return { outcome: 'reserved', replied: true };
}

async function cancel(tx: Tx, ctx: SagaContext, order: OrderCancelled): Promise<SagaResult> {
  if (!(await recordProcessed(tx, order.event_id, ctx.ordersStream))) return { outcome: 'duplicate', replied: false };
  await lockOrder(tx, order.order_id);
  const existing = await findOutcome(tx, order.order_id);
  if (!existing) {
    // The cancel overtook its order.placed: leave a tombstone so the placed never takes stock.
    await saveOutcome(tx, { orderId: order.order_id, status: 'CANCELLED' });
    return { outcome: 'cancelled-before-placed', replied: false };
  }
  if (existing.status !== 'RESERVED') return { outcome: 'already-settled', replied: false };
  const released = await releaseReservations(tx, order.order_id);
  await lockProducts(tx, released.map((r) => r.productId));
  for (const reservation of released) await adjustStock(tx, reservation.productId, reservation.quantity);
  await saveOutcome(tx, { orderId: order.order_id, status: 'CANCELLED' });
  return { outcome: 'released', replied: false };
}

/**
 * Applies one orders_stream entry in ONE transaction: inbox dedupe by event id, a per-order
 * lock, then the stock decision (all lines or none) or the give-back, and the reply in the
 * outbox. Throws InvalidMessageError for an entry that can never apply (dead-lettered);
 * any other error rolls everything back and leaves the entry for a retry.
 */
export async function applyOrdersMessage(ctx: SagaContext, fields: StreamFields): Promise<SagaResult & { orderId: string; type: string }> {
  const message = decodeOrdersMessage(fields);
  const result = await ctx.db.transaction((tx) => (message.type === 'order.placed' ? place(tx, ctx, message) : cancel(tx, ctx, message)));
  return { ...result, orderId: message.order_id, type: message.type };
}
