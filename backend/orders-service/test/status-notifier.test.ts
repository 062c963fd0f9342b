import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Order } from '@market/contracts';
import { captureLogs, eventually, testRedisUrl, uniqueSuffix } from '@market/kit/testing';
import {
  REMEMBERED_MAX,
  createStatusNotifier,
  subscriberName,
  type StatusNotifier,
} from '../src/messaging/status-notifier';

/** Resolves once `listener` hears a change `sender` announces (its subscriber is listening). */
async function hearsFrom(listener: StatusNotifier, sender: StatusNotifier, what: string): Promise<void> {
  const probe = randomUUID();
  let heard = false;
  const stop = listener.subscribe(probe, () => (heard = true));
  await eventually(
    async () => {
      sender.changed(probe);
      return heard || undefined;
    },
    { intervalMs: 50, what },
  );
  stop();
}

describe('status notifier across replicas', () => {
  const channel = `test:${uniqueSuffix()}:order-status`;
  const logs = captureLogs('orders-service');
  let a: StatusNotifier;
  let b: StatusNotifier;
  let redis: Redis;
  beforeAll(async () => {
    a = createStatusNotifier({ redisUrl: testRedisUrl(), channel, logger: logs.logger });
    b = createStatusNotifier({ redisUrl: testRedisUrl(), channel, logger: logs.logger });
    redis = new Redis(testRedisUrl());
    await hearsFrom(b, a, 'the replicas to hear each other');
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    redis.disconnect();
  });

  // One instant for every order built here, so two builds of the same order are equal.
  const at = new Date().toISOString();
  const order = (id: string): Order => ({
    id,
    status: 'COMPLETED',
    reason: null,
    shippingAddress: null,
    total: '10.00',
    items: [],
    parts: [],
    createdAt: at,
    updatedAt: at,
  });

  it('when a change carries the order, then a listener on another replica gets that order; without, it gets nothing to read from', async () => {
    const id = randomUUID();
    const heard: (Order | undefined)[] = [];
    const stop = b.subscribe(id, (o) => heard.push(o));
    a.changed(id, order(id));
    a.changed(id);
    await eventually(async () => (heard.length === 2 ? true : undefined), { what: 'both notifications' });
    stop();
    expect(heard).toEqual([order(id), undefined]);
  });

  it('when a notification cannot be read, or carries another order, then no listener is given a wrong order', async () => {
    const id = randomUUID();
    const heard: (Order | undefined)[] = [];
    const stop = b.subscribe(id, (o) => heard.push(o));
    await redis.publish(channel, '{not json');
    await redis.publish(channel, JSON.stringify({ id, order: order(randomUUID()) }));
    await eventually(async () => (heard.length === 1 ? true : undefined), { what: 'the mismatched notification' });
    stop();
    expect(heard).toEqual([undefined]); // told to re-read, never handed another order
    expect(logs.lines.some((l) => l.includes('unreadable status notification'))).toBe(true);
  });

  describe('orders a replica remembers', () => {
    const pending = (id: string): Order => ({ ...order(id), status: 'PENDING', total: null });

    it('when a change carrying the order is heard from any replica, then the remembered order is that one; a change without it forgets the order', async () => {
      const id = randomUUID();
      a.remember(pending(id), 'buyer-1');
      expect(a.recall(id)).toEqual({ order: pending(id), buyerId: 'buyer-1' });

      const completed = order(id);
      b.changed(id, completed);
      await eventually(async () => (a.recall(id)?.order.status === 'COMPLETED' ? true : undefined), {
        what: 'the change from the other replica',
      });
      expect(a.recall(id)).toEqual({ order: completed, buyerId: 'buyer-1' });

      b.changed(id);
      await eventually(async () => (a.recall(id) === undefined ? true : undefined), { what: 'the order forgotten' });
      expect(b.recall(id)).toBeUndefined(); // b never accepted it
    });

    it('when more orders are accepted than it keeps, then the oldest are forgotten first', () => {
      const first = randomUUID();
      a.remember(pending(first), 'buyer-1');
      const last = Array.from({ length: REMEMBERED_MAX }, () => randomUUID());
      for (const id of last) a.remember(pending(id), 'buyer-1');
      expect(a.recall(first)).toBeUndefined();
      expect(a.recall(last[0]!)?.order.id).toBe(last[0]);
      expect(a.recall(last.at(-1)!)?.order.id).toBe(last.at(-1));
    });

    it('when the subscriber connection is lost, then everything remembered is forgotten (changes may have been missed)', async () => {
      const id = randomUUID();
      a.remember(pending(id), 'buyer-1');
      // Only this test's subscribers (a and b): other tests share the Redis.
      const clients = (await redis.client('LIST')) as string;
      const ours = clients.split('\n').filter((line) => line.includes(` name=${subscriberName(channel)} `));
      expect(ours).toHaveLength(2);
      for (const line of ours) await redis.client('KILL', 'ID', /^id=(\d+)/.exec(line)![1]!);
      await eventually(async () => (a.recall(id) === undefined ? true : undefined), { what: 'the memory cleared' });
      // It subscribes again and keeps working.
      await hearsFrom(a, b, 'notifications after the reconnect');
    });
  });
});
