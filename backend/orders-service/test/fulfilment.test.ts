import type { Order } from '@market/contracts';
import { eventually } from '@market/kit/testing';
import { openEvents } from './support/sse';
import {
  api,
  CSRF,
  getOrder,
  line,
  placedOrder,
  publishReply,
  readStream,
  startTestApp,
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

const shipment = { carrier: 'DHL', trackingNumber: 'JD0146 0000 1234' };

const ship = (user: TestUser, orderId: string, sellerId: string, body: unknown = shipment, app = ctx.app) =>
  api({ app })
    .post(`/api/orders/${orderId}/parts/${sellerId}/ship`)
    .set(CSRF)
    .set('Cookie', user.cookie)
    .send(body as object);
const deliver = (user: TestUser, orderId: string, sellerId: string) =>
  api(ctx).post(`/api/orders/${orderId}/parts/${sellerId}/deliver`).set(CSRF).set('Cookie', user.cookie);
const cancel = (user: TestUser, orderId: string) =>
  api(ctx).post(`/api/orders/${orderId}/cancel`).set(CSRF).set('Cookie', user.cookie);

/** A COMPLETED order of `buyer` with one line from each seller. */
async function completedOrder(buyer: TestUser, sellers: TestUser[]): Promise<Order> {
  const order = await placedOrder(
    ctx,
    buyer,
    sellers.map(() => line()),
  );
  await publishReply(ctx, order, { status: 'COMPLETED', sellerIds: sellers.map((s) => s.id) });
  return waitForStatus(ctx, buyer, order.id, 'COMPLETED');
}

const partOf = (order: Order, seller: TestUser) => order.parts.find((p) => p.sellerId === seller.id);

describe('order parts', () => {
  it('when an order completes, then it has one CONFIRMED part per seller', async () => {
    const [buyer, a, b] = [ctx.user(), ctx.user('seller'), ctx.user('seller')];
    const order = await completedOrder(buyer, [a, b]);
    expect(order.parts.map((p) => [p.sellerId, p.state]).sort()).toEqual(
      [
        [a.id, 'CONFIRMED'],
        [b.id, 'CONFIRMED'],
      ].sort(),
    );
  });

  it("when a seller ships their part, then it is SHIPPED with the carrier and tracking number and the other seller's part stays CONFIRMED", async () => {
    const [buyer, a, b] = [ctx.user(), ctx.user('seller'), ctx.user('seller')];
    const order = await completedOrder(buyer, [a, b]);

    const res = await ship(a, order.id, a.id, { carrier: '  DHL ', trackingNumber: 'JD0146' });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sellerId: a.id, state: 'SHIPPED', carrier: 'DHL', trackingNumber: 'JD0146' });
    const seen = (await getOrder(ctx, buyer, order.id)).body as Order;
    expect(seen.status).toBe('COMPLETED');
    expect(partOf(seen, a)).toMatchObject({ state: 'SHIPPED', carrier: 'DHL', deliveredAt: null });
    expect(partOf(seen, a)!.shippedAt).toMatch(/Z$/);
    expect(partOf(seen, b)).toMatchObject({ state: 'CONFIRMED', carrier: null });
    const sales = await api(ctx).get('/api/orders/sales').set('Cookie', a.cookie);
    expect(sales.body.data[0]).toMatchObject({ orderId: order.id, partState: 'SHIPPED', trackingNumber: 'JD0146' });
  });

  it('when a seller ships again while SHIPPED, then the carrier and tracking number are corrected', async () => {
    const [buyer, seller] = [ctx.user(), ctx.user('seller')];
    const order = await completedOrder(buyer, [seller]);
    await ship(seller, order.id, seller.id);
    const res = await ship(seller, order.id, seller.id, { carrier: 'UPS', trackingNumber: '1Z999' });
    expect(res.body).toMatchObject({ state: 'SHIPPED', carrier: 'UPS', trackingNumber: '1Z999' });
  });

  it("when someone ships a part that is not theirs, then 403 for another seller's part and 404 for an order without their lines", async () => {
    const [buyer, seller, other] = [ctx.user(), ctx.user('seller'), ctx.user('seller')];
    const order = await completedOrder(buyer, [seller]);

    expect((await ship(other, order.id, seller.id)).status).toBe(403);
    expect((await ship(buyer, order.id, seller.id)).status).toBe(403);
    const res = await ship(other, order.id, other.id);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(partOf((await getOrder(ctx, buyer, order.id)).body as Order, seller)!.state).toBe('CONFIRMED');
  });

  it('when the carrier or tracking number is too long, blank or the body has other fields, then 400', async () => {
    const [buyer, seller] = [ctx.user(), ctx.user('seller')];
    const order = await completedOrder(buyer, [seller]);
    for (const body of [
      { carrier: 'x'.repeat(61), trackingNumber: '1' },
      { carrier: 'DHL', trackingNumber: '1'.repeat(61) },
      { carrier: '   ', trackingNumber: '1' },
      { carrier: 'DHL' },
      { ...shipment, state: 'DELIVERED' },
    ]) {
      const res = await ship(seller, order.id, seller.id, body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('when the order was cancelled, then its part cannot ship (409)', async () => {
    const [buyer, seller] = [ctx.user(), ctx.user('seller')];
    const order = await completedOrder(buyer, [seller]);
    await cancel(buyer, order.id);
    const res = await ship(seller, order.id, seller.id);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/CANCELLED/);
  });

  it('when the seller or the buyer marks a shipped part delivered, then it is DELIVERED; a stranger gets 404', async () => {
    const [buyer, a, b, stranger] = [ctx.user(), ctx.user('seller'), ctx.user('seller'), ctx.user()];
    const order = await completedOrder(buyer, [a, b]);
    await ship(a, order.id, a.id);
    await ship(b, order.id, b.id);

    expect((await deliver(stranger, order.id, a.id)).status).toBe(404);
    expect((await deliver(b, order.id, a.id)).status).toBe(404);
    expect((await deliver(a, order.id, a.id)).body).toMatchObject({ state: 'DELIVERED' });
    expect((await deliver(buyer, order.id, b.id)).body).toMatchObject({ state: 'DELIVERED' });

    const seen = (await getOrder(ctx, buyer, order.id)).body as Order;
    expect(seen.parts.map((p) => p.state)).toEqual(['DELIVERED', 'DELIVERED']);
    expect(partOf(seen, a)!.deliveredAt).toMatch(/Z$/);
  });

  it('when a part is not shipped yet or already delivered, then deliver and ship answer 409', async () => {
    const [buyer, seller] = [ctx.user(), ctx.user('seller')];
    const order = await completedOrder(buyer, [seller]);
    const early = await deliver(buyer, order.id, seller.id);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/not shipped/);

    await ship(seller, order.id, seller.id);
    await deliver(seller, order.id, seller.id);
    expect((await deliver(buyer, order.id, seller.id)).status).toBe(409);
    const reship = await ship(seller, order.id, seller.id);
    expect(reship.status).toBe(409);
    expect(reship.body.error.message).toMatch(/delivered/);
  });
});

describe('cancelling after shipping', () => {
  it('when any part has shipped, then the buyer cannot cancel (409) and no give-back leaves', async () => {
    const [buyer, a, b] = [ctx.user(), ctx.user('seller'), ctx.user('seller')];
    const order = await completedOrder(buyer, [a, b]);
    await ship(a, order.id, a.id);

    const res = await cancel(buyer, order.id);

    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/already shipped/);
    expect(((await getOrder(ctx, buyer, order.id)).body as Order).status).toBe('COMPLETED');
    const sent = await readStream(ctx.redis, ctx.config.ORDERS_STREAM);
    expect(sent.filter((e) => e.fields.order_id === order.id && e.fields.type === 'order.cancelled')).toEqual([]);
  });

  it('when a ship and a cancel race on the same orders, then exactly one of the two succeeds for each', async () => {
    const [buyer, seller] = [ctx.user(), ctx.user('seller')];
    const orders = await Promise.all(Array.from({ length: 4 }, () => completedOrder(buyer, [seller])));
    // The orders' rows held by another connection, so both requests of each pair wait on the same
    // lock and run their guarded statements against the row the other one commits. (Four orders:
    // eight waiting transactions, the holder and this test's reads fit the pool of ten.)
    const holder = await ctx.pool.connect();
    let outcomes: [number, number][];
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM orders WHERE id = ANY($1::uuid[]) FOR UPDATE', [orders.map((o) => o.id)]);
      const racing = orders.map((o) =>
        Promise.all([ship(seller, o.id, seller.id).then((r) => r.status), cancel(buyer, o.id).then((r) => r.status)]),
      );
      await eventually(
        async () => {
          const { rows } = await ctx.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return rows[0]!.n >= orders.length * 2 || undefined;
        },
        { what: 'every ship and cancel to wait on its order' },
      );
      await holder.query('COMMIT');
      outcomes = await Promise.all(racing);
    } finally {
      holder.release();
    }

    for (const [i, [shipped, cancelled]] of outcomes.entries()) {
      expect([shipped, cancelled].sort()).toEqual([200, 409]);
      const seen = (await getOrder(ctx, buyer, orders[i]!.id)).body as Order;
      if (cancelled === 200) expect(seen).toMatchObject({ status: 'CANCELLED', parts: [] });
      else expect(partOf(seen, seller)!.state).toBe('SHIPPED');
    }
    const { rows } = await ctx.pool.query(
      `SELECT 1 FROM order_parts p JOIN orders o ON o.id = p.order_id WHERE o.status <> 'COMPLETED' AND o.id = ANY($1::uuid[])`,
      [orders.map((o) => o.id)],
    );
    expect(rows).toEqual([]);
  });
});

describe('the order stream through fulfilment', () => {
  it('when the parts ship and are delivered from another replica, then the stream shows each change and ends once all are delivered', async () => {
    const [buyer, a, b] = [ctx.user(), ctx.user('seller'), ctx.user('seller')];
    const order = await completedOrder(buyer, [a, b]);
    // Another replica and connection: its changes reach this one's stream only through Redis.
    const elsewhere = await ctx.startReplica({ consume: false });
    await elsewhere.app.listen({ host: '127.0.0.1', port: 0 });
    const stream = await openEvents(ctx.app, buyer, order.id);
    const events = (n: number) =>
      eventually(async () => stream.events.length === n || undefined, { intervalMs: 25, what: `event ${n}` });
    await events(1);

    await ship(a, order.id, a.id, shipment, elsewhere.app);
    await events(2);
    await ship(b, order.id, b.id, shipment, elsewhere.app);
    await events(3);
    await api({ app: elsewhere.app })
      .post(`/api/orders/${order.id}/parts/${a.id}/deliver`)
      .set(CSRF)
      .set('Cookie', buyer.cookie);
    await events(4);
    // Still open: one part is on its way.
    const comments = stream.comments;
    await eventually(async () => stream.comments > comments || undefined, { intervalMs: 25, what: 'a heartbeat' });

    await deliver(b, order.id, b.id);
    await stream.ended;

    const life = stream.events.map((e) => {
      const seen = JSON.parse(e.data) as Order;
      return `${seen.status} ${partOf(seen, a)!.state} ${partOf(seen, b)!.state}`;
    });
    expect(life).toEqual([
      'COMPLETED CONFIRMED CONFIRMED',
      'COMPLETED SHIPPED CONFIRMED',
      'COMPLETED SHIPPED SHIPPED',
      'COMPLETED DELIVERED SHIPPED',
      'COMPLETED DELIVERED DELIVERED',
    ]);
  });

  it('when a COMPLETED order is cancelled from another tab, then the open stream sends CANCELLED and ends', async () => {
    const [buyer, seller] = [ctx.user(), ctx.user('seller')];
    const order = await completedOrder(buyer, [seller]);
    const stream = await openEvents(ctx.app, buyer, order.id);
    await eventually(async () => stream.events.length === 1 || undefined, { intervalMs: 25, what: 'the first event' });

    await cancel(buyer, order.id);
    await stream.ended;

    expect(stream.events.map((e) => (JSON.parse(e.data) as Order).status)).toEqual(['COMPLETED', 'CANCELLED']);
  });

  it('when the order is already delivered, then the stream sends it once and ends', async () => {
    const [buyer, seller] = [ctx.user(), ctx.user('seller')];
    const order = await completedOrder(buyer, [seller]);
    await ship(seller, order.id, seller.id);
    await deliver(buyer, order.id, seller.id);
    const stream = await openEvents(ctx.app, buyer, order.id);
    await stream.ended;
    expect(stream.events.map((e) => (JSON.parse(e.data) as Order).parts[0]!.state)).toEqual(['DELIVERED']);
  });
});
