import {
  api,
  getOrder,
  line,
  placedOrder,
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

const all = (query: string) => api(ctx).get(`/api/orders/all?${query}`).set('Cookie', ctx.user('admin').cookie);
const idsOf = (res: { body: { data: { id: string }[] } }) => res.body.data.map((o) => o.id);

async function completed(buyer: TestUser, seller: TestUser) {
  const order = await placedOrder(ctx, buyer, [line()]);
  await publishReply(ctx, order, { status: 'COMPLETED', sellerId: seller.id });
  await waitForStatus(ctx, buyer, order.id, 'COMPLETED');
  return order;
}

describe('GET /api/orders/all (admin)', () => {
  it('when an admin lists orders, then each names its buyer as they were when ordering, and its sellers', async () => {
    const buyer = ctx.user();
    const seller = ctx.user('seller');
    const order = await completed(buyer, seller);

    const res = await all(`buyer=${buyer.id}`);

    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        id: order.id,
        status: 'COMPLETED',
        buyer: { id: buyer.id, username: buyer.username },
        items: [expect.objectContaining({ sellerId: seller.id })],
      }),
    ]);
    expect(res.body.pagination).toEqual({ page: 1, pageSize: 20, total: 1, totalPages: 1, totalCapped: false });
  });

  it('when filtered by buyer name, seller, status or dates, then only the matching orders come back', async () => {
    const buyer = ctx.user();
    const seller = ctx.user('seller');
    const done = await completed(buyer, seller);
    const pending = await placedOrder(ctx, buyer, [line()]);
    const elsewhere = await completed(ctx.user(), seller);
    await ctx.pool.query(`UPDATE orders SET created_at = '2026-02-10T12:00:00Z' WHERE id = $1`, [elsewhere.id]);

    expect(idsOf(await all(`buyer=${buyer.username.toUpperCase()}`))).toEqual([pending.id, done.id]);
    expect(idsOf(await all(`buyer=${buyer.username}&status=PENDING`))).toEqual([pending.id]);
    expect(idsOf(await all(`sellerId=${seller.id}`))).toEqual([done.id, elsewhere.id]);
    expect(idsOf(await all(`sellerId=${seller.id}&from=2026-02-10&to=2026-02-10`))).toEqual([elsewhere.id]);
    expect(idsOf(await all(`sellerId=${seller.id}&to=2026-02-09`))).toEqual([]);
  });

  it('when paging, then each page holds its share and the total counts every match', async () => {
    const buyer = ctx.user();
    const placed = [];
    for (let i = 0; i < 5; i++) placed.push(await placedOrder(ctx, buyer, [line()]));

    const second = await all(`buyer=${buyer.id}&pageSize=2&page=2`);

    expect(idsOf(second)).toEqual([placed[2]!.id, placed[1]!.id]);
    expect(second.body.pagination).toEqual({ page: 2, pageSize: 2, total: 5, totalPages: 3, totalCapped: false });
  });

  it('when a filter is malformed, then it answers 400; for a buyer or a seller, 403', async () => {
    expect((await all('status=SHIPPED_TO_MARS')).status).toBe(400);
    expect((await all('sellerId=not-an-id')).status).toBe(400);
    expect((await all('from=yesterday')).status).toBe(400);
    expect((await all(`buyer=${'x'.repeat(40)}`)).status).toBe(400);
    const buyer = ctx.user();
    expect((await api(ctx).get('/api/orders/all').set('Cookie', buyer.cookie)).status).toBe(403);
  });

  it("when an admin reads someone's order, then it names the buyer; the buyer's own read does not", async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer, [line()]);

    expect((await getOrder(ctx, ctx.user('admin'), order.id)).body.buyer).toEqual({
      id: buyer.id,
      username: buyer.username,
    });
    expect((await getOrder(ctx, buyer, order.id)).body).not.toHaveProperty('buyer');
  });
});
