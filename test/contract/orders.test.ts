import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { CSRF, startTestApp, type TestApp } from '../../backend/orders-service/test/support/test-app';
import { fuzzDocument, summary, type Caller } from './support/fuzz-document';
import { fetchDocument, RUNS } from './support/serve';

describe('orders-service against its own OpenAPI document', () => {
  let ctx: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    ctx = await startTestApp();
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => ctx?.close());

  it('when every operation is sent generated requests, valid and invalid, then every answer is one the document declares, in its closed schema', async () => {
    const buyer = ctx.user('buyer');
    const place = () =>
      request(ctx.app.server)
        .post('/api/orders')
        .set(CSRF)
        .set('Cookie', buyer.cookie)
        .set('Idempotency-Key', randomUUID())
        .send({ items: [{ productId: randomUUID(), quantity: 1, unitPrice: '9.99' }] });
    const orders = await Promise.all([place(), place()]);
    const address = await request(ctx.app.server)
      .post('/api/addresses')
      .set(CSRF)
      .set('Cookie', buyer.cookie)
      .send({ name: 'Walker', line1: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'US' });
    const deadIds = await Promise.all(
      [ctx.config.ORDERS_STREAM, ctx.config.INVENTORY_STREAM].map(async (stream) =>
        ctx.redis.xadd(
          `${stream}:dead`,
          '*',
          'type',
          'order.placed',
          'order_id',
          randomUUID(),
          'event_id',
          randomUUID(),
          'dead_original_id',
          '1-0',
          'dead_group',
          'products',
          'dead_reason',
          'contract test',
          'dead_deliveries',
          '3',
          'dead_at',
          new Date().toISOString(),
        ),
      ),
    );
    const as = (name: string, cookie: string): Caller => ({ name, headers: { Cookie: cookie } });
    const callers = [
      as('buyer', buyer.cookie),
      as('another buyer', ctx.user('buyer').cookie),
      as('seller', ctx.user('seller').cookie),
      as('admin', ctx.user('admin').cookie),
      { name: 'nobody', headers: {} },
      as('a forged token', 'access_token=not.a.token'),
    ];

    const report = await fuzzDocument({
      baseUrl,
      document: await fetchDocument(baseUrl, '/api/orders/openapi.json'),
      callers: () => callers,
      knownValues: {
        id: [
          ...orders.map((res) => (res.body as { id: string }).id),
          (address.body as { id: string }).id,
          ...deadIds.filter((id): id is string => id !== null),
        ],
      },
      // Keys repeat now and then, so replays (200) and reuse with another body (422) happen too.
      headers: () => fc.record({ 'idempotency-key': fc.oneof(fc.constantFrom('key-a', 'key-b'), fc.uuid()) }),
      runs: RUNS,
    });

    console.log(summary(report));
    expect(report.failures).toEqual([]);
    // The orders, their parts' ship and deliver, the sales totals and export, the dead letters, the cart (GET and
    // PUT /api/cart) and the addresses (GET, POST, PUT, DELETE).
    expect(report.operations).toHaveLength(22);
    expect(report.requests).toBeGreaterThanOrEqual(22 * RUNS);
  });
});
