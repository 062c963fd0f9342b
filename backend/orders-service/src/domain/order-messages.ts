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

/**
 * The order.cancelled message of a CANCELLED order, built from what the cancel stored (event id,
 * correlation id, time), so every copy — first, give-back, republish — is the very same event
 * and products gives the stock back at most once.
 */
export function cancelledMessage(order: OrderRecord): OrderCancelled {
  if (!order.cancelledEventId || !order.cancelledAt || order.cancelCorrelationId === null) {
    throw new Error(`order ${order.id} has no stored order.cancelled`);
  }
  return {
    type: 'order.cancelled',
    version: MESSAGE_VERSION,
    event_id: order.cancelledEventId,
    order_id: order.id,
    user_id: order.buyerId,
    correlation_id: order.cancelCorrelationId,
    occurred_at: order.cancelledAt.toISOString(),
    products: lines(order),
  };
}
