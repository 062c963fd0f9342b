import type { Logger } from '@market/kit';
import type { OrdersContext } from '../domain/context';
import { republishStalePending } from '../domain/republish-pending';

export interface PendingRepublisher {
  /** One pass now; exposed for tests. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startPendingRepublisher(ctx: OrdersContext, options: { graceSeconds: number; intervalMs: number; logger: Logger }): PendingRepublisher {
  const log = options.logger.child({ component: 'pending-republisher' });
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<unknown> = Promise.resolve();

  async function runOnce(): Promise<number> {
    const queued = await republishStalePending(ctx, options.graceSeconds);
    if (queued > 0) log.info({ queued }, 'republished orders still pending');
    return queued;
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
