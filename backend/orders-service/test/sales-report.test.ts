import {
  api,
  line,
  placedOrder,
  publishReply,
  startTestApp,
  waitForStatus,
  type Line,
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

/** A completed order of `seller`'s lines, dated `at` (UTC) as if placed then. */
async function sold(seller: TestUser, at: string, lines: Line[] = [line()], productName?: string) {
  const buyer = ctx.user();
  const order = await placedOrder(ctx, buyer, lines);
  await publishReply(ctx, order, { status: 'COMPLETED', sellerId: seller.id });
  await waitForStatus(ctx, buyer, order.id, 'COMPLETED');
  await ctx.pool.query('UPDATE orders SET created_at = $2 WHERE id = $1', [order.id, at]);
  if (productName)
    await ctx.pool.query('UPDATE order_items SET product_name = $2 WHERE order_id = $1', [order.id, productName]);
  return order;
}

describe('GET /api/orders/sales with a date range', () => {
  it('when a seller gives from and to, then only the sales of those UTC days come back, both days included', async () => {
    const seller = ctx.user('seller');
    await sold(seller, '2026-03-31T23:59:59Z');
    const first = await sold(seller, '2026-04-01T00:00:00Z');
    const last = await sold(seller, '2026-04-02T23:59:59Z');
    await sold(seller, '2026-04-03T00:00:00Z');

    const res = await api(ctx).get('/api/orders/sales?from=2026-04-01&to=2026-04-02').set('Cookie', seller.cookie);

    expect(res.status).toBe(200);
    expect(res.body.data.map((s: { orderId: string }) => s.orderId)).toEqual([last.id, first.id]);
    expect(res.body.pagination.total).toBe(2);
  });

  it('when a date is not a calendar day, then it answers 400 naming the field', async () => {
    const res = await api(ctx).get('/api/orders/sales?from=2026-13-01').set('Cookie', ctx.user('seller').cookie);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toMatch(/from/);
  });
});

describe('GET /api/orders/sales/totals', () => {
  it('when a seller asks per day, week or month, then orders, items and exact revenue are summed per period, newest first', async () => {
    const seller = ctx.user('seller');
    await sold(seller, '2026-05-04T10:00:00Z', [line({ quantity: 2, unitPrice: '0.10' }), line({ unitPrice: '0.20' })]);
    await sold(seller, '2026-05-04T22:00:00Z', [line({ quantity: 3, unitPrice: '0.10' })]);
    await sold(seller, '2026-05-10T12:00:00Z', [line({ unitPrice: '1.00' })]);
    await sold(seller, '2026-06-01T12:00:00Z', [line({ unitPrice: '5.00' })]);
    await sold(ctx.user('seller'), '2026-05-04T10:00:00Z', [line({ unitPrice: '99.00' })]);

    const totals = (period: string) =>
      api(ctx).get(`/api/orders/sales/totals?period=${period}`).set('Cookie', seller.cookie);
    const [day, week, month] = await Promise.all([totals('day'), totals('week'), totals('month')]);

    expect(day.status).toBe(200);
    expect(day.body.data).toEqual([
      { periodStart: '2026-06-01', orders: 1, quantity: 1, revenue: '5.00' },
      { periodStart: '2026-05-10', orders: 1, quantity: 1, revenue: '1.00' },
      { periodStart: '2026-05-04', orders: 2, quantity: 6, revenue: '0.70' },
    ]);
    expect(day.body.overall).toEqual({ orders: 4, quantity: 8, revenue: '6.70' });
    // 2026-05-04 is a Monday and 2026-05-10 the Sunday of the same week.
    expect(week.body.data.map((w: { periodStart: string; revenue: string }) => [w.periodStart, w.revenue])).toEqual([
      ['2026-06-01', '5.00'],
      ['2026-05-04', '1.70'],
    ]);
    expect(month.body.data.map((m: { periodStart: string; revenue: string }) => [m.periodStart, m.revenue])).toEqual([
      ['2026-06-01', '5.00'],
      ['2026-05-01', '1.70'],
    ]);
  });

  it('when the range is limited, then the totals cover only those days', async () => {
    const seller = ctx.user('seller');
    await sold(seller, '2026-07-01T10:00:00Z', [line({ unitPrice: '2.00' })]);
    await sold(seller, '2026-07-02T10:00:00Z', [line({ unitPrice: '3.00' })]);

    const res = await api(ctx)
      .get('/api/orders/sales/totals?period=month&from=2026-07-02')
      .set('Cookie', seller.cookie);

    expect(res.body.data).toEqual([{ periodStart: '2026-07-01', orders: 1, quantity: 1, revenue: '3.00' }]);
    expect(res.body.overall).toEqual({ orders: 1, quantity: 1, revenue: '3.00' });
  });

  it('when the seller has sold nothing, then the overall figures are zero', async () => {
    const res = await api(ctx).get('/api/orders/sales/totals').set('Cookie', ctx.user('seller').cookie);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], overall: { orders: 0, quantity: 0, revenue: '0.00' } });
  });

  it('when the period is unknown or a buyer asks, then it answers 400 or 403', async () => {
    const seller = ctx.user('seller');
    expect((await api(ctx).get('/api/orders/sales/totals?period=year').set('Cookie', seller.cookie)).status).toBe(400);
    expect((await api(ctx).get('/api/orders/sales/totals').set('Cookie', ctx.user().cookie)).status).toBe(403);
  });
});

describe('GET /api/orders/sales/export', () => {
  it('when a seller exports, then a CSV attachment holds their sales only, quoted, with formulas defused', async () => {
    const seller = ctx.user('seller');
    const order = await sold(
      seller,
      '2026-08-01T09:30:00Z',
      [line({ quantity: 3, unitPrice: '1.10' })],
      '=HYPERLINK("x"),1',
    );
    await sold(seller, '2026-08-02T09:30:00Z', [line()], '@SUM(A1)');
    await sold(seller, '2026-08-03T09:30:00Z', [line()], '+1\nnext');
    await sold(seller, '2026-08-04T09:30:00Z', [line()], '\tTab');
    await sold(seller, '2026-08-05T09:30:00Z', [line()], '-2');
    await sold(ctx.user('seller'), '2026-08-01T10:00:00Z', [line()], 'Not mine');

    const res = await api(ctx).get('/api/orders/sales/export?to=2026-08-05').set('Cookie', seller.cookie);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="sales.csv"');
    const rows = res.text.split('\r\n');
    expect(rows[0]).toBe('Date (UTC),Order,Product,Product id,Quantity,Unit price,Subtotal,Status');
    expect(rows.slice(1, 5).map((row) => row.split(',')[2])).toEqual(["'-2", "'\tTab", `"'+1\nnext"`, "'@SUM(A1)"]);
    expect(rows[5]).toBe(
      `2026-08-01T09:30:00.000Z,${order.id},"'=HYPERLINK(""x""),1",${order.items[0]!.productId},3,1.10,3.30,COMPLETED`,
    );
    expect(res.text).not.toContain('Not mine');
    expect(rows.at(-1)).toBe('');
  });

  it('when a buyer or nobody asks, then it answers 403 or 401', async () => {
    expect((await api(ctx).get('/api/orders/sales/export').set('Cookie', ctx.user().cookie)).status).toBe(403);
    expect((await api(ctx).get('/api/orders/sales/export')).status).toBe(401);
  });
});
