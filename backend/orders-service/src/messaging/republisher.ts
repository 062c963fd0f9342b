import type { Logger } from '@market/kit';
import type { Retry } from '../data/order-repository';
import type { OrdersContext } from '../domain/context';
import { resendGiveBacks } from '../domain/resend-give-backs';
import { republishStalePending } from '../domain/republish-pending';
import { timeOutOverdue } from '../domain/time-out-orders';

export interface RepublishCounts {
  /** order.placed events queued again for orders still PENDING. */
  pending: number;
  /** order.cancelled events queued again for give-backs products has not answered. */
  giveBacks: number;
  /** PENDING orders past the deadline, now FAILED (TIMED_OUT) with their give-back queued. */
  timedOut: number;
}

export interface RepublisherOptions {
  retry: Retry;
  /** ORDER_DEADLINE_SECONDS: how long an order may stay PENDING. */
  deadlineSeconds: number;
  intervalMs: number;
  logger: Logger;
  /** Told after each pass, e.g. to refresh a gauge of unanswered give-backs. */
  afterPass?: () => Promise<void>;
}

export interface Republisher {
  /** One pass now; exposed for tests. */
  runOnce(): Promise<RepublishCounts>;
  stop(): Promise<void>;
}

/**
 * One loop that keeps every order moving towards a final state: PENDING orders past the deadline
 * time out (FAILED, TIMED_OUT, stock given back); order.placed of orders still PENDING and the
 * give-backs products has not answered are sent again, with capped exponential backoff.
 */
export function startRepublisher(ctx: OrdersContext, options: RepublisherOptions): Republisher {
  const log = options.logger.child({ component: 'republisher' });
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<unknown> = Promise.resolve();

  async function runOnce(): Promise<RepublishCounts> {
    const timedOut = (await timeOutOverdue(ctx, options.deadlineSeconds)).length;
    if (timedOut > 0)
      log.warn(
        { timedOut, deadlineSeconds: options.deadlineSeconds },
        'orders timed out without an answer; their stock is given back',
      );
    const pending = await republishStalePending(ctx, options.retry);
    if (pending > 0) log.info({ queued: pending }, 'republished orders still pending');
    const giveBacks = await resendGiveBacks(ctx, options.retry);
    if (giveBacks > 0) log.info({ queued: giveBacks }, 'sent unanswered give-backs again');
    await options.afterPass?.();
    return { pending, giveBacks, timedOut };
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
