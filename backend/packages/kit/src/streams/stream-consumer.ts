import { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import { InvalidMessageError, fieldsFromList, type StreamFields } from '@market/contracts';
import type { Logger } from '../logger';

export interface StreamEntry {
  id: string;
  fields: StreamFields;
}

export interface StreamConsumerOptions {
  redisUrl: string;
  stream: string;
  group: string;
  consumer: string;
  logger: Logger;
  /**
   * Applies one entry. Resolving means applied (or a duplicate safely skipped): the entry
   * is acknowledged. Throwing InvalidMessageError dead-letters it at once; any other error
   * leaves it pending for a retry, and after `maxDeliveries` it is dead-lettered.
   */
  handle: (entry: StreamEntry) => Promise<void>;
  blockMs: number;
  /** Entries idle longer than this in any consumer's pending list are taken over (XAUTOCLAIM). */
  claimIdleMs: number;
  maxDeliveries: number;
  /**
   * Entries of one batch handled at once (default 1: one after the other). Each entry keeps its
   * own outcome: acknowledged after its own handler, retried or dead-lettered on its own.
   */
  concurrency?: number;
  /** Entries read at once; default 16, and never fewer than `concurrency`. */
  count?: number;
  claimIntervalMs?: number;
  deadLetterMaxLen?: number;
  registry?: Registry;
}

export interface StreamConsumer {
  stop(): Promise<void>;
}

export const deadLetterStream = (stream: string) => `${stream}:dead`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ReadReply = [string, [string, string[] | null][]][] | null;

/**
 * Reads a stream through a consumer group on its own blocking connection (finite BLOCK,
 * COUNT > 1). On start and after every reconnect it first re-reads its own pending entries
 * (id 0): ioredis would otherwise re-send an interrupted blocking read and strand the
 * entry the lost reply carried. A periodic XAUTOCLAIM takes over entries that a dead
 * consumer left idle. Up to `concurrency` entries of a batch are handled at once, each
 * acknowledged after its own handler. Nothing is acknowledged unless applied or dead-lettered.
 */
export function startStreamConsumer(options: StreamConsumerOptions): StreamConsumer {
  const { stream, group, consumer } = options;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const count = options.count ?? Math.max(16, concurrency);
  const claimIntervalMs = options.claimIntervalMs ?? Math.max(1000, Math.floor(options.claimIdleMs / 2));
  const log = options.logger.child({ component: 'stream-consumer', stream, group, consumer });
  const outcomes = options.registry
    ? new Counter({
        name: 'stream_messages_total',
        help: 'Stream entries handled by outcome (applied, retry, dead)',
        labelNames: ['stream', 'outcome'] as const,
        registers: [options.registry],
      })
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
  // command below races this promise, which rejects whenever the connection closes.
  let lost = connectionLost();
  redis.on('close', () => {
    lost.reject(new Error('redis connection lost'));
    lost = connectionLost();
  });
  const call = <T>(command: Promise<T>): Promise<T> => Promise.race([command, lost.promise]);
  let needGroup = true;
  let needPending = true;
  let pendingCursor = '0';
  let lastClaim = 0;
  let failures = 0;
  redis.on('ready', () => {
    needPending = true;
    pendingCursor = '0';
  });

  let running = true;
  /** Entries being handled; stop() waits for them. */
  const inFlight = new Set<Promise<void>>();

  async function ensureGroup(): Promise<void> {
    try {
      await call(redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM'));
      log.info('consumer group created');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  }

  async function deliveries(id: string): Promise<number> {
    const rows = (await call(redis.xpending(stream, group, id, id, 1))) as [string, string, number, number][];
    return rows[0]?.[3] ?? 0;
  }

  async function deadLetter(entry: StreamEntry, reason: string, deliveredTimes: number): Promise<void> {
    await call(redis
      .multi()
      .xadd(deadLetterStream(stream), 'MAXLEN', '~', options.deadLetterMaxLen ?? 100_000, '*',
        ...Object.entries(entry.fields).flat(),
        'dead_original_id', entry.id, 'dead_group', group, 'dead_reason', reason.slice(0, 2000),
        'dead_deliveries', String(deliveredTimes), 'dead_at', new Date().toISOString())
      .xack(stream, group, entry.id)
      .exec());
    outcomes?.inc({ stream, outcome: 'dead' });
    log.error({ entryId: entry.id, reason, deliveries: deliveredTimes }, 'entry dead-lettered');
  }

  /** Handles one entry; `recovered` entries (pending or claimed) have their delivery count checked first. */
  async function processEntry(id: string, list: string[] | null, recovered: boolean): Promise<void> {
    if (!list) {
      // Trimmed away while pending: nothing left to apply.
      await call(redis.xack(stream, group, id));
      return;
    }
    const entry = { id, fields: fieldsFromList(list) };
    if (recovered) {
      const delivered = await deliveries(id);
      if (delivered > options.maxDeliveries) {
        await deadLetter(entry, `gave up after ${delivered - 1} deliveries`, delivered);
        return;
      }
    }
    try {
      await options.handle(entry);
    } catch (error) {
      if (error instanceof InvalidMessageError) {
        await deadLetter(entry, `${error.message}: ${error.issues.join('; ')}`, await deliveries(id));
        return;
      }
      const delivered = await deliveries(id);
      if (delivered >= options.maxDeliveries) {
        await deadLetter(entry, `failed ${delivered} times: ${(error as Error).message}`, delivered);
        return;
      }
      outcomes?.inc({ stream, outcome: 'retry' });
      log.warn({ err: error, entryId: id, deliveries: delivered }, 'entry failed; left pending for retry');
      throw new RetryLater();
    }
    await call(redis.xack(stream, group, id));
    outcomes?.inc({ stream, outcome: 'applied' });
  }

  function track(work: Promise<void>): Promise<void> {
    inFlight.add(work);
    work.then(() => inFlight.delete(work), () => inFlight.delete(work));
    return work;
  }

  /**
   * Handles a batch with up to `concurrency` entries at once. True when every entry was
   * acknowledged; an entry left for a retry does not hold back the others. Any other error
   * (Redis lost while acknowledging) stops taking new entries, lets the started ones finish,
   * then ends the batch: the pending re-read picks up whatever is left.
   */
  async function processBatch(entries: [string, string[] | null][], recovered: boolean): Promise<boolean> {
    let next = 0;
    let allDone = true;
    let failure: { error: unknown } | undefined;
    const work = async () => {
      while (running && !failure && next < entries.length) {
        const [id, list] = entries[next++]!;
        try {
          await track(processEntry(id, list, recovered));
        } catch (error) {
          if (error instanceof RetryLater) allDone = false;
          else failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, work));
    if (failure) throw failure.error;
    return allDone && next === entries.length;
  }

  async function claimIdle(): Promise<void> {
    lastClaim = Date.now();
    let cursor = '0-0';
    for (let round = 0; round < 10 && running; round++) {
      const [next, entries] = (await call(redis.xautoclaim(stream, group, consumer, options.claimIdleMs, cursor, 'COUNT', count))) as [
        string,
        [string, string[] | null][],
      ];
      if (entries.length > 0) log.info({ claimed: entries.length }, 'took over idle entries');
      await processBatch(entries, true);
      if (next === '0-0') return;
      cursor = next;
    }
  }

  async function readOnce(): Promise<void> {
    if (needGroup) {
      await ensureGroup();
      needGroup = false;
    }
    if (Date.now() - lastClaim >= claimIntervalMs) await claimIdle();
    if (needPending) {
      const reply = (await call(redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, pendingCursor))) as ReadReply;
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) {
        needPending = false;
        pendingCursor = '0';
        return;
      }
      pendingCursor = entries[entries.length - 1]![0];
      if (!(await processBatch(entries, true))) scheduleRetry();
      return;
    }
    const reply = (await call(redis.xreadgroup(
      'GROUP', group, consumer, 'COUNT', count, 'BLOCK', options.blockMs, 'STREAMS', stream, '>',
    ))) as ReadReply;
    const done = await processBatch(reply?.[0]?.[1] ?? [], false);
    if (!done) scheduleRetry();
  }

  let retryTimer: NodeJS.Timeout | undefined;
  function scheduleRetry(): void {
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      needPending = true;
      pendingCursor = '0';
    }, 1000);
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
      await Promise.allSettled([...inFlight]);
      redis.disconnect();
      await loop;
    },
  };
}

class RetryLater extends Error {}

function connectionLost(): { promise: Promise<never>; reject: (error: Error) => void } {
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<never>((_resolve, fail) => {
    reject = fail;
  });
  promise.catch(() => undefined); // only ever observed through Promise.race
  return { promise, reject };
}
