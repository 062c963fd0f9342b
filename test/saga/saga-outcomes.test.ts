import { randomUUID } from 'node:crypto';
import { eventually } from './support/processes';
import { lineFor, startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('the stock saga between orders-service and products-service', () => {
  it("when the stock suffices, then the order COMPLETES with the catalog's names, prices and total, and the stock drops", async () => {
    const seller = stack.user('seller');
    const buyer = stack.user();
    const lamp = await stack.createProduct(seller, { price: '19.99', stock: 10, name: 'Desk lamp' });
    const mug = await stack.createProduct(seller, { price: '4.50', stock: 3 });

    const placed = await stack.placeOrder(buyer, [lineFor(lamp, 2), lineFor(mug, 3)]);
    expect(placed.status).toBe(202);
    expect(placed.body.status).toBe('PENDING');

    const order = await stack.settled(buyer, placed.body.id);
    expect(order).toMatchObject({ status: 'COMPLETED', reason: null, total: '53.48' });
    expect(order.items).toEqual([
      { productId: lamp.id, productName: 'Desk lamp', sellerId: seller.id, quantity: 2, unitPrice: '19.99' },
      { productId: mug.id, productName: mug.name, sellerId: seller.id, quantity: 3, unitPrice: '4.50' },
    ]);
    expect(await stack.stockOf(lamp.id)).toBe(8);
    expect(await stack.stockOf(mug.id)).toBe(0);
    const sales = await stack.sales(seller);
    expect(sales.body.data.map((s) => s.quantity).sort()).toEqual([2, 3]);
  });

  it('when the stock is short, then the order FAILS with OUT_OF_STOCK and nothing is taken', async () => {
    const buyer = stack.user();
    const product = await stack.createProduct(stack.user('seller'), { stock: 2 });
    const placed = await stack.placeOrder(buyer, [lineFor(product, 3)]);
    expect(await stack.settled(buyer, placed.body.id)).toMatchObject({
      status: 'FAILED',
      reason: 'OUT_OF_STOCK',
      total: null,
    });
    expect(await stack.stockOf(product.id)).toBe(2);
  });

  it('when the buyer saw another price, then the order FAILS with PRICE_CHANGED and nothing is taken', async () => {
    const buyer = stack.user();
    const product = await stack.createProduct(stack.user('seller'), { price: '12.00', stock: 5 });
    const placed = await stack.placeOrder(buyer, [lineFor(product, 1, '11.00')]);
    expect(await stack.settled(buyer, placed.body.id)).toMatchObject({ status: 'FAILED', reason: 'PRICE_CHANGED' });
    expect(await stack.stockOf(product.id)).toBe(5);
  });

  it('when the product is archived or unknown, then the order FAILS with PRODUCT_UNAVAILABLE and nothing is taken', async () => {
    const buyer = stack.user();
    const seller = stack.user('seller');
    const archived = await stack.createProduct(seller, { stock: 5 });
    expect((await stack.archiveProduct(seller, archived.id)).status).toBeLessThan(300);

    const first = await stack.placeOrder(buyer, [lineFor(archived, 1)]);
    const second = await stack.placeOrder(buyer, [{ productId: randomUUID(), quantity: 1, unitPrice: '1.00' }]);
    expect(await stack.settled(buyer, first.body.id)).toMatchObject({
      status: 'FAILED',
      reason: 'PRODUCT_UNAVAILABLE',
    });
    expect(await stack.settled(buyer, second.body.id)).toMatchObject({
      status: 'FAILED',
      reason: 'PRODUCT_UNAVAILABLE',
    });
    expect(await stack.stockOf(archived.id)).toBe(5);
  });

  it('when a seller orders their own product, then the order FAILS with OWN_PRODUCT and nothing is taken', async () => {
    const seller = stack.user('seller');
    const product = await stack.createProduct(seller, { stock: 5 });
    const placed = await stack.placeOrder(seller, [lineFor(product, 1)]);
    expect(await stack.settled(seller, placed.body.id)).toMatchObject({ status: 'FAILED', reason: 'OWN_PRODUCT' });
    expect(await stack.stockOf(product.id)).toBe(5);
  });

  it('when one line of several is short, then the whole order FAILS and no line takes stock', async () => {
    const buyer = stack.user();
    const seller = stack.user('seller');
    const plenty = await stack.createProduct(seller, { stock: 50 });
    const alsoPlenty = await stack.createProduct(stack.user('seller'), { stock: 50 });
    const scarce = await stack.createProduct(seller, { stock: 1 });

    const placed = await stack.placeOrder(buyer, [lineFor(plenty, 5), lineFor(scarce, 2), lineFor(alsoPlenty, 7)]);
    expect(await stack.settled(buyer, placed.body.id)).toMatchObject({ status: 'FAILED', reason: 'OUT_OF_STOCK' });
    expect([
      await stack.stockOf(plenty.id),
      await stack.stockOf(scarce.id),
      await stack.stockOf(alsoPlenty.id),
    ]).toEqual([50, 1, 50]);
  });

  it('when the buyer cancels a completed order, then the stock comes back once, even if the cancel message is delivered twice', async () => {
    const buyer = stack.user();
    const product = await stack.createProduct(stack.user('seller'), { stock: 10 });
    const placed = await stack.placeOrder(buyer, [lineFor(product, 4)]);
    await stack.waitForStatus(buyer, placed.body.id, 'COMPLETED');
    expect(await stack.stockOf(product.id)).toBe(6);

    const cancelled = await stack.cancelOrder(buyer, placed.body.id);
    expect(cancelled.body.status).toBe('CANCELLED');
    const redis = await stack.redis();
    const { ORDERS_STREAM } = stack.streams;
    const cancelEntry = await stack.entry(
      ORDERS_STREAM,
      (f) => f.order_id === placed.body.id && f.type === 'order.cancelled',
    );
    await eventually('the stock to come back', async () =>
      (await stack.stockOf(product.id)) === 10 ? true : undefined,
    );

    // The relay may publish a row twice (crash between XADD and COMMIT): deliver the very same event again.
    await redis.xadd(ORDERS_STREAM, '*', ...Object.entries(cancelEntry).flat());
    await stack.drained(ORDERS_STREAM, 'products');
    expect(await stack.stockOf(product.id)).toBe(10);
    expect((await stack.cancelOrder(buyer, placed.body.id)).status).toBe(409);
  });

  it('when the order.placed event is delivered twice, then the stock is taken once', async () => {
    const buyer = stack.user();
    const product = await stack.createProduct(stack.user('seller'), { stock: 10 });
    const placed = await stack.placeOrder(buyer, [lineFor(product, 3)]);
    await stack.waitForStatus(buyer, placed.body.id, 'COMPLETED');
    const placedEntry = await stack.entry(
      stack.streams.ORDERS_STREAM,
      (f) => f.order_id === placed.body.id && f.type === 'order.placed',
    );

    await (await stack.redis()).xadd(stack.streams.ORDERS_STREAM, '*', ...Object.entries(placedEntry).flat());
    await stack.drained(stack.streams.ORDERS_STREAM, 'products');
    await stack.drained(stack.streams.INVENTORY_STREAM, 'orders');
    expect(await stack.stockOf(product.id)).toBe(7);
    expect((await stack.getOrder(buyer, placed.body.id)).body.status).toBe('COMPLETED');
  });

  it('when another buyer reads or cancels the order, then both answer 404 and the order is untouched', async () => {
    const buyer = stack.user();
    const stranger = stack.user();
    const product = await stack.createProduct(stack.user('seller'), { stock: 5 });
    const placed = await stack.placeOrder(buyer, [lineFor(product, 1)]);
    await stack.waitForStatus(buyer, placed.body.id, 'COMPLETED');

    expect((await stack.getOrder(stranger, placed.body.id)).status).toBe(404);
    expect((await stack.cancelOrder(stranger, placed.body.id)).status).toBe(404);
    expect((await stack.getOrder(buyer, placed.body.id)).body.status).toBe('COMPLETED');
    expect(await stack.stockOf(product.id)).toBe(4);
  });
});
