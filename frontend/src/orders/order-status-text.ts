import type { FailureReason, Order, OrderStatus } from '../api/contracts';

export const STATUS_LABELS: Record<OrderStatus, string> = {
  PENDING: 'Pending',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
};

const STATUS_SENTENCES: Record<OrderStatus, string> = {
  PENDING: 'We are checking stock and prices with the sellers.',
  COMPLETED: 'Your order is confirmed and the items are reserved for you.',
  FAILED: 'The order could not be completed.',
  CANCELLED: 'This order was cancelled and its items were given back to the sellers.',
};

const REASON_SENTENCES: Record<FailureReason, string> = {
  OUT_OF_STOCK: 'One of the items does not have enough stock left for this order.',
  PRICE_CHANGED: 'The price of an item changed before the order was confirmed. Check the new price and order again.',
  PRODUCT_UNAVAILABLE: 'One of the items is no longer sold.',
  OWN_PRODUCT: 'You cannot buy your own product.',
  TIMED_OUT: 'The shop could not confirm it in time, so nothing was reserved or charged. Please order again.',
};

export function describeReason(reason: FailureReason | null): string {
  return reason ? REASON_SENTENCES[reason] : 'The sellers could not confirm it.';
}

export function describeStatus(order: Order): string {
  const sentence = STATUS_SENTENCES[order.status];
  return order.status === 'FAILED' ? `${sentence} ${describeReason(order.reason)}` : sentence;
}

/** The status as an admin reads someone else's order: no "your". */
export function describeForAdmin(order: Order): string {
  const label = STATUS_LABELS[order.status];
  return order.status === 'FAILED' ? `${label}: ${describeReason(order.reason)}` : `${label}.`;
}

export function canCancel(order: Order): boolean {
  return order.status === 'PENDING' || order.status === 'COMPLETED';
}

export function statusClass(status: OrderStatus): string {
  return `badge badge-${status.toLowerCase()}`;
}
