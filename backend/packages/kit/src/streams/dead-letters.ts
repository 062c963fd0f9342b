import type { Redis } from 'ioredis';
import {
  DEAD_LETTER_PAGE_SIZE,
  fieldsFromList,
  LIMITS,
  STREAM_ID_PATTERN,
  type DeadLetter,
  type DeadLetterOrder,
  type StreamFields,
} from '@market/contracts';
import { AppError } from '../errors';
import { deadLetterStream } from './stream-consumer';

/** The fields startStreamConsumer adds to the original entry when it dead-letters it. */
export const DEAD_LETTER_FIELDS = [
  'dead_original_id',
  'dead_group',
  'dead_reason',
  'dead_deliveries',
  'dead_at',
] as const;

export { DEAD_LETTER_PAGE_SIZE, STREAM_ID_PATTERN };

/** A dead letter as the kit reads it: the admin API's DeadLetter without the fields it derives (type, order and event ids). */
export type DeadLetterEntry = Omit<DeadLetter, 'type' | 'orderId' | 'eventId'>;

export interface DeadLetterListOptions {
  order?: DeadLetterOrder;
  /** Entries per page, 1 to LIMITS.pageSizeMax. */
  limit?: number;
  /** The `next` of the previous page: the page starts after this id (in the list's order). */
  cursor?: string;
}

export interface DeadLetterPage {
  entries: DeadLetterEntry[];
  /** Dead letters of the stream, all pages together. */
  total: number;
  /** Cursor of the following page; null on the last one. */
  next: string | null;
}

/** Narrows a bulk replay; every given condition must hold. */
export interface DeadLetterFilter {
  /** The original entry's `type`, e.g. `order.cancelled`. */
  type?: string;
  group?: string;
  /** Case-insensitive text the reason contains. */
  reasonContains?: string;
}

export interface DeadLetters {
  /** The saga streams whose dead letters these are, as configured. */
  readonly streams: readonly string[];
  count(stream: string): Promise<number>;
  list(stream: string, options?: DeadLetterListOptions): Promise<DeadLetterPage>;
  show(stream: string, id: string): Promise<DeadLetterEntry | null>;
  /**
   * Puts the original fields back on the stream as a new entry and deletes the dead one, in one
   * atomic step: the id of the new entry, or null when the dead letter is gone (already
   * replayed or dropped, perhaps by another operator at the same moment).
   */
  replay(stream: string, id: string): Promise<string | null>;
  /** Replays every dead letter the filter matches, oldest first; how many were replayed. */
  replayAll(stream: string, filter?: DeadLetterFilter): Promise<number>;
  /** Deletes one dead letter; false when it was not there. */
  drop(stream: string, id: string): Promise<boolean>;
  /**
   * Deletes every dead letter up to and including `upTo` (default: the newest there is now), so
   * entries dead-lettered after an operator looked are kept; how many were deleted.
   */
  dropAll(stream: string, upTo?: string): Promise<number>;
}

/**
 * KEYS: the dead-letter stream, the original stream. ARGV: the dead letter's id, then the names
 * of the dead_* fields. Runs atomically, so of two replays of one dead letter racing, the second
 * finds it gone and returns nil: the entry goes back once.
 */
const REPLAY_SCRIPT = `
local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #found == 0 then return false end
local dead = {}
for i = 2, #ARGV do dead[ARGV[i]] = true end
local list = found[1][2]
local fields = {}
for i = 1, #list, 2 do
  if not dead[list[i]] then
    fields[#fields + 1] = list[i]
    fields[#fields + 1] = list[i + 1]
  end
end
if #fields == 0 then return redis.error_reply('dead letter ' .. ARGV[1] .. ' holds no original fields') end
local id = redis.call('XADD', KEYS[2], '*', unpack(fields))
redis.call('XDEL', KEYS[1], ARGV[1])
return id
`;

const invalid = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${field} ${message}`, 400, [{ field, message }]);

export function assertStreamId(id: string, field = 'id'): void {
  if (!STREAM_ID_PATTERN.test(id)) throw invalid(field, 'must be a stream entry id such as 1733000000000-0');
}

/** The id right after `id` in stream order: XTRIM MINID keeps entries from there on. */
function following(id: string): string {
  const [ms, seq] = id.split('-') as [string, string];
  const next = BigInt(seq) + 1n;
  return next > 18_446_744_073_709_551_615n ? `${BigInt(ms) + 1n}-0` : `${ms}-${next}`;
}

export function toDeadLetter(stream: string, id: string, list: string[]): DeadLetterEntry {
  const all = fieldsFromList(list);
  const fields: StreamFields = {};
  for (const [key, value] of Object.entries(all)) {
    if (!(DEAD_LETTER_FIELDS as readonly string[]).includes(key)) fields[key] = value;
  }
  const deliveries = Number(all.dead_deliveries);
  return {
    id,
    stream,
    originalId: all.dead_original_id ?? '',
    group: all.dead_group ?? '',
    reason: all.dead_reason ?? '',
    deliveries: Number.isFinite(deliveries) ? deliveries : 0,
    deadAt: all.dead_at ?? '',
    fields,
  };
}

function matches(letter: DeadLetterEntry, filter: DeadLetterFilter): boolean {
  if (filter.type !== undefined && letter.fields.type !== filter.type) return false;
  if (filter.group !== undefined && letter.group !== filter.group) return false;
  if (filter.reasonContains !== undefined && !letter.reason.toLowerCase().includes(filter.reasonContains.toLowerCase()))
    return false;
  return true;
}

/**
 * What an operator does with the entries the saga's consumers gave up on (`<stream>:dead`, one
 * per saga stream): look, put back, throw away. Only the configured saga streams are accepted.
 * A replayed entry is a new entry on the original stream with the original fields, event_id
 * included: every consumer group of that stream reads it again and dedupes it through its inbox,
 * so replaying an entry whose effect was in fact applied changes nothing.
 */
export function createDeadLetters(redis: Redis, streams: readonly string[]): DeadLetters {
  const known = [...new Set(streams)];

  function deadKeyOf(stream: string): string {
    if (!known.includes(stream)) throw invalid('stream', `must be one of ${known.join(', ')}`);
    return deadLetterStream(stream);
  }

  async function scan(stream: string, from: string, batch: number): Promise<[string, string[]][]> {
    return await redis.xrange(deadKeyOf(stream), from, '+', 'COUNT', batch);
  }

  const api: DeadLetters = {
    streams: known,

    async count(stream) {
      return redis.xlen(deadKeyOf(stream));
    },

    async list(stream, options = {}) {
      const key = deadKeyOf(stream);
      const limit = options.limit ?? DEAD_LETTER_PAGE_SIZE;
      if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.pageSizeMax)
        throw invalid('limit', `must be an integer from 1 to ${LIMITS.pageSizeMax}`);
      if (options.cursor !== undefined) assertStreamId(options.cursor, 'cursor');
      const newest = (options.order ?? 'newest') === 'newest';
      // One more than a page tells whether another follows; "(" makes the cursor exclusive.
      const start = options.cursor === undefined ? (newest ? '+' : '-') : `(${options.cursor}`;
      const [read, total] = await Promise.all([
        (newest
          ? redis.xrevrange(key, start, '-', 'COUNT', limit + 1)
          : redis.xrange(key, start, '+', 'COUNT', limit + 1)) as Promise<[string, string[]][]>,
        redis.xlen(key),
      ]);
      const entries = read.slice(0, limit).map(([id, list]) => toDeadLetter(stream, id, list));
      return { entries, total, next: read.length > limit ? entries[entries.length - 1]!.id : null };
    },

    async show(stream, id) {
      const key = deadKeyOf(stream);
      assertStreamId(id);
      const [entry] = (await redis.xrange(key, id, id)) as [string, string[]][];
      return entry ? toDeadLetter(stream, entry[0], entry[1]) : null;
    },

    async replay(stream, id) {
      const key = deadKeyOf(stream);
      assertStreamId(id);
      const newId = (await redis.eval(REPLAY_SCRIPT, 2, key, stream, id, ...DEAD_LETTER_FIELDS)) as string | null;
      return newId ?? null;
    },

    async replayAll(stream, filter = {}) {
      let replayed = 0;
      let from = '-';
      for (;;) {
        const batch = await scan(stream, from, 100);
        for (const [id, list] of batch) {
          if (matches(toDeadLetter(stream, id, list), filter) && (await api.replay(stream, id))) replayed += 1;
        }
        if (batch.length < 100) return replayed;
        from = `(${batch[batch.length - 1]![0]}`;
      }
    },

    async drop(stream, id) {
      const key = deadKeyOf(stream);
      assertStreamId(id);
      return (await redis.xdel(key, id)) > 0;
    },

    async dropAll(stream, upTo) {
      const key = deadKeyOf(stream);
      if (upTo !== undefined) assertStreamId(upTo, 'upTo');
      const last = upTo ?? ((await redis.xrevrange(key, '+', '-', 'COUNT', 1)) as [string, string[]][])[0]?.[0];
      if (last === undefined) return 0;
      return redis.xtrim(key, 'MINID', following(last));
    },
  };
  return api;
}
