import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Logger } from '../logger';

export interface OutboxRelayOptions {
  pool: Pool;
  redisUrl: string;
  logger: Logger;
  /** XADD MAXLEN ~ for every stream written: far above the consumers' lag. */
  maxLen: number;
  table?: string;
  batchSize?: number;
  /** Poll interval when idle; `notify()` wakes the relay sooner after a local commit. */
  idleDelayMs?: number;
  /** Published rows older than this are deleted. */
  retainPublishedMs?: number;
}

export interface OutboxRelay {
  /** Wake the relay now (call after committing an outbox row). */
  notify(): void;
  /** Publishes one batch; exposed for tests. Returns the number of rows published. */
  publishBatch(): Promise<number>;
  stop(): Promise<void>;
}

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Publishes outbox rows to Redis streams and marks them sent. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so any number of replicas can relay at once; while Redis is
 * down the transaction rolls back and the rows wait. A row may be published twice if
 * the process dies between XADD and COMMIT: consumers dedupe by event_id.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const table = options.table ?? 'outbox';
  if (!TABLE_NAME.test(table)) throw new Error(`bad outbox table name ${table}`);
  const batchSize = options.batchSize ?? 100;
  const idleDelayMs = options.idleDelayMs ?? 250;
  const retainMs = options.retainPublishedMs ?? 3_600_000;
  const log = options.logger.child({ component: 'outbox-relay', table });
  const redis = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    commandTimeout: 5000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', () => undefined); // failures surface through the commands and are logged there

  let running = true;
  let wake: (() => void) | undefined;
  let failures = 0;
  let lastCleanup = 0;

  async function publishBatch(): Promise<number> {
    const client = await options.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string; stream: string; fields: Record<string, string> }>(
        `SELECT id, stream, fields FROM ${table} WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const pipeline = redis.pipeline();
      for (const row of rows) {
        pipeline.xadd(row.stream, 'MAXLEN', '~', options.maxLen, '*', ...Object.entries(row.fields).flat());
      }
      const results = (await pipeline.exec()) ?? [];
      const sent = rows.filter((_row, i) => results[i] && !results[i][0]).map((row) => row.id);
      if (sent.length > 0) await client.query(`UPDATE ${table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [sent]);
      await client.query('COMMIT');
      const failed = results.find((r) => r?.[0]);
      if (failed || results.length < rows.length) throw failed?.[0] ?? new Error('redis pipeline returned too few results');
      return sent.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function cleanup(): Promise<void> {
    if (Date.now() - lastCleanup < 60_000) return;
    lastCleanup = Date.now();
    await options.pool.query(`DELETE FROM ${table} WHERE published_at < now() - make_interval(secs => $1)`, [retainMs / 1000]);
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    while (running) {
      try {
        const published = await publishBatch();
        if (failures > 0) log.info({ afterFailures: failures }, 'outbox relay recovered');
        failures = 0;
        if (published === batchSize) continue;
        await cleanup();
        await sleep(idleDelayMs);
      } catch (err) {
        failures += 1;
        // One line per streak of failures, then every 20th, so a long Redis outage does not flood the log.
        if (failures === 1 || failures % 20 === 0) log.warn({ err, failures }, 'outbox relay cannot publish; will retry');
        await sleep(Math.min(100 * 2 ** Math.min(failures, 5), 3000));
      }
    }
  })();

  return {
    notify: () => wake?.(),
    publishBatch,
    async stop() {
      running = false;
      wake?.();
      await loop;
      redis.disconnect();
    },
  };
}
