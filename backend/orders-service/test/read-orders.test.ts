import { randomUUID } from 'node:crypto';
import {
  api,
  getOrder,
  line,
  placedOrder,
  publishReply,
  startTestApp,
  waitForStatus,
  type TestApp,
} from './support/test-app';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(async () => {
  await ctx.close();
});

describe('GET /api/orders and /api/orders/:id', () => {
  it('when a buyer lists orders, then only their own come back, newest first, paginated', async () => {
    const buyer = ctx.user();
    const placed = [];
    for (let i = 0; i < 3; i++) placed.push(await placedOrder(ctx, buyer));
    await placedOrder(ctx, ctx.user());

    const first = await api(ctx).get('/api/orders?page=1&pageSize=2').set('Cookie', buyer.cookie);
    const second = await api(ctx).get('/api/orders?page=2&pageSize=2').set('Cookie', buyer.cookie);

    expect(first.status).toBe(200);
    expect(first.body.pagination).toEqual({ page: 1, pageSize: 2, total: 3, totalPages: 2 });
    expect([...first.body.data, ...second.body.data].map((o: { id: string }) => o.id)).toEqual(
      placed.reverse().map((o) => o.id),
    );
  });

  it('when the page size is out of range, then it answers 400', async () => {
    const res = await api(ctx).get('/api/orders?pageSize=1000').set('Cookie', ctx.user().cookie);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toMatch(/pageSize/);
  });

  it('when the owner reads an order, then it comes back', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const res = await getOrder(ctx, buyer, order.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(order);
  });

  it('when another buyer reads the order, then it answers 404 as if it did not exist', async () => {
    const order = await placedOrder(ctx, ctx.user());
    const res = await getOrder(ctx, ctx.user(), order.id);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect((await getOrder(ctx, ctx.user(), randomUUID())).status).toBe(404);
  });

  it("when an admin reads someone's order, then it comes back", async () => {
    const order = await placedOrder(ctx, ctx.user());
    expect((await getOrder(ctx, ctx.user('admin'), order.id)).body.id).toBe(order.id);
  });

  it('when the id is not a uuid, then it answers 400', async () => {
    expect((await getOrder(ctx, ctx.user(), 'not-an-id')).status).toBe(400);
  });

  it('when nobody is signed in, then it answers 401', async () => {
    expect((await api(ctx).get('/api/orders')).status).toBe(401);
  });
});

describe('GET /api/orders/all', () => {
  it('when a buyer or a seller asks, then it answers 403', async () => {
    for (const role of ['buyer', 'seller'] as const) {
      const res = await api(ctx).get('/api/orders/all').set('Cookie', ctx.user(role).cookie);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
  });

  it("when an admin asks, then every buyer's orders come back", async () => {
    const a = await placedOrder(ctx, ctx.user());
    const b = await placedOrder(ctx, ctx.user());
    const res = await api(ctx).get('/api/orders/all?pageSize=100').set('Cookie', ctx.user('admin').cookie);
    expect(res.status).toBe(200);
    const ids = res.body.data.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
  });
});

describe('GET /api/orders/sales', () => {
  it('when a seller asks, then the lines of their products in completed orders come back, and nothing else', async () => {
    const seller = ctx.user('seller');
    const buyer = ctx.user();
    const mine = line({ quantity: 2, unitPrice: '7.25' });
    const completed = await placedOrder(ctx, buyer, [mine]);
    await publishReply(ctx, completed, { status: 'COMPLETED', sellerId: seller.id });
    await waitForStatus(ctx, buyer, completed.id, 'COMPLETED');
    const failed = await placedOrder(ctx, buyer, [line()]);
    await publishReply(ctx, failed, { status: 'FAILED', reason: 'OUT_OF_STOCK' });
    await waitForStatus(ctx, buyer, failed.id, 'FAILED');
    const someoneElses = await placedOrder(ctx, buyer, [line()]);
    await publishReply(ctx, someoneElses, { status: 'COMPLETED' });
    await waitForStatus(ctx, buyer, someoneElses.id, 'COMPLETED');

    const res = await api(ctx).get('/api/orders/sales').set('Cookie', seller.cookie);

    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        orderId: completed.id,
        productId: mine.productId,
        quantity: 2,
        unitPrice: '7.25',
        status: 'COMPLETED',
      }),
    ]);
  });

  it('when a buyer asks, then it answers 403', async () => {
    expect((await api(ctx).get('/api/orders/sales').set('Cookie', ctx.user('buyer').cookie)).status).toBe(403);
  });
});

describe('service endpoints', () => {
  it('when /health, /ready and /metrics are asked, then they answer', async () => {
    expect((await api(ctx).get('/health')).status).toBe(200);
    const ready = await api(ctx).get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ postgres: 'ok', redis: 'ok' });
    const metrics = await api(ctx).get('/metrics');
    expect(metrics.text).toContain('http_request_duration_seconds');
  });

  it('when the OpenAPI document is asked, then it lists the routes with their schemas', async () => {
    const res = await api(ctx).get('/api/orders/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/orders/',
        '/api/orders/{id}',
        '/api/orders/{id}/cancel',
        '/api/orders/{id}/events',
        '/api/orders/sales',
        '/api/orders/all',
      ]),
    );
    expect(res.body.paths['/api/orders/'].post.requestBody).toBeDefined();
  });

  it("when an unknown route is asked, then it answers 404 in the envelope with helmet's headers", async () => {
    const res = await api(ctx).get('/api/orders/x/y/z').set('Cookie', ctx.user().cookie);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
