import type { OrderStatus } from '@market/contracts';

/**
 * The status machine, the one place its rules live. Every status change is applied with an UPDATE
 * guarded by `sourcesOf(target)` (`WHERE status = ANY(<allowed sources>)`), and decisions in code
 * ask `canTransition`, so a replayed or late message can never move an order backwards.
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
