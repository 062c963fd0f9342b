import { Redis } from 'ioredis';
import { InvalidMessageError } from '@market/contracts';
import { AppError, createDeadLetters, deadLetterStream, startStreamConsumer, type DeadLetters } from '@market/kit';
import { captureLogs, eventually, testRedisUrl, uniqueSuffix, writeDeadLetter } from '@market/kit/testing';

describe('dead letters', () => {
  let redis: Redis;
  let stream: string;
  let other: string;
  let letters: DeadLetters;

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  beforeEach(() => {
    stream = `dlq_test_${uniqueSuffix()}:orders_stream`;
    other = `dlq_test_${uniqueSuffix()}:inventory_stream`;
    letters = createDeadLetters(redis, [stream, other]);
  });
  afterEach(async () => {
    await redis.del(stream, deadLetterStream(stream), other, deadLetterStream(other));
  });
  afterAll(() => redis.quit());

  const deadLetter = (n: number, overrides: Record<string, string> = {}, into = stream) =>
    writeDeadLetter(redis, into, n, overrides);

  const original = async (key = stream) => (await redis.xrange(key, '-', '+')).map(([, list]) => list);

  it('when a consumer dead-letters an entry, then it is listed with its reason, group, deliveries and original fields', async () => {
    const consumer = startStreamConsumer({
      redisUrl: testRedisUrl(),
      stream,
      group: 'products',
      consumer: 'c1',
      logger: captureLogs().logger,
      handleBatch: async (entries) =>
        new Map(entries.map((e) => [e.id, new InvalidMessageError('bad order.placed', ['products: required'])])),
      blockMs: 100,
      claimIdleMs: 60_000,
      maxDeliveries: 3,
    });
    try {
      await eventually(async () => (await redis.exists(stream)) === 1 || undefined);
      const id = await redis.xadd(stream, '*', 'type', 'order.placed', 'event_id', 'e-1', 'order_id', 'o-1');
      await eventually(async () => ((await letters.count(stream)) === 1 ? true : undefined));

      const page = await letters.list(stream);

      expect(page.total).toBe(1);
      expect(page.next).toBeNull();
      expect(page.entries[0]).toMatchObject({
        stream,
        originalId: id,
        group: 'products',
        reason: 'bad order.placed: products: required',
        fields: { type: 'order.placed', event_id: 'e-1', order_id: 'o-1' },
      });
      expect(Number.isInteger(page.entries[0]!.deliveries)).toBe(true);
      expect(Number.isNaN(Date.parse(page.entries[0]!.deadAt))).toBe(false);
    } finally {
      await consumer.stop();
    }
  });

  it('when listing page by page, then newest first (or oldest first) every entry comes once with the total', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 7; n++) ids.push(await deadLetter(n));

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await letters.list(stream, { limit: 3, cursor });
      expect(page.total).toBe(7);
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.next ?? undefined;
    } while (cursor);
    const oldestFirst = await letters.list(stream, { order: 'oldest', limit: 4 });
    const rest = await letters.list(stream, { order: 'oldest', limit: 4, cursor: oldestFirst.next! });

    expect(seen).toEqual([...ids].reverse());
    expect([...oldestFirst.entries, ...rest.entries].map((e) => e.id)).toEqual(ids);
    expect(rest.next).toBeNull();
  });

  it('when a dead letter is replayed, then its original fields go back on the stream without dead_* and it leaves the dead letters', async () => {
    const id = await deadLetter(1);

    const newId = await letters.replay(stream, id);

    expect(newId).toMatch(/^\d+-\d+$/);
    expect(await original()).toEqual([['type', 'order.cancelled', 'event_id', 'event-1', 'order_id', 'order-1']]);
    expect(await letters.show(stream, id)).toBeNull();
    expect(await letters.count(stream)).toBe(0);
  });

  it('when two operators replay the same dead letter at once, then it goes back exactly once', async () => {
    const ids = [await deadLetter(1), await deadLetter(2)];
    const operators = Array.from({ length: 8 }, () => new Redis(testRedisUrl()));
    try {
      const results = await Promise.all(
        operators.map((client, i) => createDeadLetters(client, [stream, other]).replay(stream, ids[i % 2]!)),
      );

      expect(results.filter((r) => r !== null)).toHaveLength(2);
      expect((await original()).map((fields) => fields[3])).toEqual(expect.arrayContaining(['event-1', 'event-2']));
      expect(await original()).toHaveLength(2);
      expect(await letters.replay(stream, ids[0]!)).toBeNull();
      expect(await original()).toHaveLength(2);
    } finally {
      operators.forEach((client) => client.disconnect());
    }
  });

  it('when replaying all with a filter, then only the matching dead letters go back', async () => {
    await deadLetter(1, { type: 'order.placed' });
    const kept = await deadLetter(2, { type: 'order.cancelled', dead_reason: 'products: Required' });
    await deadLetter(3, { type: 'order.cancelled' });
    await deadLetter(4, { type: 'order.cancelled', dead_reason: 'failed 5 times: DATABASE unavailable' });

    const replayed = await letters.replayAll(stream, { type: 'order.cancelled', reasonContains: 'database' });

    expect(replayed).toBe(2);
    expect((await original()).map((fields) => fields[3])).toEqual(['event-3', 'event-4']);
    expect((await letters.list(stream, { order: 'oldest' })).entries.map((e) => e.id)).toEqual([
      expect.any(String),
      kept,
    ]);
  });

  it('when replaying all of a stream with more dead letters than one read, then every one goes back in order', async () => {
    for (let n = 0; n < 130; n++) await deadLetter(n);

    expect(await letters.replayAll(stream)).toBe(130);
    expect((await original()).map((fields) => fields[3])).toEqual(Array.from({ length: 130 }, (_, n) => `event-${n}`));
    expect(await letters.count(stream)).toBe(0);
  });

  it('when a dead letter is dropped, then it is gone and nothing goes back on the stream; a second drop finds nothing', async () => {
    const id = await deadLetter(1);
    const second = await deadLetter(2);

    expect(await letters.drop(stream, id)).toBe(true);
    expect(await letters.drop(stream, id)).toBe(false);
    expect((await letters.list(stream)).entries.map((e) => e.id)).toEqual([second]);
    expect(await original()).toEqual([]);
  });

  it('when dropping all up to the newest an operator saw, then a dead letter that arrived later stays', async () => {
    await deadLetter(1);
    const seen = await deadLetter(2);
    const later = await deadLetter(3);

    expect(await letters.dropAll(stream, seen)).toBe(2);
    expect((await letters.list(stream)).entries.map((e) => e.id)).toEqual([later]);
    expect(await letters.dropAll(stream)).toBe(1);
    expect(await letters.count(stream)).toBe(0);
    expect(await letters.dropAll(stream)).toBe(0);
  });

  it("when the other saga stream is named, then its own dead letters are used, apart from the first stream's", async () => {
    const id = await deadLetter(1, { type: 'inventory.result' }, other);

    expect(await letters.count(stream)).toBe(0);
    expect(await letters.replay(other, id)).not.toBeNull();
    expect(await original(other)).toHaveLength(1);
  });

  it('when a stream is not one of the saga streams, then every operation is refused without touching Redis', async () => {
    const unknown = `dlq_test_${uniqueSuffix()}:elsewhere`;
    await redis.xadd(deadLetterStream(unknown), '*', 'type', 'x', 'dead_reason', 'r');
    try {
      const attempts = [
        letters.list(unknown),
        letters.count(unknown),
        letters.show(unknown, '1-0'),
        letters.replay(unknown, '1-0'),
        letters.replayAll(unknown),
        letters.drop(unknown, '1-0'),
        letters.dropAll(unknown),
      ];
      for (const attempt of attempts)
        await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
      expect(await redis.xlen(deadLetterStream(unknown))).toBe(1);
    } finally {
      await redis.del(deadLetterStream(unknown), unknown);
    }
  });

  it('when an id, a cursor or a page size is malformed, then it is refused naming the field', async () => {
    const refused = async (attempt: Promise<unknown>, field: string) => {
      const error = await attempt.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).details?.[0]?.field).toBe(field);
    };
    await refused(letters.show(stream, '1-0; DEL x'), 'id');
    await refused(letters.replay(stream, '+'), 'id');
    await refused(letters.drop(stream, '-'), 'id');
    await refused(letters.dropAll(stream, 'latest'), 'upTo');
    await refused(letters.list(stream, { cursor: '1' }), 'cursor');
    await refused(letters.list(stream, { limit: 0 }), 'limit');
    await refused(letters.list(stream, { limit: 101 }), 'limit');
  });
});
