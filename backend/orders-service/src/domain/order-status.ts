import type { OrderStatus } from '@market/contracts';

/**
 * The status machine. Every transition is applied with a guarded UPDATE (`WHERE status IN
 * <allowed sources>`), so a replayed or late message can never move an order backwards.
 */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['COMPLETED', 'FAILED', 'CANCELLED'],
  COMPLETED: ['CANCELLED'],
  FAILED: [],
  CANCELLED: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The states an order may be entered into `to` from: the guard of its UPDATE. */
export function sourcesOf(to: OrderStatus): OrderStatus[] {
  return (Object.keys(TRANSITIONS) as OrderStatus[]).filter((from) => canTransition(from, to));
}
