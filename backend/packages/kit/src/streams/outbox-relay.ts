import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Logger } from '../logger';

export interface OutboxRelayOptions {
  pool: Pool;
  redisUrl: string;
  logger: Logger;
  /** XADD MAXLEN ~ for every stream written: far above the consumers' lag. */
  maxLen: number;
  /**
   * A stream's own cap, in place of `maxLen`: a stream read by a slower consumer (the mailer's
   * order events) is bounded apart from the saga's, and its cap never holds theirs back.
   */
  maxLenOf?: Record<string, number>;
  table?: string;
  batchSize?: number;
  /** Poll interval when idle; `notify()` wakes the relay sooner after a local commit. */
  idleDelayMs?: number;
  /** Rows an earlier release marked published (instead of deleting them) are deleted once older than this. */
  retainPublishedMs?: number;
  /**
   * With `publishCommitted` in use: the relay's own passes leave rows younger than this alone,
   * since the process that committed them is publishing them at that moment. Default 0.
   */
  directGraceMs?: number;
}

export interface CommittedRow {
  /** The outbox row's id, as its insert returned it. */
  id: string | number;
  stream: string;
  fields: Record<string, string>;
}

export interface OutboxRelay {
  /** Wake the relay now (call after committing an outbox row). */
  notify(): void;
  /**
   * Publishes rows the caller has just committed at once, without a database round trip first;
   * they are deleted together a moment later. A row Redis refuses (or whose delete is lost)
   * stays and the relay's own pass sends it after `directGraceMs`.
   */
  publishCommitted(rows: CommittedRow[]): void;
  /** Publishes one batch; exposed for tests. Returns the number of rows published. */
  publishBatch(): Promise<number>;
  stop(): Promise<void>;
}

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Publishes outbox rows to Redis streams and deletes them: a row in the outbox is a message not
 * yet sent (deleting rather than marking keeps the table as small as the backlog and writes no
 * second version of each row and its index entries). Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so any number of replicas can relay at once; while Redis is
 * down the transaction rolls back and the rows wait. A row may be published twice if
 * the process dies between XADD and COMMIT: consumers dedupe by event_id. A process that
 * commits rows can also hand them to `publishCommitted`, which sends them at once; the relay's
 * passes are then only the safety net for what that could not send.
 */
/** Bytes an entry of the saga's streams takes in Redis, a generous estimate (a 3-line order is ~600). */
export const STREAM_ENTRY_BYTES = 1024;

/**
 * How long a relay's timed pass leaves a row alone that the process which committed it is
 * publishing directly (`publishCommitted`): far longer than an XADD and the batched delete take.
 */
export const DIRECT_GRACE_MS = 2000;

/**
 * The MAXLEN of every XADD: the configured cap, lowered so that one stream fills at most a quarter
 * of Redis's `maxmemory` (when one is set). Streams are trimmed as their groups consume them;
 * this cap only matters when a consumer is down for long, and then drops the oldest unread
 * entries (the republishers send those again) instead of letting Redis refuse every write.
 */
export function streamCap(maxMemoryBytes: number, configured: number): number {
  if (!(maxMemoryBytes > 0)) return configured;
  return Math.min(configured, Math.max(1000, Math.floor(maxMemoryBytes / 4 / STREAM_ENTRY_BYTES)));
}

export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const table = options.table ?? 'outbox';
  if (!TABLE_NAME.test(table)) throw new Error(`bad outbox table name ${table}`);
  const batchSize = options.batchSize ?? 100;
  const idleDelayMs = options.idleDelayMs ?? 250;
  const retainMs = options.retainPublishedMs ?? 3_600_000;
  const graceMs = Math.max(0, Math.floor(options.directGraceMs ?? 0));
  const log = options.logger.child({ component: 'outbox-relay', table });
  const redis = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    // Direct publishes of concurrent requests leave in one write.
    enableAutoPipelining: true,
    commandTimeout: 5000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', () => undefined); // failures surface through the commands and are logged there
  // The last-resort cap: a stream may never hold more than its share of Redis's memory.
  let maxMemory = 0;
  redis.on('ready', () => {
    redis
      .info('memory')
      .then((info) => {
        maxMemory = Number(/maxmemory:(\d+)/.exec(info)?.[1] ?? 0);
      })
      .catch(() => undefined);
  });
  const maxLenOf = (stream: string) => streamCap(maxMemory, options.maxLenOf?.[stream] ?? options.maxLen);

  let running = true;
  let wake: (() => void) | undefined;
  let failures = 0;
  let lastCleanup = 0;

  // One round trip opens the transaction and claims the oldest rows (SKIP LOCKED: other replicas
  // take others) by deleting them; the delete commits only once Redis took the entries. Rows an
  // earlier release marked published are never sent again.
  // Ids are inlined (one round trip needs the simple protocol, which takes no parameters); they are
  // this process's own bigint ids, checked to be digits.
  const claim = (grace: number, skip: string[]) => `BEGIN; DELETE FROM ${table} WHERE id IN (
    SELECT id FROM ${table} WHERE published_at IS NULL${grace > 0 ? ` AND created_at < now() - interval '${grace} milliseconds'` : ''}${
      skip.length > 0 ? ` AND id NOT IN (${skip.filter((id) => /^\d+$/.test(id)).join(',')})` : ''
    }
    ORDER BY id LIMIT ${Math.floor(batchSize)} FOR UPDATE SKIP LOCKED)
    RETURNING id, stream, fields`;

  /**
   * Publishes the oldest unpublished rows. A timed pass (`leaveYoung`) leaves the rows a direct
   * publish is sending to it; a pass someone asked for (notify, tests) takes every row.
   */
  async function publishBatch(leaveYoung = false): Promise<number> {
    const client = await options.pool.connect();
    try {
      // Rows this process is publishing directly right now are never taken: no duplicate of its own.
      const results = (await client.query(claim(leaveYoung ? graceMs : 0, [...direct]))) as unknown as [
        unknown,
        { rows: { id: string; stream: string; fields: Record<string, string> }[] },
      ];
      const rows = results[1].rows.sort((a, b) => Number(a.id) - Number(b.id));
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const pipeline = redis.pipeline();
      for (const row of rows) {
        pipeline.xadd(row.stream, 'MAXLEN', '~', maxLenOf(row.stream), '*', ...Object.entries(row.fields).flat());
      }
      const published = (await pipeline.exec()) ?? [];
      // An entry Redis refused keeps every row for the next pass (the catch rolls the delete back);
      // the ones it took are then sent again, and consumers dedupe them by event id.
      if (rows.some((_row, i) => !published[i] || published[i][0]))
        throw published.find((r) => r?.[0])?.[0] ?? new Error('redis pipeline returned too few results');
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Ids being published directly: from the call until their delete committed (or failed). */
  const direct = new Set<string>();
  /** Ids published directly and not yet deleted; deleted together, so a burst costs one DELETE. */
  let toDelete: string[] = [];
  let deleting: Promise<void> = Promise.resolve();
  let deleteTimer: NodeJS.Timeout | undefined;

  function deletePublished(): Promise<void> {
    deleteTimer = undefined;
    const ids = toDelete;
    toDelete = [];
    if (ids.length === 0) return deleting;
    deleting = deleting
      .then(() => options.pool.query(`DELETE FROM ${table} WHERE id = ANY($1::bigint[])`, [ids]))
      .then(
        () => undefined,
        // Rows left behind are published again by a relay pass; consumers dedupe them.
        (err: unknown) =>
          log.warn(
            { err, rows: ids.length },
            'cannot delete directly published rows; a relay pass will send them again',
          ),
      )
      .finally(() => ids.forEach((id) => direct.delete(id)));
    return deleting;
  }

  function publishCommitted(rows: CommittedRow[]): void {
    for (const row of rows) {
      const id = String(row.id);
      direct.add(id);
      redis.xadd(row.stream, 'MAXLEN', '~', maxLenOf(row.stream), '*', ...Object.entries(row.fields).flat()).then(
        () => {
          toDelete.push(id);
          deleteTimer ??= setTimeout(() => void deletePublished(), 20);
        },
        (err: unknown) => {
          direct.delete(id);
          log.debug({ err, id }, 'direct publish failed; the relay will send the row');
        },
      );
    }
  }

  /** Rows an earlier release marked published instead of deleting: gone after the retention. */
  async function cleanup(): Promise<void> {
    if (Date.now() - lastCleanup < 60_000) return;
    lastCleanup = Date.now();
    await options.pool.query(`DELETE FROM ${table} WHERE published_at < now() - make_interval(secs => $1)`, [
      retainMs / 1000,
    ]);
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  let woken = true;
  const loop = (async () => {
    while (running) {
      try {
        const asked: boolean = woken;
        woken = false;
        const published = await publishBatch(!asked);
        if (failures > 0) log.info({ afterFailures: failures }, 'outbox relay recovered');
        failures = 0;
        if (published === batchSize) {
          woken = asked;
          continue;
        }
        await cleanup();
        await sleep(idleDelayMs);
      } catch (err) {
        failures += 1;
        // One line per streak of failures, then every 20th, so a long Redis outage does not flood the log.
        if (failures === 1 || failures % 20 === 0)
          log.warn({ err, failures }, 'outbox relay cannot publish; will retry');
        await sleep(Math.min(100 * 2 ** Math.min(failures, 5), 3000));
      }
    }
  })();

  return {
    notify: () => {
      woken = true;
      wake?.();
    },
    publishCommitted,
    publishBatch: () => publishBatch(),
    async stop() {
      running = false;
      wake?.();
      await loop;
      clearTimeout(deleteTimer);
      await deletePublished();
      redis.disconnect();
    },
  };
}
