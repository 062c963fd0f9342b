import { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import { InvalidMessageError, fieldsFromList, type StreamFields } from '@market/contracts';
import type { Logger } from '../logger';
import { HandlerTimeoutError, isTransientError } from './transient-errors';

export interface StreamEntry {
  id: string;
  fields: StreamFields;
}

/**
 * What became of the entries of a batch that were not applied, by entry id; an entry not named
 * was applied (or was a duplicate safely skipped) and is acknowledged.
 * An InvalidMessageError dead-letters the entry at once; a transient error (database or network
 * unreachable, a lock or statement timeout: see isTransientError) leaves it pending for a retry
 * with backoff without counting; any other error counts as one failed delivery, and after
 * `maxDeliveries` of them it is dead-lettered.
 */
export type BatchFailures = Map<string, Error>;

/**
 * Decodes the entries of a batch: the valid ones with their entry ids, in order, and an
 * InvalidMessageError for each entry that can never apply (to be dead-lettered on its own).
 */
export function decodeBatch<M>(
  entries: StreamEntry[],
  decode: (fields: StreamFields) => M,
): { valid: { entryId: string; message: M }[]; failures: BatchFailures } {
  const failures: BatchFailures = new Map();
  const valid: { entryId: string; message: M }[] = [];
  for (const entry of entries) {
    try {
      valid.push({ entryId: entry.id, message: decode(entry.fields) });
    } catch (error) {
      if (!(error instanceof InvalidMessageError)) throw error;
      failures.set(entry.id, error);
    }
  }
  return { valid, failures };
}

export interface StreamConsumerOptions {
  redisUrl: string;
  stream: string;
  group: string;
  consumer: string;
  logger: Logger;
  /**
   * Applies the entries of one read, in stream order, as few transactions as the handler can
   * (a consumer's hot path works in sets). Rejecting means nothing of the batch was applied:
   * the consumer then hands the entries over one by one, so one poisoned entry fails alone.
   */
  handleBatch: (entries: StreamEntry[]) => Promise<BatchFailures>;
  blockMs: number;
  /** Entries idle longer than this in any consumer's pending list are taken over (XAUTOCLAIM). */
  claimIdleMs: number;
  /** Failed handlings (not transient errors, not redeliveries) after which an entry is dead-lettered. */
  maxDeliveries: number;
  /**
   * The deadline of one handleBatch call (default 30 s): past it the batch counts as a transient
   * failure and is retried later, and stop() stops waiting for it.
   */
  handlerTimeoutMs?: number;
  /**
   * Another consumer of the group that has not read for this long is taken for departed: its
   * pending entries are claimed at once (default max(10 s, 5 × blockMs); live consumers read every blockMs).
   */
  departedAfterMs?: number;
  /** A departed consumer with nothing pending is removed from the group after this long idle (default 1 h). */
  consumerExpiryMs?: number;
  /**
   * How often the stream is trimmed below the oldest entry any of its groups still needs
   * (default 5 s; 0 never): retention by consumption, so acknowledged entries do not fill Redis.
   */
  trimIntervalMs?: number;
  /** Entries read (and handled as one batch) at once; default 64. */
  count?: number;
  /**
   * Pause after a batch that was not full, before the next read (default 0): entries that arrive
   * meanwhile make one batch instead of several, at the price of this much latency.
   */
  batchWaitMs?: number;
  claimIntervalMs?: number;
  deadLetterMaxLen?: number;
  registry?: Registry;
}

export interface StreamConsumer {
  stop(): Promise<void>;
}

export const deadLetterStream = (stream: string) => `${stream}:dead`;
/** The hash counting each pending entry's failed handlings (entry id → count) for one group. */
export const failureCountKey = (stream: string, group: string) => `${stream}:failures:${group}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ReadReply = [string, [string, string[] | null][]][] | null;

/** XINFO replies are flat [key, value, …] lists. */
function infoRecord(list: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i + 1 < list.length; i += 2) record[String(list[i])] = list[i + 1];
  return record;
}

/** The stream id just after `id` (the smallest id greater than it). */
function nextId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${BigInt(seq ?? '0') + 1n}`;
}

const compareIds = (a: string, b: string): number => {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
};

/**
 * The id below which no group of the stream needs anything: for each group its oldest pending
 * entry, or the entry after its last delivered one when nothing is pending. Undefined when the
 * stream has no group yet (nobody has said what it needs).
 */
export async function consumedFloor(redis: Redis, stream: string): Promise<string | undefined> {
  const groups = ((await redis.xinfo('GROUPS', stream)) as unknown[][]).map(infoRecord);
  if (groups.length === 0) return undefined;
  let floor: string | undefined;
  for (const group of groups) {
    let needed = nextId(String(group['last-delivered-id']));
    if (Number(group.pending) > 0) {
      const summary = (await redis.xpending(stream, String(group.name))) as [number, string | null, ...unknown[]];
      if (summary[1]) needed = summary[1];
    }
    if (!floor || compareIds(needed, floor) < 0) floor = needed;
  }
  return floor;
}

/**
 * Reads a stream through a consumer group on its own blocking connection (finite BLOCK,
 * COUNT > 1). On start and after every reconnect it first re-reads its own pending entries
 * (id 0): ioredis would otherwise re-send an interrupted blocking read and strand the
 * entry the lost reply carried. A periodic pass takes over entries that a dead consumer left
 * idle (its whole pending list at once once it stopped reading for `departedAfterMs`, anyone's
 * entry idle past `claimIdleMs`), removes consumers long gone, and trims the stream below what
 * every group still needs. The entries of one read are handled as one batch, within a deadline,
 * and acknowledged together after it. Nothing is acknowledged unless applied or dead-lettered;
 * only failed handlings count toward dead-lettering, never redeliveries or transient errors.
 */
export function startStreamConsumer(options: StreamConsumerOptions): StreamConsumer {
  const { stream, group, consumer } = options;
  const count = Math.max(1, Math.floor(options.count ?? 64));
  const batchWaitMs = Math.max(0, options.batchWaitMs ?? 0);
  const claimIntervalMs = options.claimIntervalMs ?? Math.max(1000, Math.floor(options.claimIdleMs / 2));
  const handlerTimeoutMs = options.handlerTimeoutMs ?? 30_000;
  const departedAfterMs = options.departedAfterMs ?? Math.max(10_000, 5 * options.blockMs);
  const consumerExpiryMs = options.consumerExpiryMs ?? 3_600_000;
  const trimIntervalMs = options.trimIntervalMs ?? 5000;
  const failureKey = failureCountKey(stream, group);
  const log = options.logger.child({ component: 'stream-consumer', stream, group, consumer });
  // One counter per registry, labelled by stream: a process may run consumers on several streams.
  const outcomes = options.registry
    ? ((options.registry.getSingleMetric('stream_messages_total') as Counter<'stream' | 'outcome'> | undefined) ??
      new Counter({
        name: 'stream_messages_total',
        help: 'Stream entries handled by outcome (applied, retry, transient, dead)',
        labelNames: ['stream', 'outcome'] as const,
        registers: [options.registry],
      }))
    : undefined;

  const redis = new Redis(options.redisUrl, {
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // A half-open socket (no RST ever arrives) must not hold a blocking read forever.
    commandTimeout: options.blockMs + 10_000,
  });
  redis.on('error', () => undefined); // surfaced through the failing command in the loop
  // Without autoResendUnfulfilledCommands, ioredis drops the commands a lost connection was
  // carrying without settling their promises: the loop would wait on that read forever. Every
  // command below also fails when the connection closes. (One listener per command, removed once
  // it settles: racing every command against one long-lived promise would keep every reply alive.)
  const call = <T>(command: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onClose = () => reject(new Error('redis connection lost'));
      redis.once('close', onClose);
      command.then(
        (value) => {
          redis.off('close', onClose);
          resolve(value);
        },
        (error: unknown) => {
          redis.off('close', onClose);
          reject(asError(error));
        },
      );
    });
  let needGroup = true;
  let needPending = true;
  let pendingCursor = '0';
  let lastClaim = 0;
  let lastTrim = 0;
  let failures = 0;
  /** Consecutive batches that failed for a transient reason: the retry waits longer each time. */
  let transientStreak = 0;
  redis.on('ready', () => {
    needPending = true;
    pendingCursor = '0';
  });

  let running = true;
  /** The batch being handled and acknowledged; stop() waits for it (the handler's deadline bounds it). */
  let inFlight: Promise<unknown> = Promise.resolve();

  async function ensureGroup(): Promise<void> {
    try {
      await call(redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM'));
      log.info('consumer group created');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  }

  async function deadLetter(entry: StreamEntry, reason: string, failedTimes: number): Promise<void> {
    await call(
      redis
        .multi()
        .xadd(
          deadLetterStream(stream),
          'MAXLEN',
          '~',
          options.deadLetterMaxLen ?? 100_000,
          '*',
          ...Object.entries(entry.fields).flat(),
          'dead_original_id',
          entry.id,
          'dead_group',
          group,
          'dead_reason',
          reason.slice(0, 2000),
          'dead_deliveries',
          String(failedTimes),
          'dead_at',
          new Date().toISOString(),
        )
        .xack(stream, group, entry.id)
        .hdel(failureKey, entry.id)
        .exec(),
    );
    outcomes?.inc({ stream, outcome: 'dead' });
    log.error({ entryId: entry.id, reason, failures: failedTimes }, 'entry dead-lettered');
  }

  /** The handler's batch within the deadline (past it, the handler may still finish in the background: its commit is deduped when retried). */
  function handleWithDeadline(entries: StreamEntry[]): Promise<BatchFailures> {
    const work = options.handleBatch(entries);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new HandlerTimeoutError(handlerTimeoutMs)), handlerTimeoutMs);
    });
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  }

  /**
   * Applies a batch; if the handler rejects it whole for a reason of its own, the entries one by
   * one (one poisoned entry fails alone). A transient error fails the batch as it is: handling
   * the entries one by one would only meet the same outage.
   */
  async function handleAll(entries: StreamEntry[]): Promise<BatchFailures> {
    if (entries.length === 0) return new Map();
    const allFailed = (error: unknown, from: StreamEntry[]) => new Map(from.map((entry) => [entry.id, asError(error)]));
    try {
      return await handleWithDeadline(entries);
    } catch (error) {
      if (entries.length === 1 || isTransientError(error)) return allFailed(error, entries);
      log.warn({ err: error, size: entries.length }, 'batch failed; handling its entries one by one');
      const failures: BatchFailures = new Map();
      for (const [i, entry] of entries.entries()) {
        try {
          for (const [id, failure] of await handleWithDeadline([entry])) failures.set(id, failure);
        } catch (single) {
          if (isTransientError(single)) {
            for (const [id, failure] of allFailed(single, entries.slice(i))) failures.set(id, failure);
            break;
          }
          failures.set(entry.id, asError(single));
        }
      }
      return failures;
    }
  }

  /**
   * Handles one read: `recovered` entries (pending or claimed) have their failure count checked
   * first (one HMGET). Applied entries are acknowledged with one XACK, invalid ones dead-lettered,
   * failed ones counted and left pending (dead-lettered once they failed maxDeliveries times),
   * transient failures left pending uncounted. True when none is left.
   */
  async function processBatch(read: [string, string[] | null][], recovered: boolean): Promise<boolean> {
    // An entry trimmed away while pending has nothing left to apply: acknowledged with the rest.
    const acks = read.filter(([, list]) => !list).map(([id]) => id);
    const present = read.filter((item): item is [string, string[]] => item[1] !== null);
    const counts =
      recovered && present.length > 0 ? await call(redis.hmget(failureKey, ...present.map(([id]) => id))) : [];
    const entries: StreamEntry[] = [];
    for (const [i, [id, list]] of present.entries()) {
      const entry = { id, fields: fieldsFromList(list) };
      const failedTimes = Number(counts[i] ?? 0);
      if (failedTimes >= options.maxDeliveries)
        await deadLetter(entry, `gave up after ${failedTimes} failed handlings`, failedTimes);
      else entries.push(entry);
    }
    const failures = await handleAll(entries);
    let allDone = true;
    let transient = false;
    for (const entry of entries) {
      const error = failures.get(entry.id);
      if (!error) {
        acks.push(entry.id);
      } else if (error instanceof InvalidMessageError) {
        await deadLetter(entry, `${error.message}: ${error.issues.join('; ')}`, 0);
      } else if (isTransientError(error)) {
        allDone = false;
        transient = true;
        outcomes?.inc({ stream, outcome: 'transient' });
      } else {
        const failedTimes = await call(redis.hincrby(failureKey, entry.id, 1));
        if (failedTimes >= options.maxDeliveries) {
          await deadLetter(entry, `failed ${failedTimes} times: ${error.message}`, failedTimes);
        } else {
          allDone = false;
          outcomes?.inc({ stream, outcome: 'retry' });
          log.warn({ err: error, entryId: entry.id, failures: failedTimes }, 'entry failed; left pending for retry');
        }
      }
    }
    if (transient) {
      transientStreak += 1;
      const error = entries.map((entry) => failures.get(entry.id)).find((e) => e && isTransientError(e));
      if (transientStreak === 1 || transientStreak % 10 === 0)
        log.warn(
          { err: error, streak: transientStreak },
          'batch met a transient failure; retrying with backoff, not counted',
        );
    } else {
      transientStreak = 0;
    }
    if (acks.length > 0) {
      const done = redis.multi().xack(stream, group, ...acks);
      // Only entries read again can carry a failure count.
      if (recovered) done.hdel(failureKey, ...acks);
      await call(done.exec());
      outcomes?.inc({ stream, outcome: 'applied' }, acks.length);
    }
    return allDone;
  }

  function track<T>(work: Promise<T>): Promise<T> {
    inFlight = work.catch(() => undefined);
    return work;
  }

  /** Takes over entries a departed consumer left: all of its pending list, or anyone's entry idle past claimIdleMs. */
  async function claimIdle(): Promise<void> {
    lastClaim = Date.now();
    const others = ((await call(redis.xinfo('CONSUMERS', stream, group))) as unknown[][])
      .map(infoRecord)
      .filter((c) => c.name !== consumer);
    for (const other of others) {
      if (!running) return;
      const name = String(other.name);
      const idle = Number(other.idle);
      if (Number(other.pending) > 0 && idle >= departedAfterMs) {
        const pending = (await call(redis.xpending(stream, group, '-', '+', count, name))) as [string, ...unknown[]][];
        const ids = pending.map(([id]) => id);
        if (ids.length === 0) continue;
        const claimed = (await call(redis.xclaim(stream, group, consumer, departedAfterMs, ...ids))) as [
          string,
          string[] | null,
        ][];
        if (claimed.length > 0) {
          log.info(
            { from: name, claimed: claimed.length, idleMs: idle },
            'took over the entries of a departed consumer',
          );
          if (!(await track(processBatch(claimed, true)))) scheduleRetry();
        }
      } else if (Number(other.pending) === 0 && idle >= consumerExpiryMs) {
        await call(redis.xgroup('DELCONSUMER', stream, group, name));
        log.info({ removed: name, idleMs: idle }, 'removed a departed consumer from the group');
      }
    }
    let cursor = '0-0';
    for (let round = 0; round < 10 && running; round++) {
      const [next, entries] = (await call(
        redis.xautoclaim(stream, group, consumer, options.claimIdleMs, cursor, 'COUNT', count),
      )) as [string, [string, string[] | null][]];
      if (entries.length > 0) log.info({ claimed: entries.length }, 'took over idle entries');
      if (!(await track(processBatch(entries, true)))) scheduleRetry();
      if (next === '0-0') return;
      cursor = next;
    }
  }

  /** Retention by consumption: drops the entries every group of the stream is done with. */
  async function trimConsumed(): Promise<void> {
    lastTrim = Date.now();
    const floor = await call(consumedFloor(redis, stream));
    if (!floor) return;
    const trimmed = await call(redis.xtrim(stream, 'MINID', '~', floor));
    if (trimmed > 0) log.debug({ trimmed, below: floor }, 'trimmed consumed entries');
  }

  async function readOnce(): Promise<void> {
    if (needGroup) {
      await ensureGroup();
      needGroup = false;
    }
    if (Date.now() - lastClaim >= claimIntervalMs) await claimIdle();
    if (trimIntervalMs > 0 && Date.now() - lastTrim >= trimIntervalMs) await trimConsumed();
    if (needPending) {
      const reply = (await call(
        redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, pendingCursor),
      )) as ReadReply;
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) {
        needPending = false;
        pendingCursor = '0';
        return;
      }
      pendingCursor = entries[entries.length - 1]![0];
      if (!(await track(processBatch(entries, true)))) scheduleRetry();
      return;
    }
    const reply = (await call(
      redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'BLOCK', options.blockMs, 'STREAMS', stream, '>'),
    )) as ReadReply;
    const read = reply?.[0]?.[1] ?? [];
    const done = await track(processBatch(read, false));
    if (!done) scheduleRetry();
    if (read.length > 0 && read.length < count && batchWaitMs > 0 && running) await sleep(batchWaitMs);
  }

  let retryTimer: NodeJS.Timeout | undefined;
  /** Pending entries are read again after 1 s, or after a backoff doubling up to 30 s while failures are transient. */
  function scheduleRetry(): void {
    if (retryTimer) return;
    const delay = transientStreak > 0 ? Math.min(1000 * 2 ** Math.min(transientStreak - 1, 5), 30_000) : 1000;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      needPending = true;
      pendingCursor = '0';
    }, delay);
  }

  const loop = (async () => {
    while (running) {
      try {
        await readOnce();
        failures = 0;
      } catch (error) {
        if (!running) break;
        failures += 1;
        const message = String((error as Error).message);
        if (message.includes('NOGROUP')) needGroup = true;
        needPending = true;
        pendingCursor = '0';
        if (failures === 1 || failures % 20 === 0) log.warn({ err: error, failures }, 'stream read failed; retrying');
        await sleep(Math.min(100 * 2 ** Math.min(failures, 5), 3000));
      }
    }
  })();

  return {
    async stop() {
      running = false;
      clearTimeout(retryTimer);
      // A handler stuck past its deadline (a stalled database) must not hold shutdown.
      await settledWithin(inFlight, handlerTimeoutMs + 5000);
      redis.disconnect();
      await loop;
    },
  };
}

/** Waits for `work` at most `ms`, leaving no timer behind. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
