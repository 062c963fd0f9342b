import {
  MESSAGE_VERSION,
  encodeOrderEventsMessage,
  type OrderEventSeller,
  type OrderStatusChanged,
  type StreamFields,
} from '@market/contracts';
import { newId } from '@market/kit';
import type { ItemRecord, OrderRecord } from '../data/order-repository';

/**
 * Each seller's lines, in the order the lines were placed: empty while a line has no catalog
 * snapshot yet (a PENDING order, or one that FAILED before it was priced).
 */
function sellersOf(items: ItemRecord[]): OrderEventSeller[] {
  if (items.some((item) => item.sellerId === null || item.productName === null)) return [];
  const bySeller = new Map<string, OrderEventSeller>();
  for (const item of items) {
    const sellerId = item.sellerId!;
    let seller = bySeller.get(sellerId);
    if (!seller) bySeller.set(sellerId, (seller = { seller_id: sellerId, lines: [] }));
    seller.lines.push({
      product_id: item.productId,
      product_name: item.productName!,
      quantity: item.quantity,
      unit_price: item.unitPrice,
    });
  }
  return [...bySeller.values()];
}

/**
 * The order.status_changed event of an order as it is after a transition, with a new event id:
 * the outbox row written in the same transaction is what carries it, so every copy the relay
 * publishes (or publishes twice) is the same event.
 */
function statusChangedMessage(order: OrderRecord, correlationId: string, at = new Date()): OrderStatusChanged {
  return {
    type: 'order.status_changed',
    version: MESSAGE_VERSION,
    event_id: newId(),
    order_id: order.id,
    correlation_id: correlationId,
    occurred_at: at.toISOString(),
    buyer_id: order.buyerId,
    status: order.status,
    reason: order.status === 'FAILED' ? (order.reason ?? 'PRODUCT_UNAVAILABLE') : '',
    total: order.total ?? '',
    sellers: sellersOf(order.items),
  };
}

/** The outbox row of an order's status change, ready for the order-events stream. */
export function statusChangedRow(
  stream: string,
  order: OrderRecord,
  correlationId: string,
  at?: Date,
): { stream: string; fields: StreamFields } {
  return { stream, fields: encodeOrderEventsMessage(statusChangedMessage(order, correlationId, at)) };
}
