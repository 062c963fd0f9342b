import type { Logger } from '@market/kit';
import type { OrdersContext } from '../domain/context';
import { republishStaleCancels } from '../domain/republish-cancelled';
import { republishStalePending } from '../domain/republish-pending';

export interface RepublishCounts {
  /** order.placed events queued again for orders still PENDING. */
  pending: number;
  /** order.cancelled events queued again for CANCELLED orders. */
  cancelled: number;
}

export interface Republisher {
  /** One pass now; exposed for tests. */
  runOnce(): Promise<RepublishCounts>;
  stop(): Promise<void>;
}

/**
 * One loop that publishes again what Redis may have lost: order.placed of orders still PENDING
 * and order.cancelled of CANCELLED orders, each after the grace period, the same event each time.
 */
export function startRepublisher(ctx: OrdersContext, options: { graceSeconds: number; intervalMs: number; logger: Logger }): Republisher {
  const log = options.logger.child({ component: 'republisher' });
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<unknown> = Promise.resolve();

  async function runOnce(): Promise<RepublishCounts> {
    const pending = await republishStalePending(ctx, options.graceSeconds);
    if (pending > 0) log.info({ queued: pending }, 'republished orders still pending');
    const cancelled = await republishStaleCancels(ctx, options.graceSeconds);
    if (cancelled > 0) log.info({ queued: cancelled }, 'republished order cancels');
    return { pending, cancelled };
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      pass = runOnce()
        .catch((err: unknown) => log.warn({ err }, 'republish pass failed; will retry'))
        .finally(schedule);
    }, options.intervalMs);
  }
  schedule();

  return {
    runOnce,
    async stop() {
      running = false;
      clearTimeout(timer);
      await pass;
    },
  };
}
