import { eventually, type Child } from './support/processes';
import { lineFor, startStack, type Stack } from './support/stack';

// orders-service publishes order.cancelled again after 1 s, then 2 s, then 4 s (at most 3 copies).
const REPUBLISHES = 3;

let stack: Stack;
let worker: Child;
beforeAll(async () => {
  stack = await startStack({ separateWorker: true, ordersEnv: { PENDING_REPUBLISH_AFTER_SECONDS: '1' } });
  worker = stack.startWorker();
});
afterAll(async () => {
  await stack?.close();
});

type Fields = Record<string, string>;

async function entriesOf(orderId: string, type: string): Promise<{ id: string; fields: Fields }[]> {
  const entries = await (await stack.redis()).xrange(stack.streams.ORDERS_STREAM, '-', '+');
  return entries
    .map(([id, list]) => ({ id, fields: Object.fromEntries(Array.from({ length: list.length / 2 }, (_, i) => [list[2 * i]!, list[2 * i + 1]!])) }))
    .filter((e) => e.fields.order_id === orderId && e.fields.type === type);
}

/** Waits until orders-service has published every republish of the order's cancel and products read them all. */
async function allCancelCopiesRead(orderId: string, expected: number): Promise<Fields[]> {
  const copies = await eventually(
    `${expected} order.cancelled entries of ${orderId}`,
    async () => {
      const entries = await entriesOf(orderId, 'order.cancelled');
      return entries.length >= expected ? entries : undefined;
    },
    30_000,
  );
  await stack.drained(stack.streams.ORDERS_STREAM, 'products');
  return copies.map((c) => c.fields);
}

async function completedOrder(stock: number, quantity: number) {
  const buyer = stack.user();
  const product = await stack.createProduct(stack.user('seller'), { stock });
  const placed = await stack.placeOrder(buyer, [lineFor(product, quantity)]);
  await stack.waitForStatus(buyer, placed.body.id, 'COMPLETED');
  return { buyer, product, order: placed.body };
}

describe('an order.cancelled lost between Redis and products', () => {
  it('when the first order.cancelled is lost before products reads it, then the republished copy gives the stock back, once', async () => {
    const { buyer, product, order } = await completedOrder(10, 4);
    expect(await stack.stockOf(product.id)).toBe(6);

    // Products is not reading while Redis loses the entry (as with the last second of AOF).
    await worker.stop();
    expect((await stack.cancelOrder(buyer, order.id)).body.status).toBe('CANCELLED');
    const lost = await stack.entry(stack.streams.ORDERS_STREAM, (f) => f.order_id === order.id && f.type === 'order.cancelled');
    const [first] = await entriesOf(order.id, 'order.cancelled');
    expect(await (await stack.redis()).xdel(stack.streams.ORDERS_STREAM, first!.id)).toBe(1);

    const copy = await stack.entry(stack.streams.ORDERS_STREAM, (f) => f.order_id === order.id && f.type === 'order.cancelled');
    expect(copy).toEqual(lost);

    worker = stack.startWorker();
    await eventually('the stock to come back', async () => ((await stack.stockOf(product.id)) === 10 ? true : undefined));

    const copies = await allCancelCopiesRead(order.id, REPUBLISHES);
    expect(copies.every((c) => c.event_id === lost.event_id)).toBe(true);
    expect(await stack.stockOf(product.id)).toBe(10);
    expect((await stack.getOrder(buyer, order.id)).body.status).toBe('CANCELLED');
  });

  it('when nothing was lost, then the republished copies give nothing back a second time', async () => {
    const { buyer, product, order } = await completedOrder(10, 3);
    expect((await stack.cancelOrder(buyer, order.id)).body.status).toBe('CANCELLED');
    await eventually('the stock to come back', async () => ((await stack.stockOf(product.id)) === 10 ? true : undefined));

    const copies = await allCancelCopiesRead(order.id, 1 + REPUBLISHES);
    expect(new Set(copies.map((c) => c.event_id)).size).toBe(1);
    expect(await stack.stockOf(product.id)).toBe(10);
  });

  it('when the cancel reaches products before its order.placed, then the stock is never taken, also with the cancel republished', async () => {
    const buyer = stack.user();
    const product = await stack.createProduct(stack.user('seller'), { stock: 10 });
    await worker.stop();
    const placed = await stack.placeOrder(buyer, [lineFor(product, 2)]);
    const placedFields = await stack.entry(stack.streams.ORDERS_STREAM, (f) => f.order_id === placed.body.id && f.type === 'order.placed');
    expect((await stack.cancelOrder(buyer, placed.body.id)).body.status).toBe('CANCELLED');
    await stack.entry(stack.streams.ORDERS_STREAM, (f) => f.order_id === placed.body.id && f.type === 'order.cancelled');

    // The order.placed arrives late: after the cancel on the stream.
    const redis = await stack.redis();
    for (const entry of await entriesOf(placed.body.id, 'order.placed')) await redis.xdel(stack.streams.ORDERS_STREAM, entry.id);
    await redis.xadd(stack.streams.ORDERS_STREAM, '*', ...Object.entries(placedFields).flat());
    worker = stack.startWorker();

    await allCancelCopiesRead(placed.body.id, 1 + REPUBLISHES);
    await stack.drained(stack.streams.INVENTORY_STREAM, 'orders');
    expect(await stack.stockOf(product.id)).toBe(10);
    expect((await stack.getOrder(buyer, placed.body.id)).body.status).toBe('CANCELLED');
  });
});
