import { randomUUID } from 'node:crypto';
import {
  getOrder,
  line,
  placedOrder,
  publishReply,
  readStream,
  startTestApp,
  waitForEntry,
  waitForStatus,
  eventually,
  type TestApp,
} from './support/test-app';
import { api, CSRF } from './support/test-app';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(async () => {
  await ctx.close();
});

/** Waits until the consumer group "orders" has nothing pending and has read every entry. */
async function drained(): Promise<void> {
  await eventually(
    async () => {
      const groups = (await ctx.redis.xinfo('GROUPS', ctx.config.INVENTORY_STREAM)) as unknown[][];
      const group = groups
        .map((g) => Object.fromEntries(Array.from({ length: g.length / 2 }, (_, i) => [g[2 * i], g[2 * i + 1]])))
        .find((g) => g.name === 'orders');
      return group && group.pending === 0 && group.lag === 0 ? true : undefined;
    },
    { what: 'the orders group to drain' },
  );
}

describe('inventory.result consumer (group "orders")', () => {
  it("when a COMPLETED reply arrives, then the order is COMPLETED with the catalog's names, sellers, prices and total", async () => {
    const buyer = ctx.user();
    const sellerId = randomUUID();
    const order = await placedOrder(ctx, buyer, [
      line({ quantity: 3, unitPrice: '19.99' }),
      line({ quantity: 1, unitPrice: '0.05' }),
    ]);
    await publishReply(ctx, order, { status: 'COMPLETED', sellerId });

    const completed = await waitForStatus(ctx, buyer, order.id, 'COMPLETED');
    expect(completed.total).toBe('60.02');
    expect(completed.reason).toBeNull();
    expect(completed.items.map((i) => [i.sellerId, i.productName])).toEqual(
      order.items.map((i) => [sellerId, `Product ${i.productId.slice(0, 8)}`]),
    );
  });

  it('when a FAILED reply arrives, then the order is FAILED with the reason and no total', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    await publishReply(ctx, order, { status: 'FAILED', reason: 'PRICE_CHANGED' });
    const failed = await waitForStatus(ctx, buyer, order.id, 'FAILED');
    expect(failed).toMatchObject({ reason: 'PRICE_CHANGED', total: null });
  });

  it('when the same reply is delivered twice, then the second is skipped and the order is unchanged', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const eventId = await publishReply(ctx, order, { status: 'COMPLETED' });
    const completed = await waitForStatus(ctx, buyer, order.id, 'COMPLETED');
    await publishReply(ctx, order, { status: 'COMPLETED', unitPrice: '99.00' }, eventId);
    await drained();
    expect((await getOrder(ctx, buyer, order.id)).body).toEqual(completed);
  });

  it('when a late FAILED reply follows a COMPLETED one, then the guard keeps the order COMPLETED', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    await publishReply(ctx, order, { status: 'COMPLETED' });
    await waitForStatus(ctx, buyer, order.id, 'COMPLETED');
    await publishReply(ctx, order, { status: 'FAILED', reason: 'OUT_OF_STOCK' });
    await drained();
    expect((await getOrder(ctx, buyer, order.id)).body).toMatchObject({ status: 'COMPLETED', reason: null });
  });

  it('when a COMPLETED reply arrives for an order the buyer already cancelled, then a give-back order.cancelled is sent', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const cancelled = await api(ctx).post(`/api/orders/${order.id}/cancel`).set(CSRF).set('Cookie', buyer.cookie);
    expect(cancelled.body.status).toBe('CANCELLED');
    await waitForEntry(
      ctx.redis,
      ctx.config.ORDERS_STREAM,
      (f) => f.order_id === order.id && f.type === 'order.cancelled',
    );

    await publishReply(ctx, order, { status: 'COMPLETED' });
    await eventually(
      async () => {
        const cancels = (await readStream(ctx.redis, ctx.config.ORDERS_STREAM)).filter(
          (e) => e.fields.order_id === order.id && e.fields.type === 'order.cancelled',
        );
        return cancels.length === 2 ? cancels : undefined;
      },
      { what: 'the give-back order.cancelled' },
    );
    expect((await getOrder(ctx, buyer, order.id)).body.status).toBe('CANCELLED');
  });

  it('when a reply is not valid, then it goes to the dead-letter stream and the consumer goes on', async () => {
    const buyer = ctx.user();
    await ctx.redis.xadd(
      ctx.config.INVENTORY_STREAM,
      '*',
      'type',
      'inventory.result',
      'order_id',
      'nope',
      'status',
      'MAYBE',
    );
    const dead = await waitForEntry(
      ctx.redis,
      `${ctx.config.INVENTORY_STREAM}:dead`,
      (f) => f.order_id === 'nope',
      'the dead letter',
    );
    expect(dead.fields.dead_group).toBe('orders');
    expect(dead.fields.dead_reason).toMatch(/invalid/);

    const order = await placedOrder(ctx, buyer);
    await publishReply(ctx, order, { status: 'FAILED', reason: 'PRODUCT_UNAVAILABLE' });
    await waitForStatus(ctx, buyer, order.id, 'FAILED');
  });

  it('when a reply names an unknown order, then it is acknowledged and logged, not retried', async () => {
    const ghost = { id: randomUUID(), items: [{ productId: randomUUID(), quantity: 1, unitPrice: '1.00' }] };
    await publishReply(ctx, ghost as never, { status: 'COMPLETED' });
    await drained();
    expect(ctx.logs.some((l) => l.includes('inventory result for an unknown order'))).toBe(true);
  });

  it("when a COMPLETED reply does not price every line as ordered, then it is dead-lettered and no total is made from the buyer's prices", async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer, [
      line({ quantity: 2, unitPrice: '5.00' }),
      line({ quantity: 1, unitPrice: '7.00' }),
    ]);
    const firstLineOnly = { ...order, items: order.items.slice(0, 1) };
    const otherQuantity = {
      ...order,
      items: order.items.map((item, i) => (i === 0 ? { ...item, quantity: 3 } : item)),
    };
    await publishReply(ctx, firstLineOnly, { status: 'COMPLETED' });
    await publishReply(ctx, otherQuantity, { status: 'COMPLETED' });

    const dead = `${ctx.config.INVENTORY_STREAM}:dead`;
    await eventually(
      async () =>
        (await readStream(ctx.redis, dead)).filter((e) => e.fields.order_id === order.id).length === 2
          ? true
          : undefined,
      {
        what: 'both replies dead-lettered',
      },
    );
    const res = await getOrder(ctx, buyer, order.id);
    expect(res.body).toMatchObject({ status: 'PENDING', total: null });
  });
});
