import { randomUUID } from 'node:crypto';
import { MESSAGE_VERSION, type OrderCancelled, type OrderPlaced } from '@market/contracts';
import type { OrderRecord } from '../data/order-repository';

const lines = (order: OrderRecord) =>
  order.items.map((item) => ({ product_id: item.productId, quantity: item.quantity, price: item.unitPrice }));

/**
 * The order.placed message. Deterministic for a PENDING order (same event_id, same
 * occurred_at), so a republish is the very same event and consumers dedupe it.
 */
export function placedMessage(order: OrderRecord): OrderPlaced {
  return {
    type: 'order.placed',
    version: MESSAGE_VERSION,
    event_id: order.placedEventId,
    order_id: order.id,
    user_id: order.buyerId,
    correlation_id: order.correlationId,
    occurred_at: order.createdAt.toISOString(),
    products: lines(order),
  };
}

/** A fresh order.cancelled event: products gives the stock back at most once per order. */
export function cancelledMessage(order: OrderRecord, correlationId: string): OrderCancelled {
  return {
    type: 'order.cancelled',
    version: MESSAGE_VERSION,
    event_id: randomUUID(),
    order_id: order.id,
    user_id: order.buyerId,
    correlation_id: correlationId,
    occurred_at: new Date().toISOString(),
    products: lines(order),
  };
}
