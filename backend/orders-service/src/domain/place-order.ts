import { createHash, randomUUID } from 'node:crypto';
import { encodeOrdersMessage, type Order, type PlaceOrderRequest } from '@market/contracts';
import { AppError } from '@market/kit';
import { findByIdempotencyKey, findOrder, insertOrderIfNew, type OrderRecord } from '../data/order-repository';
import { enqueue } from '../data/outbox-repository';
import type { OrdersContext } from './context';
import { placedMessage } from './order-messages';
import { toOrder } from './order-shapes';

export interface PlaceOrderInput {
  buyerId: string;
  idempotencyKey: string;
  correlationId: string;
  items: PlaceOrderRequest['items'];
}

function assertDistinctProducts(items: PlaceOrderInput['items']): void {
  const seen = new Set<string>();
  const details = [];
  for (const [i, item] of items.entries()) {
    const id = item.productId.toLowerCase();
    if (seen.has(id)) details.push({ field: `items.${i}.productId`, message: 'repeats an earlier line; change its quantity instead' });
    seen.add(id);
  }
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', 'some fields are not valid', 400, details);
}

/** What makes two requests "the same body" for one idempotency key. */
function requestHash(items: PlaceOrderInput['items']): string {
  const canonical = items.map((item) => [item.productId.toLowerCase(), item.quantity, item.unitPrice]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/**
 * Writes the PENDING order, its lines and its order.placed outbox row in one transaction.
 * The unique (buyer, key) index makes a replay — even a concurrent one, which waits on the
 * first insert and then does nothing — return the first order; another body is refused.
 */
export async function placeOrder(ctx: OrdersContext, input: PlaceOrderInput): Promise<{ order: Order; created: boolean }> {
  assertDistinctProducts(input.items);
  const hash = requestHash(input.items);
  const id = randomUUID();
  const { record, created } = await ctx.db.transaction(async (tx): Promise<{ record: OrderRecord; created: boolean }> => {
    const inserted = await insertOrderIfNew(tx, {
      id,
      buyerId: input.buyerId,
      idempotencyKey: input.idempotencyKey,
      requestHash: hash,
      placedEventId: randomUUID(),
      correlationId: input.correlationId,
      items: input.items.map((item) => ({ productId: item.productId.toLowerCase(), quantity: item.quantity, unitPrice: item.unitPrice })),
    });
    const existing = inserted ? { id, requestHash: hash } : await findByIdempotencyKey(tx, input.buyerId, input.idempotencyKey);
    if (!existing) throw new Error('the order holding this idempotency key vanished');
    if (existing.requestHash !== hash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used for another order; use a new key');
    }
    const order = await findOrder(tx, existing.id);
    if (!order) throw new Error('the order holding this idempotency key vanished');
    if (inserted) await enqueue(tx, ctx.ordersStream, encodeOrdersMessage(placedMessage(order)));
    return { record: order, created: inserted };
  });
  if (created) ctx.outboxWritten();
  return { order: toOrder(record), created };
}
