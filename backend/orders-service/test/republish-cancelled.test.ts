import { api, CSRF, eventually, placedOrder, publishReply, readStream, startTestApp, waitForEntry, waitForStatus, type TestApp, type TestUser } from './support/test-app';

const GRACE_SECONDS = 10;

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp({ PENDING_REPUBLISH_AFTER_SECONDS: String(GRACE_SECONDS) });
  // Each test runs the republisher itself, so no timed pass races it.
  await ctx.messaging.republisher.stop();
});
afterAll(async () => {
  await ctx.close();
});

const cancel = (user: TestUser, id: string) => api(ctx).post(`/api/orders/${id}/cancel`).set(CSRF).set('Cookie', user.cookie).set('X-Request-Id', `cancel-${id}`);

const cancelEntries = async (orderId: string) =>
  (await readStream(ctx.redis, ctx.config.ORDERS_STREAM)).filter((e) => e.fields.order_id === orderId && e.fields.type === 'order.cancelled');

/** Makes the order's last cancel publish `seconds` old, as if that much time had passed. */
async function lastPublishedAgo(orderId: string, seconds: number): Promise<void> {
  await ctx.pool.query(`UPDATE orders SET last_published_at = now() - make_interval(secs => $2) WHERE id = $1`, [orderId, seconds]);
}

async function republishCancels(): Promise<number> {
  const { cancelled } = await ctx.messaging.republisher.runOnce();
  await ctx.messaging.relay.publishBatch();
  return cancelled;
}

async function cancelledOrder(buyer: TestUser) {
  const order = await placedOrder(ctx, buyer);
  expect((await cancel(buyer, order.id)).status).toBe(200);
  await waitForEntry(ctx.redis, ctx.config.ORDERS_STREAM, (f) => f.order_id === order.id && f.type === 'order.cancelled');
  return order;
}

describe('republishing order.cancelled of CANCELLED orders', () => {
  it('when the cancel was published longer ago than the grace, then the very same order.cancelled is published again', async () => {
    const order = await cancelledOrder(ctx.user());
    expect(await republishCancels()).toBe(0);

    await lastPublishedAgo(order.id, GRACE_SECONDS + 1);
    expect(await republishCancels()).toBe(1);

    const copies = await cancelEntries(order.id);
    expect(copies).toHaveLength(2);
    expect(copies[1]!.fields).toEqual(copies[0]!.fields);
    expect(copies[0]!.fields.correlation_id).toBe(`cancel-${order.id}`);
  });

  it('when nothing ever answers, then it is published again at most 3 times, each wait twice the one before', async () => {
    const order = await cancelledOrder(ctx.user());
    for (const wait of [GRACE_SECONDS, 2 * GRACE_SECONDS, 4 * GRACE_SECONDS]) {
      await lastPublishedAgo(order.id, wait - 1);
      expect(await republishCancels()).toBe(0);
      await lastPublishedAgo(order.id, wait + 1);
      expect(await republishCancels()).toBe(1);
    }
    await lastPublishedAgo(order.id, 86_400);
    expect(await republishCancels()).toBe(0);

    const copies = await cancelEntries(order.id);
    expect(copies).toHaveLength(4);
    expect(new Set(copies.map((c) => JSON.stringify(c.fields))).size).toBe(1);
  });

  it('when a COMPLETED reply makes orders send the give-back, then it is the same event and the next republish waits the grace again', async () => {
    const buyer = ctx.user();
    const order = await cancelledOrder(buyer);
    await lastPublishedAgo(order.id, GRACE_SECONDS + 1);

    await publishReply(ctx, order, { status: 'COMPLETED' });
    const copies = await eventually(async () => {
      const entries = await cancelEntries(order.id);
      return entries.length === 2 ? entries : undefined;
    }, { what: 'the give-back order.cancelled' });
    expect(copies[1]!.fields).toEqual(copies[0]!.fields);
    expect(await republishCancels()).toBe(0);
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
      await lastPublishedAgo(order.id, GRACE_SECONDS + 1);
      expect(await ctx.messaging.republisher.runOnce()).toMatchObject({ cancelled: 0 });

      const { rows } = await ctx.pool.query(
        `SELECT published_at FROM outbox WHERE fields->>'order_id' = $1 AND fields->>'type' = 'order.cancelled'`,
        [order.id],
      );
      expect(rows).toEqual([{ published_at: null }]);

      await ctx.redis.del(ORDERS_STREAM);
      await waitForEntry(ctx.redis, ORDERS_STREAM, (f) => f.order_id === order.id && f.type === 'order.cancelled');
      await lastPublishedAgo(order.id, GRACE_SECONDS + 1);
      expect(await republishCancels()).toBe(1);
      expect(await cancelEntries(order.id)).toHaveLength(2);
    } finally {
      if ((await ctx.redis.type(ORDERS_STREAM)) === 'string') await ctx.redis.del(ORDERS_STREAM);
    }
  });
});
