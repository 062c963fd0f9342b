import type { FailureReason, Order, PartState } from '../api/contracts';

/** What a buyer reads for an order: its status, and once COMPLETED how far its parts got. */
export type OrderDisplayState =
  'PENDING' | 'CONFIRMED' | 'PARTLY_SHIPPED' | 'SHIPPED' | 'PARTLY_DELIVERED' | 'DELIVERED' | 'FAILED' | 'CANCELLED';

type OrderView = Pick<Order, 'status' | 'reason' | 'parts'>;

function displayState(order: Pick<Order, 'status' | 'parts'>): OrderDisplayState {
  if (order.status !== 'COMPLETED') return order.status;
  const states = order.parts.map((part) => part.state);
  const count = (state: PartState) => states.filter((s) => s === state).length;
  const delivered = count('DELIVERED');
  const shipped = count('SHIPPED') + delivered;
  if (states.length > 0 && delivered === states.length) return 'DELIVERED';
  if (delivered > 0) return 'PARTLY_DELIVERED';
  if (states.length > 0 && shipped === states.length) return 'SHIPPED';
  return shipped > 0 ? 'PARTLY_SHIPPED' : 'CONFIRMED';
}

const STATE_LABELS: Record<OrderDisplayState, string> = {
  PENDING: 'Pending',
  CONFIRMED: 'Confirmed',
  PARTLY_SHIPPED: 'Partly shipped',
  SHIPPED: 'Shipped',
  PARTLY_DELIVERED: 'Partly delivered',
  DELIVERED: 'Delivered',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
};

/** A part as its buyer reads it, and as its seller does (for whom a confirmed part is work to do). */
export const PART_LABELS: Record<'buyer' | 'seller', Record<PartState, string>> = {
  buyer: { CONFIRMED: 'Preparing', SHIPPED: 'Shipped', DELIVERED: 'Delivered' },
  seller: { CONFIRMED: 'To ship', SHIPPED: 'Shipped', DELIVERED: 'Delivered' },
};

const REASON_LABELS: Record<FailureReason, string> = {
  OUT_OF_STOCK: 'out of stock',
  PRICE_CHANGED: 'price changed',
  PRODUCT_UNAVAILABLE: 'item no longer sold',
  OWN_PRODUCT: 'your own product',
  TIMED_OUT: 'not confirmed in time',
};

/** The order's state in a word or two: "Shipped", "Failed: out of stock". */
export function stateLabel(order: OrderView): string {
  const state = displayState(order);
  return state === 'FAILED' && order.reason ? `Failed: ${REASON_LABELS[order.reason]}` : STATE_LABELS[state];
}

const STATE_SENTENCES: Record<OrderDisplayState, string> = {
  PENDING: 'We are checking stock and prices with the sellers.',
  CONFIRMED: 'Your order is confirmed and the sellers are preparing it.',
  PARTLY_SHIPPED: 'Part of your order is on its way; the rest is being prepared.',
  SHIPPED: 'Your order is on its way.',
  PARTLY_DELIVERED: 'Part of your order was delivered; the rest is still to come.',
  DELIVERED: 'Your order was delivered.',
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

export function describeStatus(order: OrderView): string {
  const sentence = STATE_SENTENCES[displayState(order)];
  return order.status === 'FAILED' ? `${sentence} ${describeReason(order.reason)}` : sentence;
}

/** The status as an admin reads someone else's order: no "your". */
export function describeForAdmin(order: OrderView): string {
  const label = stateLabel(order);
  return order.status === 'FAILED' ? `${label}. ${describeReason(order.reason)}` : `${label}.`;
}

/** The buyer may cancel until a part of the order ships (the server refuses it after that). */
export function canCancel(order: Pick<Order, 'status' | 'parts'>): boolean {
  if (order.status === 'PENDING') return true;
  return order.status === 'COMPLETED' && order.parts.every((part) => part.state === 'CONFIRMED');
}

export function stateClass(order: Pick<Order, 'status' | 'parts'>): string {
  return `badge badge-${displayState(order).toLowerCase().replace('_', '-')}`;
}
