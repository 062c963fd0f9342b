import { relayPass } from '@market/kit/testing';
import {
  api,
  CSRF,
  eventually,
  placedOrder,
  publishReleased,
  publishReply,
  readStream,
  startTestApp,
  waitForEntry,
  waitForStatus,
  type TestApp,
  type TestUser,
} from './support/test-app';

const GRACE_SECONDS = 10;
const CAP_SECONDS = 40;

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp({
    PENDING_REPUBLISH_AFTER_SECONDS: String(GRACE_SECONDS),
    REPUBLISH_BACKOFF_MAX_SECONDS: String(CAP_SECONDS),
  });
  // Each test runs the republisher itself, so no timed pass races it.
  await ctx.messaging.worker!.republisher.stop();
});
afterAll(async () => {
  await ctx.close();
});

const cancel = (user: TestUser, id: string) =>
  api(ctx).post(`/api/orders/${id}/cancel`).set(CSRF).set('Cookie', user.cookie).set('X-Request-Id', `cancel-${id}`);

const cancelEntries = async (orderId: string) =>
  (await readStream(ctx.redis, ctx.config.ORDERS_STREAM)).filter(
    (e) => e.fields.order_id === orderId && e.fields.type === 'order.cancelled',
  );

/** Dates the cancel `cancelledAgo` seconds back and its last copy `publishedAgo` seconds back, as if that much time had passed. */
async function datedBack(orderId: string, times: { cancelledAgo: number; publishedAgo: number }): Promise<void> {
  await ctx.pool.query(
    `UPDATE orders SET cancelled_at = cancelled_at - make_interval(secs => $2), last_published_at = now() - make_interval(secs => $3) WHERE id = $1`,
    [orderId, times.cancelledAgo, times.publishedAgo],
  );
}

/** The fields of a copy but its time, which datedBack moved with the cancel: the rest is the very same event. */
const sameEvent = (fields: Record<string, string>) => ({ ...fields, occurred_at: undefined });

async function resendGiveBacks(): Promise<number> {
  const { giveBacks } = await ctx.messaging.worker!.republisher.runOnce();
  await relayPass(ctx.messaging.relay);
  return giveBacks;
}

async function cancelledOrder(buyer: TestUser) {
  const order = await placedOrder(ctx, buyer);
  expect((await cancel(buyer, order.id)).status).toBe(200);
  await waitForEntry(
    ctx.redis,
    ctx.config.ORDERS_STREAM,
    (f) => f.order_id === order.id && f.type === 'order.cancelled',
  );
  // Published at once after the commit, marked sent a moment later: until then a relay pass would send it again.
  await eventually(
    async () => {
      const { rows } = await ctx.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
      );
      return rows[0]!.n === 0 ? true : undefined;
    },
    { what: 'the cancel marked sent' },
  );
  const { rows } = await ctx.pool.query<{ cancelled_event_id: string }>(
    'SELECT cancelled_event_id FROM orders WHERE id = $1',
    [order.id],
  );
  return { ...order, cancelEventId: rows[0]!.cancelled_event_id };
}

describe('give-backs (order.cancelled) products has not answered', () => {
  it('when the cancel was published longer ago than the grace, then the very same order.cancelled is published again', async () => {
    const order = await cancelledOrder(ctx.user());
    expect(await resendGiveBacks()).toBe(0);

    await datedBack(order.id, { cancelledAgo: GRACE_SECONDS + 1, publishedAgo: GRACE_SECONDS + 1 });
    expect(await resendGiveBacks()).toBe(1);

    const copies = await cancelEntries(order.id);
    expect(copies).toHaveLength(2);
    expect(sameEvent(copies[1]!.fields)).toEqual(sameEvent(copies[0]!.fields));
    expect(copies[0]!.fields.correlation_id).toBe(`cancel-${order.id}`);
  });

  it('when nothing ever answers, then each wait is as long as the cancel had been out, capped, and the copies never stop', async () => {
    const order = await cancelledOrder(ctx.user());
    // Republished 11 s after the cancel: the next copy waits 11 s.
    await datedBack(order.id, { cancelledAgo: 21, publishedAgo: 10 });
    expect(await resendGiveBacks()).toBe(0);
    await datedBack(order.id, { cancelledAgo: 0, publishedAgo: 12 });
    expect(await resendGiveBacks()).toBe(1);
    // Out for a day: the wait is the cap, and there is always another copy.
    for (let round = 0; round < 5; round += 1) {
      await datedBack(order.id, { cancelledAgo: 86_400, publishedAgo: CAP_SECONDS - 1 });
      expect(await resendGiveBacks()).toBe(0);
      await datedBack(order.id, { cancelledAgo: 0, publishedAgo: CAP_SECONDS + 1 });
      expect(await resendGiveBacks()).toBe(1);
    }
    const copies = await cancelEntries(order.id);
    expect(copies).toHaveLength(7);
    expect(new Set(copies.map((c) => JSON.stringify(Object.entries(sameEvent(c.fields)).sort()))).size).toBe(1); // the same fields, whatever their order
  });

  it('when products answers the give-back, then it is not sent again; an answer about another cancel confirms nothing', async () => {
    const order = await cancelledOrder(ctx.user());
    await publishReleased(ctx, order.id, '00000000-0000-4000-8000-000000000000');
    await publishReleased(ctx, order.id, order.cancelEventId.toUpperCase());
    await eventually(
      async () => {
        const { rows } = await ctx.pool.query('SELECT give_back_confirmed_at FROM orders WHERE id = $1', [order.id]);
        return rows[0].give_back_confirmed_at ? true : undefined;
      },
      { what: 'the give-back confirmed' },
    );

    await datedBack(order.id, { cancelledAgo: 86_400, publishedAgo: 86_400 });
    expect(await resendGiveBacks()).toBe(0);
    expect(await cancelEntries(order.id)).toHaveLength(1);
    expect(ctx.logs.join('\n')).not.toMatch(/dead-lettered/);
  });

  it('when a COMPLETED reply makes orders send the give-back, then it is the same event and the next copy waits the grace again', async () => {
    const buyer = ctx.user();
    const order = await cancelledOrder(buyer);
    await datedBack(order.id, { cancelledAgo: GRACE_SECONDS + 1, publishedAgo: GRACE_SECONDS + 1 });

    await publishReply(ctx, order, { status: 'COMPLETED' });
    const copies = await eventually(
      async () => {
        const entries = await cancelEntries(order.id);
        return entries.length === 2 ? entries : undefined;
      },
      { what: 'the give-back order.cancelled' },
    );
    expect(sameEvent(copies[1]!.fields)).toEqual(sameEvent(copies[0]!.fields));
    expect(await resendGiveBacks()).toBe(0);
    await waitForStatus(ctx, buyer, order.id, 'CANCELLED');
  });

  it('when the last copy still waits in the outbox (Redis refuses it), then no other copy is queued until it left', async () => {
    const { ORDERS_STREAM } = ctx.config;
    // XADD onto a key of another type fails: the relay keeps the row and retries, as with Redis down.
    await ctx.redis.del(ORDERS_STREAM);
    await ctx.redis.set(ORDERS_STREAM, 'not a stream');
    try {
      const buyer = ctx.user();
      const order = await placedOrder(ctx, buyer);
      expect((await cancel(buyer, order.id)).status).toBe(200);
      await datedBack(order.id, { cancelledAgo: GRACE_SECONDS + 1, publishedAgo: GRACE_SECONDS + 1 });
      expect(await ctx.messaging.worker!.republisher.runOnce()).toMatchObject({ giveBacks: 0 });

      const { rows } = await ctx.pool.query(
        `SELECT published_at FROM outbox WHERE fields->>'order_id' = $1 AND fields->>'type' = 'order.cancelled'`,
        [order.id],
      );
      expect(rows).toEqual([{ published_at: null }]);

      await ctx.redis.del(ORDERS_STREAM);
      await waitForEntry(ctx.redis, ORDERS_STREAM, (f) => f.order_id === order.id && f.type === 'order.cancelled');
      await datedBack(order.id, { cancelledAgo: 0, publishedAgo: GRACE_SECONDS + 1 });
      expect(await resendGiveBacks()).toBe(1);
      expect(await cancelEntries(order.id)).toHaveLength(2);
    } finally {
      if ((await ctx.redis.type(ORDERS_STREAM)) === 'string') await ctx.redis.del(ORDERS_STREAM);
    }
  });
});
