import { Redis } from 'ioredis';
import { InvalidMessageError } from '@market/contracts';
import { deadLetterStream, startStreamConsumer, type StreamConsumer, type StreamEntry } from '@market/kit';
import { captureLogs, testRedisUrl, uniqueSuffix } from '@market/kit/testing';

const waitFor = async (check: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

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

  function start(handle: (entry: StreamEntry) => Promise<void>, overrides: { consumer?: string; claimIdleMs?: number; maxDeliveries?: number } = {}) {
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
    await waitFor(async () => (await pendingCount()) === 0);
    for (let i = 0; i < 20; i += 1) await redis.xadd(stream, '*', 'n', String(i));
    await waitFor(async () => seen.length === 20);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    await waitFor(async () => (await pendingCount()) === 0);
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
    await waitFor(async () => (await redis.xlen(deadLetterStream(stream))) === 1, 15_000);
    await waitFor(async () => handled.includes('good'));
    const [, fields] = (await redis.xrange(deadLetterStream(stream), '-', '+'))[0] ?? ['', []];
    expect(fields).toEqual(expect.arrayContaining(['n', 'bad']));
    expect(fields.join(' ')).toContain('database said no');
    await waitFor(async () => (await pendingCount()) === 0);
  });

  it('when a message is invalid, then it is dead-lettered at once without retries', async () => {
    let calls = 0;
    start(async () => {
      calls += 1;
      throw new InvalidMessageError('order.placed is not valid', ['order_id: is required']);
    });
    await redis.xadd(stream, '*', 'type', 'order.placed');
    await waitFor(async () => (await redis.xlen(deadLetterStream(stream))) === 1);
    expect(calls).toBe(1);
    const [, fields] = (await redis.xrange(deadLetterStream(stream), '-', '+'))[0] ?? ['', []];
    expect(fields.join(' ')).toContain('order_id: is required');
    await waitFor(async () => (await pendingCount()) === 0);
  });

  it('when a consumer stopped with entries pending, then on restart it re-reads them first', async () => {
    let crash = true;
    const handled: string[] = [];
    const first = start(async (entry) => {
      if (crash) throw new Error('worker died mid-message');
      handled.push(entry.fields.n as string);
    });
    await redis.xadd(stream, '*', 'n', 'stranded');
    await waitFor(async () => (await pendingCount()) === 1);
    await first.stop();
    consumers.splice(consumers.indexOf(first), 1);

    crash = false;
    start(async (entry) => void handled.push(entry.fields.n as string));
    await waitFor(async () => handled.includes('stranded'));
    await waitFor(async () => (await pendingCount()) === 0);
  });

  it('when another consumer died holding an entry, then XAUTOCLAIM hands it to a live one', async () => {
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    await redis.xadd(stream, '*', 'n', 'orphan');
    await redis.xreadgroup('GROUP', group, 'dead-replica', 'COUNT', 1, 'STREAMS', stream, '>');
    const handled: string[] = [];
    start(async (entry) => void handled.push(entry.fields.n as string), { consumer: 'live-replica', claimIdleMs: 100 });
    await waitFor(async () => handled.includes('orphan'));
    await waitFor(async () => (await pendingCount()) === 0);
  });
});
