import type { Order, PartState } from '../api/contracts';
import { PART_LABELS, stateClass, stateLabel } from './order-status-text';

export function OrderStatusBadge({ order }: { order: Pick<Order, 'status' | 'reason' | 'parts'> }) {
  return <span className={stateClass(order)}>{stateLabel(order)}</span>;
}

/** One seller's part of an order, worded for who reads it. */
export function PartStateBadge({ state, reader }: { state: PartState; reader: 'buyer' | 'seller' }) {
  return <span className={`badge badge-${state.toLowerCase()}`}>{PART_LABELS[reader][state]}</span>;
}
