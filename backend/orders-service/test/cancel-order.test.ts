import { relayPass } from '@market/kit/testing';
import {
  api,
  CSRF,
  getOrder,
  placedOrder,
  publishReply,
  readStream,
  startTestApp,
  waitForEntry,
  waitForStatus,
  type TestApp,
  type TestUser,
} from './support/test-app';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(async () => {
  await ctx.close();
});

const cancel = (user: TestUser, id: string) =>
  api(ctx).post(`/api/orders/${id}/cancel`).set(CSRF).set('Cookie', user.cookie).set('X-Request-Id', `cancel-${id}`);

describe('POST /api/orders/:id/cancel', () => {
  it('when the buyer cancels a PENDING order, then it is CANCELLED and order.cancelled leaves with its lines', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const res = await cancel(buyer, order.id);

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('CANCELLED');
    const entry = await waitForEntry(
      ctx.redis,
      ctx.config.ORDERS_STREAM,
      (f) => f.order_id === order.id && f.type === 'order.cancelled',
    );
    expect(entry.fields.correlation_id).toBe(`cancel-${order.id}`);
    expect(JSON.parse(entry.fields.products!)).toEqual([
      { product_id: order.items[0]!.productId, quantity: 1, price: '10.00' },
    ]);
  });

  it('when the buyer cancels a COMPLETED order, then it is CANCELLED with the catalog prices in the message', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    await publishReply(ctx, order, { status: 'COMPLETED' });
    await waitForStatus(ctx, buyer, order.id, 'COMPLETED');

    expect((await cancel(buyer, order.id)).body.status).toBe('CANCELLED');
    await waitForEntry(
      ctx.redis,
      ctx.config.ORDERS_STREAM,
      (f) => f.order_id === order.id && f.type === 'order.cancelled',
    );
  });

  it('when the order is already CANCELLED, then a second cancel answers 409 and sends nothing more', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    expect((await cancel(buyer, order.id)).status).toBe(200);
    const again = await cancel(buyer, order.id);

    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
    await waitForEntry(
      ctx.redis,
      ctx.config.ORDERS_STREAM,
      (f) => f.order_id === order.id && f.type === 'order.cancelled',
    );
    await relayPass(ctx.messaging.relay);
    const cancels = (await readStream(ctx.redis, ctx.config.ORDERS_STREAM)).filter(
      (e) => e.fields.order_id === order.id && e.fields.type === 'order.cancelled',
    );
    expect(cancels).toHaveLength(1);
  });

  it('when the order FAILED, then cancel answers 409 and the order stays FAILED', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    await publishReply(ctx, order, { status: 'FAILED', reason: 'OUT_OF_STOCK' });
    await waitForStatus(ctx, buyer, order.id, 'FAILED');

    expect((await cancel(buyer, order.id)).status).toBe(409);
    expect((await getOrder(ctx, buyer, order.id)).body).toMatchObject({ status: 'FAILED', reason: 'OUT_OF_STOCK' });
  });

  it('when another buyer cancels the order, then it answers 404 and the order stays PENDING', async () => {
    const owner = ctx.user();
    const order = await placedOrder(ctx, owner);
    const res = await cancel(ctx.user(), order.id);

    expect(res.status).toBe(404);
    expect((await getOrder(ctx, owner, order.id)).body.status).toBe('PENDING');
  });

  it('when the CSRF header is missing, then cancel answers 403', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const res = await api(ctx).post(`/api/orders/${order.id}/cancel`).set('Cookie', buyer.cookie);
    expect(res.status).toBe(403);
    expect((await getOrder(ctx, buyer, order.id)).body.status).toBe('PENDING');
  });

  it('when the buyer cancels the same order twice at once, then exactly one cancel succeeds', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const answers = await Promise.all([cancel(buyer, order.id), cancel(buyer, order.id), cancel(buyer, order.id)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
  });
});
