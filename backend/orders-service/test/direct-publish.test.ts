import { sleep } from '@market/kit/testing';
import { placedOrder, readStream, startTestApp, type TestApp } from './support/test-app';

describe('orders published by the API that accepted them', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
    // A second replica with a relay of its own on the same outbox, like an orders worker beside the API.
    await ctx.startReplica({ consume: true });
  });
  afterAll(() => ctx.close());

  it('when orders are accepted while other relays poll the same outbox, then each order.placed reaches the stream exactly once and every row is marked sent', async () => {
    const buyer = ctx.user();
    const orders = await Promise.all(Array.from({ length: 20 }, () => placedOrder(ctx, buyer)));
    // Longer than the relays' grace for young rows, so their timed passes have had every chance.
    await sleep(2500);

    const placed = (await readStream(ctx.redis, ctx.config.ORDERS_STREAM)).filter(
      (e) => e.fields.type === 'order.placed',
    );
    expect(placed.map((e) => e.fields.order_id).sort()).toEqual(orders.map((o) => o.id).sort());
    const { rows } = await ctx.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
    );
    expect(rows[0]!.n).toBe(0);
  });
});
