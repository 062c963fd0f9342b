import { randomUUID } from 'node:crypto';
import {
  api,
  line,
  placeOrder,
  placedOrder,
  publishReply,
  startTestApp,
  waitForStatus,
  eventually,
  type TestApp,
} from './support/test-app';

/** Nothing answers the orders here, so every accepted order stays PENDING until the test replies. */
describe('POST /api/orders when the pipeline is behind (ORDERS_MAX_BACKLOG)', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp({ ORDERS_MAX_BACKLOG: '10' });
  });
  afterAll(() => ctx.close());

  const countOrders = async () =>
    (await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]!.n;

  it('when more orders wait than the bound, then a new order gets 503 OVERLOADED with Retry-After, a replay is still answered, and orders are taken again once the backlog shrinks', async () => {
    const buyer = ctx.user();
    const firstKey = randomUUID();
    const firstLines = [line()];
    const first = await placeOrder(ctx, buyer, firstLines, firstKey);
    expect(first.status).toBe(202);
    const waiting = [first.body, ...(await Promise.all(Array.from({ length: 10 }, () => placedOrder(ctx, buyer))))];
    await ctx.messaging.context.backlog.sample();

    const refused = await placeOrder(ctx, buyer, [line()]).set('X-Request-Id', 'busy-1');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.body.error.code).toBe('OVERLOADED');
    expect(refused.body.error.message).toMatch(/busy.*try again in 2 s/);
    expect(await countOrders()).toBe(11);
    const replay = await placeOrder(ctx, buyer, firstLines, firstKey);
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(first.body.id);
    const metrics = await api(ctx).get('/metrics');
    expect(metrics.text).toMatch(/orders_backlog\{[^}]*\} 11/);

    for (const order of waiting.slice(0, 3))
      await publishReply(ctx, order, { status: 'FAILED', reason: 'OUT_OF_STOCK' });
    for (const order of waiting.slice(0, 3)) await waitForStatus(ctx, buyer, order.id, 'FAILED');
    await eventually(async () => ((await ctx.messaging.context.backlog.sample()) <= 10 ? true : undefined), {
      what: 'the backlog under its bound',
    });
    expect((await placeOrder(ctx, buyer, [line()])).status).toBe(202);
  });
});
