import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Order, OrderStatus } from '@market/contracts';

export interface OrderMetrics {
  /** An order reached a final status from `from`. */
  finalized(order: Order, from: OrderStatus): void;
  /** Give-backs products has not answered yet. */
  setUnconfirmedGiveBacks(count: number): void;
}

/**
 * The saga's outcome on /metrics: orders by final status and reason, the time from placing to the
 * first final status, and the give-backs still waiting for products' answer. Counted by the
 * process that made the change (API for cancels, worker for replies and time-outs): sum them.
 */
export function orderMetrics(registry?: Registry): OrderMetrics {
  if (!registry) return { finalized: () => undefined, setUnconfirmedGiveBacks: () => undefined };
  const finals = new Counter({
    name: 'orders_final_total',
    help: 'Orders that reached a final status, by status and failure reason',
    labelNames: ['status', 'reason'] as const,
    registers: [registry],
  });
  const timeToFinal = new Histogram({
    name: 'orders_time_to_final_seconds',
    help: 'Seconds from placing an order to its first final status (COMPLETED, FAILED or CANCELLED)',
    labelNames: ['status'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers: [registry],
  });
  const giveBacks = new Gauge({
    name: 'orders_give_backs_unconfirmed',
    help: 'Give-backs (order.cancelled of cancelled or timed-out orders) products has not answered yet; sent again with backoff',
    registers: [registry],
  });
  return {
    finalized(order, from) {
      finals.inc({ status: order.status, reason: order.reason ?? '' });
      if (from === 'PENDING') {
        const seconds = (Date.parse(order.updatedAt) - Date.parse(order.createdAt)) / 1000;
        timeToFinal.observe({ status: order.status }, Math.max(0, seconds));
      }
    },
    setUnconfirmedGiveBacks: (count) => giveBacks.set(count),
  };
}
