import { Redis } from 'ioredis';
import { InvalidMessageError } from '@market/contracts';
import {
  consumedFloor,
  deadLetterStream,
  failureCountKey,
  startStreamConsumer,
  type BatchFailures,
  type StreamConsumer,
  type StreamEntry,
} from '@market/kit';
import { captureLogs, eventually, sleep, testRedisUrl, uniqueSuffix } from '@market/kit/testing';

describe('stream consumer', () => {
  let redis: Redis;
  let stream: string;
  const consumers: StreamConsumer[] = [];
  const group = 'testers';

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  beforeEach(() => {
    stream = `consumer_test_${uniqueSuffix()}`;
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await redis.del(stream, deadLetterStream(stream), failureCountKey(stream, group));
  });
  afterAll(() => redis.quit());

  type Overrides = {
    consumer?: string;
    claimIdleMs?: number;
    maxDeliveries?: number;
    count?: number;
    handlerTimeoutMs?: number;
    departedAfterMs?: number;
    consumerExpiryMs?: number;
    trimIntervalMs?: number;
  };

  function startBatches(handleBatch: (entries: StreamEntry[]) => Promise<BatchFailures>, overrides: Overrides = {}) {
    const consumer = startStreamConsumer({
      redisUrl: testRedisUrl(),
      stream,
      group,
      consumer: overrides.consumer ?? 'c1',
      logger: captureLogs().logger,
      handleBatch,
      blockMs: 100,
      claimIdleMs: overrides.claimIdleMs ?? 60_000,
      claimIntervalMs: 100,
      maxDeliveries: overrides.maxDeliveries ?? 3,
      count: overrides.count,
      handlerTimeoutMs: overrides.handlerTimeoutMs,
      departedAfterMs: overrides.departedAfterMs,
      consumerExpiryMs: overrides.consumerExpiryMs,
      trimIntervalMs: overrides.trimIntervalMs ?? 100,
    });
    consumers.push(consumer);
    return consumer;
  }

  /** A handler of one entry at a time, each entry's error reported as its own failure. */
  const start = (handle: (entry: StreamEntry) => Promise<void>, overrides: Overrides = {}) =>
    startBatches(async (entries) => {
      const failures: BatchFailures = new Map();
      for (const entry of entries) {
        try {
          await handle(entry);
        } catch (error) {
          failures.set(entry.id, error as Error);
        }
      }
      return failures;
    }, overrides);

  /** Pending entries of the group; -1 until the consumer has created it. */
  const pendingCount = async () => {
    try {
      const summary = (await redis.xpending(stream, group)) as [number, ...unknown[]];
      return Number(summary[0]);
    } catch {
      return -1;
    }
  };

  it('when entries arrive, then each is handled once and acknowledged', async () => {
    const seen: string[] = [];
    start(async (entry) => void seen.push(entry.fields.n as string));
    await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
    for (let i = 0; i < 20; i += 1) await redis.xadd(stream, '*', 'n', String(i));
    await eventually(async () => seen.length === 20 || undefined, { intervalMs: 25 });
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
  });

  it('when the handler keeps failing, then after maxDeliveries the entry goes to the dead-letter stream and the next one is handled', async () => {
    const handled: string[] = [];
    start(
      async (entry) => {
        if (entry.fields.n === 'bad') throw new Error('database said no');
        handled.push(entry.fields.n as string);
      },
      { claimIdleMs: 50, maxDeliveries: 3 },
    );
    await redis.xadd(stream, '*', 'n', 'bad');
    await redis.xadd(stream, '*', 'n', 'good');
    await eventually(async () => (await redis.xlen(deadLetterStream(stream))) === 1 || undefined, {
      timeoutMs: 15_000,
      intervalMs: 25,
    });
    await eventually(async () => handled.includes('good') || undefined, { intervalMs: 25 });
    const [, fields] = (await redis.xrange(deadLetterStream(stream), '-', '+'))[0] ?? ['', []];
    expect(fields).toEqual(expect.arrayContaining(['n', 'bad']));
    expect(fields.join(' ')).toContain('database said no');
    await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
  });

  it('when a message is invalid, then it is dead-lettered at once without retries', async () => {
    let calls = 0;
    start(async () => {
      calls += 1;
      throw new InvalidMessageError('order.placed is not valid', ['order_id: is required']);
    });
    await redis.xadd(stream, '*', 'type', 'order.placed');
    await eventually(async () => (await redis.xlen(deadLetterStream(stream))) === 1 || undefined, { intervalMs: 25 });
    expect(calls).toBe(1);
    const [, fields] = (await redis.xrange(deadLetterStream(stream), '-', '+'))[0] ?? ['', []];
    expect(fields.join(' ')).toContain('order_id: is required');
    await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
  });

  it('when a consumer stopped with entries pending, then on restart it re-reads them first', async () => {
    let crash = true;
    const handled: string[] = [];
    const first = start(async (entry) => {
      if (crash) throw new Error('worker died mid-message');
      handled.push(entry.fields.n as string);
    });
    await redis.xadd(stream, '*', 'n', 'stranded');
    await eventually(async () => (await pendingCount()) === 1 || undefined, { intervalMs: 25 });
    await first.stop();
    consumers.splice(consumers.indexOf(first), 1);

    crash = false;
    start(async (entry) => void handled.push(entry.fields.n as string));
    await eventually(async () => handled.includes('stranded') || undefined, { intervalMs: 25 });
    await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
  });

  it('when another consumer died holding an entry, then XAUTOCLAIM hands it to a live one', async () => {
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    await redis.xadd(stream, '*', 'n', 'orphan');
    await redis.xreadgroup('GROUP', group, 'dead-replica', 'COUNT', 1, 'STREAMS', stream, '>');
    const handled: string[] = [];
    start(async (entry) => void handled.push(entry.fields.n as string), { consumer: 'live-replica', claimIdleMs: 100 });
    await eventually(async () => handled.includes('orphan') || undefined, { intervalMs: 25 });
    await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
  });

  describe('in batches', () => {
    /** Adds the entries before the group exists, so the first read returns them in one batch. */
    const addBatch = async (values: string[]) => {
      await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
      const ids: string[] = [];
      for (const n of values) ids.push((await redis.xadd(stream, '*', 'n', n))!);
      return ids;
    };
    const pendingIds = async () =>
      ((await redis.xpending(stream, group, '-', '+', 100)) as [string, string, number, number][]).map((row) => row[0]);
    const values = (entries: StreamEntry[]) => entries.map((e) => e.fields.n as string);

    it('when entries wait, then they are handed over in stream order in batches of at most `count`, each acknowledged once', async () => {
      const all = Array.from({ length: 12 }, (_, i) => String(i));
      await addBatch(all);
      const batches: string[][] = [];
      startBatches(
        async (entries) => {
          batches.push(values(entries));
          return new Map();
        },
        { count: 5 },
      );
      await eventually(async () => batches.flat().length === 12 || undefined, { intervalMs: 25 });
      await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
      expect(batches).toEqual([all.slice(0, 5), all.slice(5, 10), all.slice(10)]);
      await sleep(300); // nothing comes back: every entry was acknowledged, none twice
      expect(batches.flat()).toHaveLength(12);
    });

    it('when the handler reports one entry failed, then it alone stays pending, the others are acknowledged, and its deliveries are its own', async () => {
      const ids = await addBatch(['0', '1', 'bad', '3', '4', '5']);
      const handled: string[] = [];
      let badCalls = 0;
      startBatches(async (entries) => {
        const failures: BatchFailures = new Map();
        for (const entry of entries) {
          if (entry.fields.n === 'bad') {
            badCalls += 1;
            failures.set(entry.id, new Error('database said no'));
          } else handled.push(entry.fields.n as string);
        }
        return failures;
      });
      await eventually(async () => handled.length === 5 || undefined, { intervalMs: 25 });
      expect(await pendingIds()).toEqual([ids[2]]);
      expect(await redis.xlen(deadLetterStream(stream))).toBe(0);

      await eventually(async () => (await redis.xlen(deadLetterStream(stream))) === 1 || undefined, {
        timeoutMs: 15_000,
        intervalMs: 25,
      });
      const [, fields] = (await redis.xrange(deadLetterStream(stream), '-', '+'))[0] ?? ['', []];
      expect(fields).toEqual(expect.arrayContaining(['n', 'bad', 'dead_original_id', ids[2], 'dead_deliveries', '3']));
      expect(badCalls).toBe(3);
      expect(handled.sort()).toEqual(['0', '1', '3', '4', '5']);
      await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
    });

    it('when the handler rejects a whole batch, then its entries are handed over one by one and only the poisoned one fails', async () => {
      await addBatch(['0', '1', 'poison', '3']);
      const calls: string[][] = [];
      const applied: string[] = [];
      startBatches(
        async (entries) => {
          calls.push(values(entries));
          if (entries.some((e) => e.fields.n === 'poison')) throw new Error('numeric field overflow');
          applied.push(...values(entries));
          return new Map();
        },
        { maxDeliveries: 1 },
      );
      await eventually(async () => (await redis.xlen(deadLetterStream(stream))) === 1 || undefined, { intervalMs: 25 });
      await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
      expect(calls).toEqual([['0', '1', 'poison', '3'], ['0'], ['1'], ['poison'], ['3']]);
      expect(applied).toEqual(['0', '1', '3']);
      const [, fields] = (await redis.xrange(deadLetterStream(stream), '-', '+'))[0] ?? ['', []];
      expect(fields).toEqual(expect.arrayContaining(['n', 'poison']));
      expect(fields.join(' ')).toContain('numeric field overflow');
    });

    it('when stop() is called with a batch in flight, then it resolves only after the batch finished and was acknowledged', async () => {
      await addBatch(['0', '1', '2', '3', '4', '5']);
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const started: string[][] = [];
      let finished = 0;
      const consumer = startBatches(
        async (entries) => {
          started.push(values(entries));
          await gate;
          finished += 1;
          return new Map();
        },
        { count: 4 },
      );
      await eventually(async () => started.length === 1 || undefined, { intervalMs: 25 });
      let stopped = false;
      const stopping = consumer.stop().then(() => {
        stopped = true;
      });
      await sleep(200);
      expect(stopped).toBe(false);

      release();
      await stopping;
      expect(started).toEqual([['0', '1', '2', '3']]); // nothing new was read once stop() was called
      expect(finished).toBe(1);
      expect(await pendingIds()).toHaveLength(0); // the batch was acknowledged; the 2 never read wait in the stream
    });
  });

  describe('bounded', () => {
    /** An error as pg raises it when PostgreSQL terminated the connection. */
    const outage = () =>
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

    it('when the database is down for many retries, then the entry is never dead-lettered and applies once it is back', async () => {
      let down = true;
      let attempts = 0;
      const handled: string[] = [];
      start(
        async (entry) => {
          attempts += 1;
          if (down) throw outage();
          handled.push(entry.fields.n as string);
        },
        { maxDeliveries: 2, claimIdleMs: 50 },
      );
      await redis.xadd(stream, '*', 'n', 'cancel');
      await eventually(async () => attempts >= 4 || undefined, { timeoutMs: 15_000, intervalMs: 25 });
      expect(await redis.xlen(deadLetterStream(stream))).toBe(0);
      expect(await redis.hlen(failureCountKey(stream, group))).toBe(0);

      down = false;
      await eventually(async () => handled.includes('cancel') || undefined, { timeoutMs: 20_000, intervalMs: 25 });
      await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
      expect(await redis.xlen(deadLetterStream(stream))).toBe(0);
    });

    it('when a consumer restarts many times with an entry pending, then the re-reads do not count; only failed handlings do', async () => {
      await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
      await redis.xadd(stream, '*', 'n', 'survivor');
      // Read (delivered) over and over without the handler ever failing it, as reconnects and restarts do.
      for (let i = 0; i < 6; i += 1) await redis.xreadgroup('GROUP', group, 'c1', 'COUNT', 1, 'STREAMS', stream, '0');
      const handled: string[] = [];
      let fail = 1;
      start(
        async (entry) => {
          if (fail-- > 0) throw new Error('a bug, once');
          handled.push(entry.fields.n as string);
        },
        { maxDeliveries: 3 },
      );
      await eventually(async () => handled.includes('survivor') || undefined, { timeoutMs: 10_000, intervalMs: 25 });
      await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
      expect(await redis.xlen(deadLetterStream(stream))).toBe(0);
      expect(await redis.hlen(failureCountKey(stream, group))).toBe(0); // the count went with the acknowledgement
    });

    it('when a handler hangs, then its deadline frees the consumer, stop() returns, and another consumer applies the entry', async () => {
      const hung = startBatches(() => new Promise<BatchFailures>(() => undefined), { handlerTimeoutMs: 300 });
      await redis.xadd(stream, '*', 'n', 'stuck');
      await eventually(async () => (await pendingCount()) === 1 || undefined, { intervalMs: 25 });
      const stopping = Date.now();
      await hung.stop();
      consumers.splice(consumers.indexOf(hung), 1);
      expect(Date.now() - stopping).toBeLessThan(6000);

      const handled: string[] = [];
      start(async (entry) => void handled.push(entry.fields.n as string), { consumer: 'c2', departedAfterMs: 200 });
      await eventually(async () => handled.includes('stuck') || undefined, { timeoutMs: 10_000, intervalMs: 25 });
      expect(await redis.xlen(deadLetterStream(stream))).toBe(0);
    });

    it('when a consumer departed, then its pending entries are claimed at once and it is removed from the group once idle long enough', async () => {
      await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
      await redis.xadd(stream, '*', 'n', 'orphan');
      await redis.xreadgroup('GROUP', group, 'departed-pod-1', 'COUNT', 1, 'STREAMS', stream, '>');
      await redis.xgroup('CREATECONSUMER', stream, group, 'departed-pod-2');
      await sleep(300);
      const handled: string[] = [];
      // claimIdleMs is a minute: only the departed-consumer rule can take the entry over this fast.
      start(async (entry) => void handled.push(entry.fields.n as string), {
        consumer: 'live-pod',
        claimIdleMs: 60_000,
        departedAfterMs: 250,
        consumerExpiryMs: 250,
      });
      await eventually(async () => handled.includes('orphan') || undefined, { timeoutMs: 5000, intervalMs: 25 });
      const names = async () =>
        ((await redis.xinfo('CONSUMERS', stream, group)) as unknown[][]).map((c) => String(c[1]));
      await eventually(async () => ((await names()).join() === 'live-pod' ? true : undefined), {
        timeoutMs: 5000,
        what: 'departed consumers removed',
      });
    });

    it('when every group acknowledged its entries, then the stream is trimmed below the oldest one still needed', async () => {
      start(async () => undefined, { count: 200 });
      await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
      const pipeline = redis.pipeline();
      for (let i = 0; i < 1000; i += 1) pipeline.xadd(stream, '*', 'n', String(i));
      await pipeline.exec();
      await eventually(async () => ((await redis.xlen(stream)) < 200 ? true : undefined), {
        timeoutMs: 10_000,
        what: 'the consumed entries trimmed',
      });
    });

    it('when another group lags or holds entries pending, then nothing it still needs is trimmed', async () => {
      await redis.xgroup('CREATE', stream, 'laggard', '0', 'MKSTREAM');
      const pipeline = redis.pipeline();
      for (let i = 0; i < 600; i += 1) pipeline.xadd(stream, '*', 'n', String(i));
      await pipeline.exec();
      // The laggard read 300 entries and acknowledged none: the oldest of them is its floor.
      const read = (await redis.xreadgroup('GROUP', 'laggard', 'l1', 'COUNT', 300, 'STREAMS', stream, '>')) as [
        string,
        [string, string[]][],
      ][];
      const firstPending = read[0]![1][0]![0];
      start(async () => undefined, { count: 200 });
      await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
      await sleep(500);
      expect(await redis.xlen(stream)).toBe(600);
      expect(await consumedFloor(redis, stream)).toBe(firstPending);

      await redis.xack(stream, 'laggard', ...read[0]![1].map(([id]) => id));
      await eventually(async () => ((await redis.xlen(stream)) <= 400 ? true : undefined), {
        timeoutMs: 10_000,
        what: 'trimmed up to what the laggard still needs',
      });
      expect(await redis.xlen(stream)).toBeGreaterThanOrEqual(300); // the 300 the laggard has not read yet
    });
  });
});
