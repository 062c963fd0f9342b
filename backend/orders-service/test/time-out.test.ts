import { relayPass } from '@market/kit/testing';
import { openEvents } from './support/sse';
import {
  eventually,
  getOrder,
  placedOrder,
  publishReleased,
  publishReply,
  readStream,
  startTestApp,
  type TestApp,
} from './support/test-app';

const DEADLINE_SECONDS = 60;

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp({ ORDER_DEADLINE_SECONDS: String(DEADLINE_SECONDS), PENDING_REPUBLISH_AFTER_SECONDS: '30' });
  // Each test runs the republisher itself, so no timed pass races it.
  await ctx.messaging.worker!.republisher.stop();
});
afterAll(async () => {
  await ctx.close();
});

/** Dates the order's placing `seconds` back, as if it had been PENDING that long. */
async function placedAgo(orderId: string, seconds: number) {
  await ctx.pool.query(`UPDATE orders SET created_at = now() - make_interval(secs => $2) WHERE id = $1`, [
    orderId,
    seconds,
  ]);
  await ctx.pool.query(
    `UPDATE pending_orders SET created_at = now() - make_interval(secs => $2), last_published_at = now() WHERE order_id = $1`,
    [orderId, seconds],
  );
}

const giveBackOf = async (orderId: string) =>
  (await readStream(ctx.redis, ctx.config.ORDERS_STREAM)).filter(
    (e) => e.fields.order_id === orderId && e.fields.type === 'order.cancelled',
  );

async function runPass() {
  const counts = await ctx.messaging.worker!.republisher.runOnce();
  await relayPass(ctx.messaging.relay);
  return counts;
}

describe('orders PENDING past ORDER_DEADLINE_SECONDS', () => {
  it('when an order has no answer past the deadline, then it FAILS with TIMED_OUT, its give-back is sent, and the buyer sees it', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const events = await openEvents(ctx.app, buyer, order.id);
    await placedAgo(order.id, DEADLINE_SECONDS - 5);
    expect((await runPass()).timedOut).toBe(0);

    await placedAgo(order.id, DEADLINE_SECONDS + 1);
    expect((await runPass()).timedOut).toBe(1);

    const res = await getOrder(ctx, buyer, order.id);
    expect(res.body).toMatchObject({ status: 'FAILED', reason: 'TIMED_OUT', total: null });
    const [giveBack] = await giveBackOf(order.id);
    expect(giveBack?.fields).toMatchObject({ type: 'order.cancelled', order_id: order.id, user_id: buyer.id });
    expect(JSON.parse(giveBack!.fields.products!)).toEqual(
      order.items.map((i) => ({ product_id: i.productId, quantity: i.quantity, price: i.unitPrice })),
    );

    // The live view (SSE) ends with the final state.
    await events.ended;
    expect(events.events.map((e) => JSON.parse(e.data))).toContainEqual(
      expect.objectContaining({ status: 'FAILED', reason: 'TIMED_OUT' }),
    );
  });

  it('when the stock answer arrives after the time-out, then the order stays FAILED and the give-back is sent until products answers it', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    await placedAgo(order.id, DEADLINE_SECONDS + 1);
    await runPass();
    await publishReply(ctx, order, { status: 'COMPLETED' });
    await new Promise((r) => setTimeout(r, 500));
    expect((await getOrder(ctx, buyer, order.id)).body).toMatchObject({ status: 'FAILED', reason: 'TIMED_OUT' });

    await ctx.pool.query(`UPDATE orders SET last_published_at = now() - interval '31 seconds' WHERE id = $1`, [
      order.id,
    ]);
    expect((await runPass()).giveBacks).toBe(1);
    // The relay publishes the copy the pass queued right after its commit.
    const copies = await eventually(
      async () => {
        const found = await giveBackOf(order.id);
        return found.length >= 2 ? found : undefined;
      },
      { what: 'the second copy of the give-back on the stream' },
    );
    expect(copies).toHaveLength(2);
    expect(copies[1]!.fields).toEqual(copies[0]!.fields);

    await publishReleased(ctx, order.id, copies[0]!.fields.event_id!);
    await eventually(
      async () => {
        const { rows } = await ctx.pool.query('SELECT give_back_confirmed_at FROM orders WHERE id = $1', [order.id]);
        return rows[0].give_back_confirmed_at ? true : undefined;
      },
      { what: 'the give-back confirmed' },
    );
    await ctx.pool.query(`UPDATE orders SET last_published_at = now() - interval '1 day' WHERE id = $1`, [order.id]);
    expect((await runPass()).giveBacks).toBe(0);
  });

  it('when orders settle before the deadline, then none of them times out', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    await publishReply(ctx, order, { status: 'FAILED', reason: 'OUT_OF_STOCK' });
    await eventually(async () => ((await getOrder(ctx, buyer, order.id)).body.status === 'FAILED' ? true : undefined), {
      what: 'the order FAILED',
    });
    await placedAgo(order.id, DEADLINE_SECONDS * 10);
    expect((await runPass()).timedOut).toBe(0);
    expect((await getOrder(ctx, buyer, order.id)).body.reason).toBe('OUT_OF_STOCK');
  });
});
