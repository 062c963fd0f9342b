import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import { ORDERS_GROUP, PRODUCTS_GROUP } from '@market/contracts';
import type { Logger } from '../logger';
import {
  connectionReady,
  readOutbox,
  readStreams,
  type OutboxReading,
  type RedisReading,
  type WatchedStream,
} from './saga-readings';

export type { WatchedStream } from './saga-readings';

export interface SagaMetricsOptions {
  registry: Registry;
  redisUrl: string;
  streams: WatchedStream[];
  /** The pool on this service's database, for the outbox series (left out without it). */
  pool?: Pool;
  logger?: Logger;
  /** How long one reading answers every scrape; default 1500 ms. */
  cacheMs?: number;
  /** The bound on one Redis or PostgreSQL reading; default 1000 ms. */
  timeoutMs?: number;
}

export interface SagaMetrics {
  close(): Promise<void>;
}

/** The saga's two streams and the group that consumes each. */
export const sagaStreams = (config: { ORDERS_STREAM: string; INVENTORY_STREAM: string }): WatchedStream[] => [
  { stream: config.ORDERS_STREAM, groups: [PRODUCTS_GROUP] },
  { stream: config.INVENTORY_STREAM, groups: [ORDERS_GROUP] },
];

type Source = 'redis' | 'postgres';

/**
 * One reading of a source shared by every scrape for `cacheMs`, bounded by `timeoutMs`. A failed
 * or late reading answers undefined and counts an error; while a late one is still running no
 * other starts, so a stalled Redis or database never piles up calls.
 */
function cachedReading<T>(
  read: () => Promise<T>,
  options: { cacheMs: number; timeoutMs: number; failed: (err: unknown) => void; succeeded: () => void },
) {
  let last: { at: number; value: T | undefined } | undefined;
  let current: Promise<T | undefined> | undefined;
  let running = false;

  async function bounded(): Promise<T | undefined> {
    if (running) {
      options.failed(new Error('the previous reading has not answered yet'));
      return undefined;
    }
    running = true;
    const call = read().finally(() => {
      running = false;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    });
    try {
      const value = await Promise.race([call, late]);
      options.succeeded();
      return value;
    } catch (err) {
      call.catch(() => undefined);
      options.failed(err);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  return (): Promise<T | undefined> => {
    if (last && Date.now() - last.at < options.cacheMs) return Promise.resolve(last.value);
    current ??= bounded().then((value) => {
      last = { at: Date.now(), value };
      current = undefined;
      return value;
    });
    return current;
  };
}

/**
 * Saga health on the process's /metrics, computed when scraped: per stream and group lag,
 * pending entries and the oldest one's age, consumers; stream and dead-letter lengths; Redis
 * memory; and, given a pool, the outbox backlog of this service's database. A reading that fails
 * leaves its series out and counts `saga_metrics_errors_total`; a scrape never fails for it.
 */
export function startSagaMetrics(options: SagaMetricsOptions): SagaMetrics {
  const cacheMs = options.cacheMs ?? 1500;
  const timeoutMs = options.timeoutMs ?? 1000;
  const registers = [options.registry];
  const log = options.logger?.child({ component: 'saga-metrics' });
  // Its own connection, failing fast: no offline queue, no command outlives the bound.
  const redis = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.max(timeoutMs, 1000),
    commandTimeout: timeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', () => undefined);

  const errors = new Counter({
    name: 'saga_metrics_errors_total',
    help: 'Readings for the saga metrics that failed or timed out (their series are left out of that scrape)',
    labelNames: ['source'] as const,
    registers,
    // Waits for this scrape's readings, so the failures they meet are counted in the same scrape.
    async collect() {
      await Promise.all([readRedis(), readPostgres?.()]);
    },
  });
  const failing: Record<Source, boolean> = { redis: false, postgres: false };
  const track = (source: Source) => ({
    cacheMs,
    timeoutMs,
    failed: (err: unknown) => {
      errors.inc({ source });
      if (!failing[source]) log?.warn({ err, source }, 'saga metrics cannot be read; their series are left out');
      failing[source] = true;
    },
    succeeded: () => {
      if (failing[source]) log?.info({ source }, 'saga metrics readable again');
      failing[source] = false;
    },
  });
  const readRedis = cachedReading<RedisReading>(async () => {
    await connectionReady(redis);
    return readStreams(redis, options.streams);
  }, track('redis'));
  const pool = options.pool;
  const readPostgres = pool
    ? cachedReading<OutboxReading>(() => readOutbox(pool, timeoutMs), track('postgres'))
    : undefined;
  errors.inc({ source: 'redis' }, 0);
  if (pool) errors.inc({ source: 'postgres' }, 0);

  function gauge<L extends string, T>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: () => Promise<T | undefined>,
    fill: (g: Gauge<L>, reading: T) => void,
  ) {
    return new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        this.reset();
        if (labelNames.length === 0) this.remove(); // an unlabelled series is left out, not shown as 0
        const reading = await read();
        if (reading !== undefined) fill(this, reading);
      },
    });
  }

  const byStream = ['stream'] as const;
  const byGroup = ['stream', 'group'] as const;
  gauge(
    'saga_stream_length',
    'Entries in the stream (acknowledged ones too, until trimmed)',
    byStream,
    readRedis,
    (g, r) => {
      for (const s of r.streams) g.set({ stream: s.stream }, s.length);
    },
  );
  gauge(
    'saga_dead_letter_length',
    "Entries in the stream's dead-letter stream (<stream>:dead), waiting for an operator",
    byStream,
    readRedis,
    (g, r) => {
      for (const s of r.streams) g.set({ stream: s.stream }, s.deadLetters);
    },
  );
  gauge(
    'saga_group_lag',
    'Entries of the stream not yet delivered to the consumer group',
    byGroup,
    readRedis,
    (g, r) => {
      for (const x of r.groups) if (x.lag !== undefined) g.set({ stream: x.stream, group: x.group }, x.lag);
    },
  );
  gauge('saga_group_pending', 'Entries delivered to the group but not acknowledged yet', byGroup, readRedis, (g, r) => {
    for (const x of r.groups) g.set({ stream: x.stream, group: x.group }, x.pending);
  });
  gauge(
    'saga_group_oldest_pending_age_seconds',
    'Age of the oldest unacknowledged entry of the group, from its stream id (0 when none)',
    byGroup,
    readRedis,
    (g, r) => {
      for (const x of r.groups) g.set({ stream: x.stream, group: x.group }, x.oldestPendingAgeSeconds);
    },
  );
  gauge(
    'saga_group_consumers',
    'Consumers registered in the group, departed ones included until removed',
    byGroup,
    readRedis,
    (g, r) => {
      for (const x of r.groups) g.set({ stream: x.stream, group: x.group }, x.consumers);
    },
  );
  gauge('saga_redis_used_memory_bytes', 'Memory Redis uses (INFO memory used_memory)', [], readRedis, (g, r) =>
    g.set(r.usedMemoryBytes),
  );
  gauge(
    'saga_redis_maxmemory_bytes',
    'Redis memory limit (INFO memory maxmemory; 0 means no limit)',
    [],
    readRedis,
    (g, r) => g.set(r.maxMemoryBytes),
  );
  if (readPostgres) {
    gauge(
      'saga_outbox_backlog',
      "Outbox rows of this service's database not yet published to Redis",
      [],
      readPostgres,
      (g, r) => g.set(r.backlog),
    );
    gauge(
      'saga_outbox_oldest_age_seconds',
      'Age of the oldest unpublished outbox row (0 when none)',
      [],
      readPostgres,
      (g, r) => g.set(r.oldestAgeSeconds),
    );
  }

  return {
    async close() {
      redis.disconnect();
    },
  };
}
