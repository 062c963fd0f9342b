import { randomUUID } from 'node:crypto';
import { api, CSRF, line, placeOrder, readStream, startTestApp, waitForEntry, type TestApp } from './support/test-app';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(async () => {
  await ctx.close();
});

const fieldsOf = (res: { body: { error?: { details?: { field: string }[] } } }) =>
  (res.body.error?.details ?? []).map((d) => d.field);

describe('POST /api/orders', () => {
  it('when the body is valid, then it answers 202 with the PENDING order and publishes order.placed carrying the request id', async () => {
    const buyer = ctx.user();
    const items = [line({ quantity: 2, unitPrice: '19.99' }), line({ quantity: 99, unitPrice: '0.50' })];
    const res = await placeOrder(ctx, buyer, items).set('X-Request-Id', 'req-place-1');

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'PENDING', reason: null, total: null });
    expect(res.body.items).toEqual(items.map((i) => ({ ...i, productName: null, sellerId: null })));
    expect(res.headers['x-request-id']).toBe('req-place-1');

    const entry = await waitForEntry(
      ctx.redis,
      ctx.config.ORDERS_STREAM,
      (f) => f.order_id === res.body.id,
      'order.placed',
    );
    expect(entry.fields).toMatchObject({
      type: 'order.placed',
      version: '1',
      user_id: buyer.id,
      correlation_id: 'req-place-1',
    });
    expect(JSON.parse(entry.fields.products!)).toEqual(
      items.map((i) => ({ product_id: i.productId, quantity: i.quantity, price: i.unitPrice })),
    );
  });

  it.each([
    ['no items', { items: [] }, 'items'],
    ['a zero quantity', { items: [line({ quantity: 0 })] }, 'items.0.quantity'],
    ['a quantity of 100', { items: [line({ quantity: 100 })] }, 'items.0.quantity'],
    ['a fractional quantity', { items: [line({ quantity: 1.5 })] }, 'items.0.quantity'],
    ['a quantity sent as a string', { items: [{ ...line(), quantity: '2' }] }, 'items.0.quantity'],
    ['a price sent as a number', { items: [{ ...line(), unitPrice: 19.99 }] }, 'items.0.unitPrice'],
    ['a price with one decimal', { items: [line({ unitPrice: '19.9' })] }, 'items.0.unitPrice'],
    ['a negative price', { items: [line({ unitPrice: '-1.00' })] }, 'items.0.unitPrice'],
    ['a product id that is not a uuid', { items: [line({ productId: 'abc' })] }, 'items.0.productId'],
    ['an unknown field', { items: [{ ...line(), status: 'COMPLETED' }] }, 'items.0.status'],
    ['a client-set total', { items: [line()], total: '0.00' }, 'total'],
    ['51 lines', { items: Array.from({ length: 51 }, () => line()) }, 'items'],
  ])('when the body has %s, then it answers 400 naming the field', async (_name, body, field) => {
    const res = await api(ctx)
      .post('/api/orders')
      .set(CSRF)
      .set('Cookie', ctx.user().cookie)
      .set('Idempotency-Key', randomUUID())
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(res)).toContain(field);
  });

  it('when two lines name the same product, then it answers 400 and stores nothing', async () => {
    const buyer = ctx.user();
    const productId = randomUUID();
    const res = await placeOrder(ctx, buyer, [line({ productId }), line({ productId: productId.toUpperCase() })]);
    expect(res.status).toBe(400);
    expect(fieldsOf(res)).toEqual(['items.1.productId']);
    const mine = await api(ctx).get('/api/orders').set('Cookie', buyer.cookie);
    expect(mine.body.pagination.total).toBe(0);
  });

  it('when 50 lines are sent, then the order is accepted', async () => {
    const res = await placeOrder(
      ctx,
      ctx.user(),
      Array.from({ length: 50 }, () => line()),
    );
    expect(res.status).toBe(202);
    expect(res.body.items).toHaveLength(50);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['129 characters', 'k'.repeat(129)],
    ['with spaces', 'my key'],
  ])('when the Idempotency-Key is %s, then it answers 400', async (_name, key) => {
    let req = api(ctx).post('/api/orders').set(CSRF).set('Cookie', ctx.user().cookie);
    if (key !== undefined) req = req.set('Idempotency-Key', key);
    const res = await req.send({ items: [line()] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(res)[0]).toMatch(/idempotency-key/);
  });

  it('when the body is not JSON, then it answers 400 MALFORMED_JSON', async () => {
    const res = await api(ctx)
      .post('/api/orders')
      .set(CSRF)
      .set('Cookie', ctx.user().cookie)
      .set('Idempotency-Key', randomUUID())
      .set('Content-Type', 'application/json')
      .send('{"items": [');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  it('when the CSRF header is missing, then it answers 403 and places nothing', async () => {
    const buyer = ctx.user();
    const res = await api(ctx)
      .post('/api/orders')
      .set('Cookie', buyer.cookie)
      .set('Idempotency-Key', randomUUID())
      .send({ items: [line()] });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_FAILED');
    expect((await api(ctx).get('/api/orders').set('Cookie', buyer.cookie)).body.pagination.total).toBe(0);
  });

  it('when nobody is signed in or the token is forged, then it answers 401', async () => {
    const anonymous = await api(ctx)
      .post('/api/orders')
      .set(CSRF)
      .set('Idempotency-Key', randomUUID())
      .send({ items: [line()] });
    expect(anonymous.status).toBe(401);
    const forged = await api(ctx)
      .post('/api/orders')
      .set(CSRF)
      .set('Cookie', 'access_token=not.a.token')
      .set('Idempotency-Key', randomUUID())
      .send({ items: [line()] });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('Idempotency-Key', () => {
  it('when the same request is sent again, then the same order comes back and only one order.placed leaves', async () => {
    const buyer = ctx.user();
    const key = randomUUID();
    const items = [line({ quantity: 3 })];
    const first = await placeOrder(ctx, buyer, items, key);
    const again = await placeOrder(ctx, buyer, items, key);

    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    await waitForEntry(ctx.redis, ctx.config.ORDERS_STREAM, (f) => f.order_id === first.body.id);
    const placed = (await readStream(ctx.redis, ctx.config.ORDERS_STREAM)).filter(
      (e) => e.fields.order_id === first.body.id,
    );
    expect(placed).toHaveLength(1);
  });

  it('when the same key comes with another body, then it answers 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const buyer = ctx.user();
    const key = randomUUID();
    const productId = randomUUID();
    expect((await placeOrder(ctx, buyer, [line({ productId, quantity: 1 })], key)).status).toBe(202);
    const other = await placeOrder(ctx, buyer, [line({ productId, quantity: 2 })], key);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('when another buyer uses the same key, then each gets an order of their own', async () => {
    const key = randomUUID();
    const items = [line()];
    const a = await placeOrder(ctx, ctx.user(), items, key);
    const b = await placeOrder(ctx, ctx.user(), items, key);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('when the same request arrives twice at once, then exactly one order exists', async () => {
    const buyer = ctx.user();
    const key = randomUUID();
    const items = [line({ quantity: 2 })];
    const answers = await Promise.all(Array.from({ length: 8 }, () => placeOrder(ctx, buyer, items, key)));

    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const mine = await api(ctx).get('/api/orders').set('Cookie', buyer.cookie);
    expect(mine.body.pagination.total).toBe(1);
  });
});
