import { randomUUID } from 'node:crypto';
import { InvalidMessageError, decodeInventoryResult, encodeOrdersMessage, type InventoryResult, type StreamFields } from '@market/contracts';
import { findOrder, markCompleted, markFailed, storeMissingCancelEvent, touchCancelPublished, type OrderRecord } from '../data/order-repository';
import { enqueue, recordProcessed } from '../data/outbox-repository';
import type { Tx } from '../data/db';
import type { OrdersContext } from './context';
import { cancelledMessage } from './order-messages';

export type ResultOutcome = 'applied' | 'duplicate' | 'stale' | 'give-back' | 'unknown-order';

function checked(fields: StreamFields): InventoryResult {
  const result = decodeInventoryResult(fields);
  if (result.status === 'FAILED' && result.reason === '') throw new InvalidMessageError('a FAILED result needs a reason', ['reason: empty']);
  if (result.status === 'COMPLETED' && result.items.length === 0) throw new InvalidMessageError('a COMPLETED result needs its priced items', ['items: empty']);
  return result;
}

/**
 * The total is summed from the order's lines at the prices of the reply: a reply that leaves a
 * line out (its price would stay the buyer's) or names other lines or quantities is refused.
 */
function assertPricesEveryLine(order: OrderRecord, result: InventoryResult): void {
  const ordered = new Map(order.items.map((item) => [item.productId, item.quantity]));
  const issues: string[] = [];
  for (const item of result.items) {
    const quantity = ordered.get(item.product_id);
    if (quantity === undefined) issues.push(`items: ${item.product_id} is not a line of the order (or is named twice)`);
    else if (quantity !== item.quantity) issues.push(`items: ${item.product_id} has quantity ${item.quantity}, the order ${quantity}`);
    ordered.delete(item.product_id);
  }
  for (const productId of ordered.keys()) issues.push(`items: the order's line ${productId} is not priced`);
  if (issues.length > 0) throw new InvalidMessageError('a COMPLETED result must price every line of its order as ordered', issues);
}

async function apply(tx: Tx, ctx: OrdersContext, result: InventoryResult): Promise<ResultOutcome> {
  if (result.status === 'FAILED') {
    if (await markFailed(tx, result.order_id, result.reason || 'PRODUCT_UNAVAILABLE')) return 'applied';
  } else {
    const order = await findOrder(tx, result.order_id);
    if (order?.status === 'PENDING') assertPricesEveryLine(order, result);
    const priced = result.items.map((item) => ({
      productId: item.product_id,
      productName: item.product_name,
      sellerId: item.seller_id,
      quantity: item.quantity,
      unitPrice: item.unit_price,
    }));
    if (await markCompleted(tx, result.order_id, priced)) return 'applied';
  }
  const order = await findOrder(tx, result.order_id);
  if (!order) return 'unknown-order';
  if (result.status === 'COMPLETED' && order.status === 'CANCELLED') {
    // The buyer cancelled while products was taking the stock: ask for it back with the very
    // same order.cancelled (products dedupes it by event id if the first copy got through).
    await storeMissingCancelEvent(tx, order.id, { eventId: randomUUID(), correlationId: result.correlation_id });
    const cancelled = (await findOrder(tx, order.id))!;
    await enqueue(tx, ctx.ordersStream, encodeOrdersMessage(cancelledMessage(cancelled)));
    await touchCancelPublished(tx, order.id, { counted: false });
    return 'give-back';
  }
  return 'stale';
}

/**
 * Applies one inventory.result in one transaction: inbox dedupe by event_id, then the
 * guarded PENDING → COMPLETED/FAILED transition. Throws InvalidMessageError for a message
 * that can never apply (the consumer dead-letters it); any other error leaves it for a retry.
 */
export async function applyInventoryResult(ctx: OrdersContext, stream: string, fields: StreamFields): Promise<ResultOutcome> {
  const result = checked(fields);
  const outcome = await ctx.db.transaction(async (tx) => {
    if (!(await recordProcessed(tx, result.event_id, stream))) return 'duplicate' as const;
    return apply(tx, ctx, result);
  });
  if (outcome === 'applied') ctx.statusChanged(result.order_id);
  if (outcome === 'give-back') ctx.outboxWritten();
  return outcome;
}
