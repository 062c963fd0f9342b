import type { Pool } from 'pg';
import type { Logger } from '../logger';

/**
 * How long processed event ids are kept. The inbox is only the fast path of dedupe, so this
 * bounds the table, not correctness: every handler is idempotent without its inbox row.
 * - products-service, order.placed: the order's outcome (order_outcomes, never pruned) is read
 *   under the per-order lock whether or not the event id was new, so a copy of a decided order
 *   re-sends the stored reply and takes no stock; a copy after a cancel finds the tombstone.
 * - products-service, order.cancelled: stock goes back only from outcome RESERVED, which the
 *   give-back turns CANCELLED, and releases only reservations not yet released.
 * - orders-service, inventory.result: PENDING → COMPLETED/FAILED is a guarded UPDATE, so a copy
 *   for a final order is stale; a COMPLETED copy for a CANCELLED order re-queues the order's one
 *   stored order.cancelled (same event id), which products answers as above: nothing twice.
 * A week keeps the fast path for every redelivery the streams can produce (pending re-reads,
 * XAUTOCLAIM, republishes) while the rows stay few.
 */
export const INBOX_RETENTION_MS = 7 * 24 * 3_600_000;
export const INBOX_PRUNE_INTERVAL_MS = 10 * 60_000;

export interface InboxPrunerOptions {
  pool: Pool;
  logger: Logger;
  /** The inbox table (kit's processedMessagesTable), or another table of rows that age out. */
  table?: string;
  /** The table's key and the time its rows age from (the inbox's by default). */
  keyColumn?: string;
  timeColumn?: string;
  /** What a pass's log line says it deleted. */
  what?: string;
  retainMs?: number;
  intervalMs?: number;
  /** Rows per DELETE, so no statement holds many row locks for long. */
  batchSize?: number;
}

export interface InboxPruner {
  /** Deletes every row older than the retention now; returns how many. Exposed for tests. */
  pruneOnce(): Promise<number>;
  stop(): Promise<void>;
}

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Deletes inbox rows (or other rows that age out) older than the retention, periodically, in small batches. Rows are claimed
 * with FOR UPDATE SKIP LOCKED, so every replica can run a pruner: they split the rows instead of
 * waiting on each other. The first pass runs a minute after start (or sooner with a shorter interval).
 */
export function startInboxPruner(options: InboxPrunerOptions): InboxPruner {
  const table = options.table ?? 'processed_messages';
  const key = options.keyColumn ?? 'event_id';
  const time = options.timeColumn ?? 'processed_at';
  for (const name of [table, key, time])
    if (!TABLE_NAME.test(name)) throw new Error(`bad table or column name ${name}`);
  const retainSeconds = (options.retainMs ?? INBOX_RETENTION_MS) / 1000;
  const intervalMs = options.intervalMs ?? INBOX_PRUNE_INTERVAL_MS;
  const batchSize = options.batchSize ?? 1000;
  const log = options.logger.child({ component: 'inbox-pruner', table });
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<unknown> = Promise.resolve();

  async function pruneOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const { rowCount } = await options.pool.query(
        `DELETE FROM ${table} WHERE ${key} IN (
           SELECT ${key} FROM ${table} WHERE ${time} < now() - make_interval(secs => $1)
           LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [retainSeconds, batchSize],
      );
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < batchSize || !running) return total;
    }
  }

  function schedule(delayMs: number): void {
    if (!running) return;
    timer = setTimeout(() => {
      pass = pruneOnce()
        .then((deleted) => deleted > 0 && log.info({ deleted }, `pruned ${options.what ?? 'processed event ids'}`))
        .catch((err: unknown) => log.warn({ err }, 'inbox prune failed; will retry'))
        .finally(() => schedule(intervalMs));
    }, delayMs);
  }
  schedule(Math.min(intervalMs, 60_000));

  return {
    pruneOnce,
    async stop() {
      running = false;
      clearTimeout(timer);
      await pass;
    },
  };
}
