import { randomUUID } from 'node:crypto';
import type { Order, Sale } from '@market/contracts';
import {
  api,
  CSRF,
  getOrder,
  line,
  publishReply,
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

const ADDRESS = {
  name: 'Grace Hopper',
  line1: '1 Navy Yard',
  line2: 'Building 7',
  city: 'Arlington',
  postalCode: '22202',
  region: 'VA',
  country: 'US',
  phone: '+1 555 0100',
};

async function savedAddress(user: TestUser, fields: Record<string, unknown> = ADDRESS): Promise<string> {
  const res = await api(ctx).post('/api/addresses').set(CSRF).set('Cookie', user.cookie).send(fields);
  if (res.status !== 201) throw new Error(`saving an address answered ${res.status}`);
  return (res.body as { id: string }).id;
}

const order = (user: TestUser, body: Record<string, unknown>, key: string = randomUUID()) =>
  api(ctx).post('/api/orders').set(CSRF).set('Cookie', user.cookie).set('Idempotency-Key', key).send(body);

describe('POST /api/orders with a shipping address', () => {
  it('when a buyer orders with a saved address, then the order carries a copy of it', async () => {
    const buyer = ctx.user();
    const addressId = await savedAddress(buyer);

    const placed = await order(buyer, { items: [line()], shippingAddressId: addressId });
    const read = await getOrder(ctx, buyer, placed.body.id);

    expect(placed.status).toBe(202);
    expect(placed.body.shippingAddress).toEqual(ADDRESS);
    expect(read.body.shippingAddress).toEqual(ADDRESS);
  });

  it("when the buyer later edits or deletes the saved address, then the order's copy stays as it was", async () => {
    const buyer = ctx.user();
    const addressId = await savedAddress(buyer);
    const placed = await order(buyer, { items: [line()], shippingAddressId: addressId });

    await api(ctx)
      .put(`/api/addresses/${addressId}`)
      .set(CSRF)
      .set('Cookie', buyer.cookie)
      .send({ ...ADDRESS, line1: '2 Elsewhere Road' })
      .expect(200);
    const afterEdit = await getOrder(ctx, buyer, placed.body.id);
    await api(ctx).delete(`/api/addresses/${addressId}`).set(CSRF).set('Cookie', buyer.cookie).expect(204);
    const afterDelete = await getOrder(ctx, buyer, placed.body.id);

    expect(afterEdit.body.shippingAddress).toEqual(ADDRESS);
    expect(afterDelete.body.shippingAddress).toEqual(ADDRESS);
  });

  it("when a buyer names another user's address or an unknown one, then no order is placed", async () => {
    const buyer = ctx.user();
    const someoneElses = await savedAddress(ctx.user());

    const foreign = await order(buyer, { items: [line()], shippingAddressId: someoneElses });
    const unknown = await order(buyer, { items: [line()], shippingAddressId: randomUUID() });
    const mine = await api(ctx).get('/api/orders').set('Cookie', buyer.cookie);

    for (const res of [foreign, unknown]) {
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([
        { field: 'shippingAddressId', message: expect.stringContaining('not one of your saved addresses') },
      ]);
    }
    expect(mine.body.data).toEqual([]);
  });

  it('when the same key comes back with another address, then it is refused; with the same one, the same order', async () => {
    const buyer = ctx.user();
    const home = await savedAddress(buyer);
    const work = await savedAddress(buyer, { ...ADDRESS, line1: '3 Office Park' });
    const items = [line()];
    const key = randomUUID();

    const first = await order(buyer, { items, shippingAddressId: home }, key);
    const replay = await order(buyer, { items, shippingAddressId: home }, key);
    const other = await order(buyer, { items, shippingAddressId: work }, key);

    expect(first.status).toBe(202);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(other.status).toBe(422);
  });

  it('when an order is placed without an address (an API client), then it has none', async () => {
    const buyer = ctx.user();

    const placed = await order(buyer, { items: [line()] });

    expect(placed.status).toBe(202);
    expect(placed.body.shippingAddress).toBeNull();
  });
});

describe('GET /api/orders/sales and the shipping address', () => {
  async function completed(buyer: TestUser, sellerId: string, addressId: string): Promise<Order> {
    const placed = (await order(buyer, { items: [line()], shippingAddressId: addressId })).body as Order;
    await publishReply(ctx, placed, { status: 'COMPLETED', sellerId });
    return waitForStatus(ctx, buyer, placed.id, 'COMPLETED');
  }

  it('when sellers read their sales, then each sees the address on its own lines only', async () => {
    const seller = ctx.user('seller');
    const otherSeller = ctx.user('seller');
    const buyer = ctx.user();
    const elsewhere = { ...ADDRESS, line1: '9 Other Street' };
    const mine = await completed(buyer, seller.id, await savedAddress(buyer));
    const theirs = await completed(buyer, otherSeller.id, await savedAddress(buyer, elsewhere));

    const sales = await api(ctx).get('/api/orders/sales').set('Cookie', seller.cookie);
    const otherSales = await api(ctx).get('/api/orders/sales').set('Cookie', otherSeller.cookie);

    expect(sales.body.data).toEqual([expect.objectContaining({ orderId: mine.id, shippingAddress: ADDRESS })]);
    expect(JSON.stringify(sales.body)).not.toContain(elsewhere.line1);
    expect(otherSales.body.data).toEqual([expect.objectContaining({ orderId: theirs.id, shippingAddress: elsewhere })]);
  });

  it('when a part was delivered longer ago than SELLER_ADDRESS_RETENTION_DAYS, then its seller no longer reads the address', async () => {
    const seller = ctx.user('seller');
    const buyer = ctx.user();
    const recent = await completed(buyer, seller.id, await savedAddress(buyer));
    const old = await completed(buyer, seller.id, await savedAddress(buyer));
    for (const order of [recent, old]) {
      const part = `/api/orders/${order.id}/parts/${seller.id}`;
      await api(ctx)
        .post(`${part}/ship`)
        .set(CSRF)
        .set('Cookie', seller.cookie)
        .send({ carrier: 'Post', trackingNumber: 'T1' })
        .expect(200);
      await api(ctx).post(`${part}/deliver`).set(CSRF).set('Cookie', buyer.cookie).expect(200);
    }
    const days = ctx.config.SELLER_ADDRESS_RETENTION_DAYS;
    await ctx.pool.query(
      `UPDATE order_parts SET delivered_at = now() - make_interval(days => $2) WHERE order_id = $1`,
      [old.id, days + 1],
    );
    await ctx.pool.query(
      `UPDATE order_parts SET delivered_at = now() - make_interval(days => $2) WHERE order_id = $1`,
      [recent.id, days - 1],
    );

    const sales = (await api(ctx).get('/api/orders/sales').set('Cookie', seller.cookie)).body as { data: Sale[] };

    const addressOf = (id: string) => sales.data.find((sale) => sale.orderId === id)?.shippingAddress;
    expect(addressOf(recent.id)).toEqual(ADDRESS);
    expect(addressOf(old.id)).toBeNull();
    // The buyer's own order keeps it.
    expect((await getOrder(ctx, buyer, old.id)).body).toMatchObject({ shippingAddress: ADDRESS });
  });
});
