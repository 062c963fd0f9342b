import { Redis } from 'ioredis';
import { InvalidMessageError } from '@market/contracts';
import { deadLetterStream, startStreamConsumer, type StreamConsumer, type StreamEntry } from '@market/kit';
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
    await redis.del(stream, deadLetterStream(stream));
  });
  afterAll(() => redis.quit());

  function start(
    handle: (entry: StreamEntry) => Promise<void>,
    overrides: { consumer?: string; claimIdleMs?: number; maxDeliveries?: number; concurrency?: number } = {},
  ) {
    const consumer = startStreamConsumer({
      redisUrl: testRedisUrl(),
      stream,
      group,
      consumer: overrides.consumer ?? 'c1',
      logger: captureLogs().logger,
      handle,
      blockMs: 100,
      claimIdleMs: overrides.claimIdleMs ?? 60_000,
      claimIntervalMs: 100,
      maxDeliveries: overrides.maxDeliveries ?? 3,
      concurrency: overrides.concurrency,
    });
    consumers.push(consumer);
    return consumer;
  }

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
    await eventually(async () => (await redis.xlen(deadLetterStream(stream))) === 1 || undefined, { timeoutMs: 15_000, intervalMs: 25 });
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

  describe('with concurrency 4', () => {
    /** Adds the entries before the group exists, so the first read returns them in one batch. */
    const addBatch = async (values: string[]) => {
      await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
      const ids: string[] = [];
      for (const n of values) ids.push((await redis.xadd(stream, '*', 'n', n))!);
      return ids;
    };
    const pendingIds = async () => ((await redis.xpending(stream, group, '-', '+', 100)) as [string, string, number, number][]).map((row) => row[0]);

    it('when a batch arrives and the handler is slow, then its entries are handled in parallel, at most 4 at once, each acknowledged once', async () => {
      const values = Array.from({ length: 12 }, (_, i) => String(i));
      await addBatch(values);
      const seen: string[] = [];
      let running = 0;
      let most = 0;
      start(
        async (entry) => {
          running += 1;
          most = Math.max(most, running);
          await sleep(100);
          running -= 1;
          seen.push(entry.fields.n as string);
        },
        { concurrency: 4 },
      );
      await eventually(async () => seen.length === 12 || undefined, { intervalMs: 25 });
      await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
      expect(most).toBeGreaterThan(1);
      expect(most).toBeLessThanOrEqual(4);
      expect([...seen].sort((a, b) => Number(a) - Number(b))).toEqual(values);
      await sleep(300); // nothing comes back: every entry was acknowledged, none twice
      expect(seen).toHaveLength(12);
    });

    it('when one entry of the batch fails, then it alone stays pending, the others are acknowledged, and its deliveries are its own', async () => {
      const ids = await addBatch(['0', '1', 'bad', '3', '4', '5']);
      const handled: string[] = [];
      let badCalls = 0;
      start(
        async (entry) => {
          await sleep(50);
          if (entry.fields.n === 'bad') {
            badCalls += 1;
            throw new Error('database said no');
          }
          handled.push(entry.fields.n as string);
        },
        { concurrency: 4, maxDeliveries: 3 },
      );
      await eventually(async () => handled.length === 5 || undefined, { intervalMs: 25 });
      expect(await pendingIds()).toEqual([ids[2]]);
      expect(await redis.xlen(deadLetterStream(stream))).toBe(0);

      await eventually(async () => (await redis.xlen(deadLetterStream(stream))) === 1 || undefined, { timeoutMs: 15_000, intervalMs: 25 });
      const [, fields] = (await redis.xrange(deadLetterStream(stream), '-', '+'))[0] ?? ['', []];
      expect(fields).toEqual(expect.arrayContaining(['n', 'bad', 'dead_original_id', ids[2], 'dead_deliveries', '3']));
      expect(badCalls).toBe(3);
      expect(handled.sort()).toEqual(['0', '1', '3', '4', '5']);
      await eventually(async () => (await pendingCount()) === 0 || undefined, { intervalMs: 25 });
    });

    it('when stop() is called with handlers in flight, then it resolves only after they finished and were acknowledged', async () => {
      await addBatch(['0', '1', '2', '3', '4', '5']);
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const started: string[] = [];
      const finished: string[] = [];
      const consumer = start(
        async (entry) => {
          started.push(entry.fields.n as string);
          await gate;
          finished.push(entry.fields.n as string);
        },
        { concurrency: 4 },
      );
      await eventually(async () => started.length === 4 || undefined, { intervalMs: 25 });
      let stopped = false;
      const stopping = consumer.stop().then(() => {
        stopped = true;
      });
      await sleep(200);
      expect(stopped).toBe(false);

      release();
      await stopping;
      expect(finished.sort()).toEqual([...started].sort());
      expect(started).toHaveLength(4); // nothing new was started once stop() was called
      expect(await pendingIds()).toHaveLength(2); // the 4 handled were acknowledged, the 2 never started wait
    });
  });
});
