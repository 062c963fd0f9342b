import { relayPass } from '@market/kit/testing';
import {
  getOrder,
  placedOrder,
  publishReply,
  readStream,
  startTestApp,
  eventually,
  waitForStatus,
  type TestApp,
} from './support/test-app';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp({ PENDING_REPUBLISH_AFTER_SECONDS: '1' });
});
afterAll(async () => {
  await ctx.close();
});

const placedEntries = async (orderId: string) =>
  (await readStream(ctx.redis, ctx.config.ORDERS_STREAM)).filter(
    (e) => e.fields.order_id === orderId && e.fields.type === 'order.placed',
  );

describe('republishing orders still PENDING', () => {
  it('when nobody answers within the grace period, then the very same order.placed event is published again', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const copies = await eventually(
      async () => {
        const entries = await placedEntries(order.id);
        return entries.length >= 2 ? entries : undefined;
      },
      { what: 'a republished order.placed' },
    );

    const { products: _a, ...first } = copies[0]!.fields;
    const { products: _b, ...second } = copies[1]!.fields;
    expect(second).toEqual(first);
    expect(copies[1]!.fields.products).toBe(copies[0]!.fields.products);
    expect((await getOrder(ctx, buyer, order.id)).body.status).toBe('PENDING');
  });

  it('when the order settled, then it is not published again', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    await publishReply(ctx, order, { status: 'FAILED', reason: 'OUT_OF_STOCK' });
    await waitForStatus(ctx, buyer, order.id, 'FAILED');
    const before = (await placedEntries(order.id)).length;
    await new Promise((r) => setTimeout(r, 1600));
    await ctx.messaging.worker!.republisher.runOnce();
    await relayPass(ctx.messaging.relay);
    expect((await placedEntries(order.id)).length).toBe(before);
  });
});
