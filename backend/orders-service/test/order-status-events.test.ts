import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { decodeOrderEventsMessage, type OrderStatusChanged } from '@market/contracts';
import { relayPass } from '@market/kit/testing';
import {
  api,
  CSRF,
  eventually,
  line,
  placedOrder,
  publishReply,
  readStream,
  startTestApp,
  waitForStatus,
  type TestApp,
} from './support/test-app';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp({ ORDER_EVENTS_MAXLEN: '1000' });
  await ctx.messaging.worker!.republisher.stop();
});
afterAll(async () => {
  await ctx.close();
});

const eventsOf = async (orderId: string): Promise<OrderStatusChanged[]> =>
  (await readStream(ctx.redis, ctx.config.ORDER_EVENTS_STREAM))
    .map((e) => decodeOrderEventsMessage(e.fields))
    .filter((e) => e.order_id === orderId);

const waitForEvents = (orderId: string, count: number) =>
  eventually(
    async () => {
      const events = await eventsOf(orderId);
      return events.length >= count ? events : undefined;
    },
    { what: `${count} order events of ${orderId}` },
  );

describe('order.status_changed on ORDER_EVENTS_STREAM', () => {
  it('when an order is placed and completes, then PENDING and COMPLETED leave with the total and each seller its own lines', async () => {
    const buyer = ctx.user();
    const [sellerA, sellerB] = [randomUUID(), randomUUID()];
    const order = await placedOrder(ctx, buyer, [line({ quantity: 2 }), line({ unitPrice: '5.50' }), line()]);
    await publishReply(ctx, order, { status: 'COMPLETED', sellerIds: [sellerA, sellerB, sellerA] });
    await waitForStatus(ctx, buyer, order.id, 'COMPLETED');

    const [placed, completed] = await waitForEvents(order.id, 2);
    expect(placed).toMatchObject({ status: 'PENDING', buyer_id: buyer.id, reason: '', total: '', sellers: [] });
    expect(completed).toMatchObject({ status: 'COMPLETED', buyer_id: buyer.id, reason: '', total: '35.50' });
    const name = (i: number) => `Product ${order.items[i]!.productId.slice(0, 8)}`;
    expect(completed!.sellers).toEqual([
      {
        seller_id: sellerA,
        lines: [
          { product_id: order.items[0]!.productId, product_name: name(0), quantity: 2, unit_price: '10.00' },
          { product_id: order.items[2]!.productId, product_name: name(2), quantity: 1, unit_price: '10.00' },
        ],
      },
      {
        seller_id: sellerB,
        lines: [{ product_id: order.items[1]!.productId, product_name: name(1), quantity: 1, unit_price: '5.50' }],
      },
    ]);
    expect(completed!.event_id).not.toBe(placed!.event_id);
  });

  it('when an order fails, then FAILED leaves with its reason and no sellers', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    await publishReply(ctx, order, { status: 'FAILED', reason: 'OUT_OF_STOCK' });
    const events = await waitForEvents(order.id, 2);
    expect(events[1]).toMatchObject({ status: 'FAILED', reason: 'OUT_OF_STOCK', total: '', sellers: [] });
  });

  it('when the same reply is delivered twice, then the order has one COMPLETED event only', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const eventId = await publishReply(ctx, order, { status: 'COMPLETED' });
    await waitForStatus(ctx, buyer, order.id, 'COMPLETED');
    await publishReply(ctx, order, { status: 'COMPLETED' }, eventId);
    await publishReply(ctx, order, { status: 'FAILED', reason: 'OUT_OF_STOCK' });
    // A later marker reply shows the consumer got past both.
    const other = await placedOrder(ctx, buyer);
    await publishReply(ctx, other, { status: 'FAILED', reason: 'OUT_OF_STOCK' });
    await waitForEvents(other.id, 2);
    await relayPass(ctx.messaging.relay);

    expect((await eventsOf(order.id)).map((e) => e.status)).toEqual(['PENDING', 'COMPLETED']);
  });

  it('when the buyer cancels, then CANCELLED leaves with the request id as correlation', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const res = await api(ctx)
      .post(`/api/orders/${order.id}/cancel`)
      .set(CSRF)
      .set('Cookie', buyer.cookie)
      .set('X-Request-Id', `cancel-${order.id}`);
    expect(res.status).toBe(200);
    const events = await waitForEvents(order.id, 2);
    expect(events[1]).toMatchObject({ status: 'CANCELLED', correlation_id: `cancel-${order.id}` });
  });

  it('when the event stream is capped, then its own cap trims it and the orders stream keeps its entries', async () => {
    const probe = new Redis(ctx.config.REDIS_URL);
    try {
      const buyer = ctx.user();
      for (let i = 0; i < 12; i += 1) {
        const batch = await Promise.all(Array.from({ length: 100 }, () => placedOrder(ctx, buyer)));
        expect(batch).toHaveLength(100);
      }
      await relayPass(ctx.messaging.relay);
      const eventsLength = await probe.xlen(ctx.config.ORDER_EVENTS_STREAM);
      const ordersLength = await probe.xlen(ctx.config.ORDERS_STREAM);
      expect(eventsLength).toBeLessThan(ordersLength);
      expect(ordersLength).toBeGreaterThanOrEqual(1200);
    } finally {
      probe.disconnect();
    }
  }, 120_000);
});
