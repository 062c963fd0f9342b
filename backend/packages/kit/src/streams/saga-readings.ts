import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { deadLetterStream } from './stream-consumer';

/** A stream and the consumer groups on it whose progress is watched. */
export interface WatchedStream {
  stream: string;
  groups: string[];
}

export interface StreamReading {
  stream: string;
  length: number;
  deadLetters: number;
}

export interface GroupReading {
  stream: string;
  group: string;
  /** Entries not yet delivered to the group; absent when Redis cannot tell (XINFO answers nil). */
  lag?: number;
  pending: number;
  /** Age of the oldest delivered but unacknowledged entry, from its id; 0 when none is pending. */
  oldestPendingAgeSeconds: number;
  consumers: number;
}

export interface RedisReading {
  streams: StreamReading[];
  /** Only the groups that exist: a group not created yet has no series. */
  groups: GroupReading[];
  usedMemoryBytes: number;
  /** 0 when Redis runs without a limit. */
  maxMemoryBytes: number;
}

export interface OutboxReading {
  backlog: number;
  /** 0 when nothing waits. */
  oldestAgeSeconds: number;
}

/**
 * Resolves once the connection attempt under way succeeds (the first scrapes after start), fails
 * at once while the client only waits to retry: a Redis that is down never slows a scrape.
 */
export function connectionReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  if (redis.status !== 'connecting' && redis.status !== 'connect')
    return Promise.reject(new Error(`redis connection is ${redis.status}`));
  return new Promise<void>((resolve, reject) => {
    const settle = (err?: Error) => {
      redis.off('ready', ready);
      redis.off('close', closed);
      if (err) reject(err);
      else resolve();
    };
    const ready = () => settle();
    const closed = () => settle(new Error('redis connection closed'));
    redis.once('ready', ready);
    redis.once('close', closed);
  });
}

type PipelineResult = [Error | null, unknown][];

/** A stream or group that does not exist yet is not a failed reading. */
const isMissing = (err: Error) => /no such key|NOGROUP/i.test(err.message);

function valueOf(results: PipelineResult, index: number): unknown {
  const [err, value] = results[index] ?? [new Error('no reply')];
  if (err && isMissing(err)) return undefined;
  if (err) throw err;
  return value;
}

/** XINFO GROUPS answers one flat [field, value, …] array per group. */
function parseGroups(reply: unknown): Map<string, Record<string, unknown>> {
  const groups = new Map<string, Record<string, unknown>>();
  for (const flat of (reply as unknown[][] | undefined) ?? []) {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = flat[i + 1];
    groups.set(String(fields.name), fields);
  }
  return groups;
}

const infoField = (info: string, field: string) => Number(new RegExp(`^${field}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
const entryMillis = (id: string) => Number(id.split('-')[0]);

/**
 * Everything about the watched streams in one pipelined round trip: TIME, INFO memory, and per
 * stream XLEN of it and of its dead letters, XINFO GROUPS, and XPENDING (summary) per group.
 * Ages are measured on Redis's clock, the one the entry ids come from.
 */
export async function readStreams(redis: Redis, watched: WatchedStream[]): Promise<RedisReading> {
  const pipeline = redis.pipeline().time().info('memory');
  for (const { stream, groups } of watched) {
    pipeline.xlen(stream).xlen(deadLetterStream(stream)).xinfo('GROUPS', stream);
    for (const group of groups) pipeline.xpending(stream, group);
  }
  const results = await pipeline.exec();
  if (!results) throw new Error('redis pipeline was discarded');

  const [seconds, micros] = valueOf(results, 0) as [string, string];
  const nowMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  const info = String(valueOf(results, 1));
  const reading: RedisReading = {
    streams: [],
    groups: [],
    usedMemoryBytes: infoField(info, 'used_memory'),
    maxMemoryBytes: infoField(info, 'maxmemory'),
  };
  let index = 2;
  for (const { stream, groups } of watched) {
    reading.streams.push({
      stream,
      length: Number(valueOf(results, index)),
      deadLetters: Number(valueOf(results, index + 1)),
    });
    const infos = parseGroups(valueOf(results, index + 2));
    index += 3;
    for (const group of groups) {
      const summary = valueOf(results, index++) as [number, string | null, string | null, unknown] | undefined;
      const fields = infos.get(group);
      if (!summary || !fields) continue;
      const [pending, oldestId] = summary;
      reading.groups.push({
        stream,
        group,
        lag: fields.lag === null || fields.lag === undefined ? undefined : Number(fields.lag),
        pending: Number(pending),
        oldestPendingAgeSeconds: oldestId ? Math.max(0, nowMs - entryMillis(oldestId)) / 1000 : 0,
        consumers: Number(fields.consumers),
      });
    }
  }
  return reading;
}

/**
 * Unpublished outbox rows and the age of the oldest, in one statement bounded on the server too
 * (SET LOCAL holds for this implicit transaction only, so the pooled connection keeps its settings).
 */
export async function readOutbox(pool: Pool, timeoutMs: number, table = 'outbox'): Promise<OutboxReading> {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`bad outbox table name ${table}`);
  const results = (await pool.query(
    `SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))};
     SELECT count(*)::int AS backlog, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest
     FROM ${table} WHERE published_at IS NULL`,
  )) as unknown as { rows: { backlog: number; oldest: number }[] }[];
  const row = results[1]!.rows[0]!;
  return { backlog: row.backlog, oldestAgeSeconds: Math.max(0, row.oldest) };
}
