import { Gauge, type Registry } from 'prom-client';
import { AppError, type Logger } from '@market/kit';
import type { Db } from '../data/db';
import { countPending } from '../data/order-repository';

export interface BacklogGate {
  /** True while the last sample counted more unsettled orders than the bound. */
  overloaded(): boolean;
  /** The 503 OVERLOADED a refused order is answered with. */
  refusal(): AppError;
  /** Samples now; exposed for tests. */
  sample(): Promise<number>;
  stop(): void;
}

/** How long a refused client is asked to wait. */
const RETRY_AFTER_SECONDS = 2;

/** A gate that never closes: for an HTTP-only test replica. */
export const openGate: BacklogGate = {
  overloaded: () => false,
  refusal: () => new AppError('OVERLOADED', 'the shop is busy'),
  sample: async () => 0,
  stop: () => undefined,
};

/**
 * Bounds the order pipeline's backlog: every `intervalMs` it counts the orders accepted but not
 * yet settled (PENDING: waiting in the outbox, on either stream or in either consumer), up to one
 * past the bound, so the POST path itself never queries for it. Above the bound new orders are
 * refused until the pipeline catches up.
 */
export function startBacklogGate(options: {
  db: Db;
  maxBacklog: number;
  intervalMs?: number;
  logger: Logger;
  registry?: Registry;
}): BacklogGate {
  const log = options.logger.child({ component: 'backlog-gate' });
  const gauge = options.registry
    ? new Gauge({
        name: 'orders_backlog',
        help: 'PENDING orders at the last sample (counted up to ORDERS_MAX_BACKLOG + 1)',
        registers: [options.registry],
      })
    : undefined;
  let backlog = 0;
  let closed = false;

  async function sample(): Promise<number> {
    backlog = await countPending(options.db, options.maxBacklog + 1);
    gauge?.set(backlog);
    const over = backlog > options.maxBacklog;
    if (over !== closed)
      log.warn(
        { backlog, maxBacklog: options.maxBacklog },
        over ? 'order backlog over its bound; refusing new orders' : 'order backlog back under its bound',
      );
    closed = over;
    return backlog;
  }

  const timer = setInterval(() => {
    sample().catch((err: unknown) => log.warn({ err }, 'cannot count the order backlog; keeping the last sample'));
  }, options.intervalMs ?? 500);
  timer.unref();
  void sample().catch(() => undefined);

  return {
    overloaded: () => closed,
    refusal: () =>
      new AppError(
        'OVERLOADED',
        `the shop is busy: ${backlog} orders are still being processed; try again in ${RETRY_AFTER_SECONDS} s`,
        503,
        undefined,
        {
          'Retry-After': String(RETRY_AFTER_SECONDS),
        },
      ),
    sample,
    stop: () => clearInterval(timer),
  };
}
