import { Client } from 'pg';
import { testPgAdminUrl } from '@market/kit/testing';
import { eventually, sleep, type Child } from './support/processes';
import { lineFor, startStack, type Stack } from './support/stack';

// orders-service sends a give-back (order.cancelled) again after 1 s, 1 s, 2 s, 4 s, … (at most 4 s apart) until products answers it.
const ordersEnv = { PENDING_REPUBLISH_AFTER_SECONDS: '1', REPUBLISH_BACKOFF_MAX_SECONDS: '4' };

let stack: Stack;
let worker: Child;
beforeAll(async () => {
  stack = await startStack({ separateWorker: true, ordersEnv });
  // A group that never reads: the stream is trimmed only below what every group has read, so every
  // copy orders sends stays on it to be counted (orders deletes its outbox rows once sent).
  await (await stack.redis()).xgroup('CREATE', stack.streams.ORDERS_STREAM, 'copies-observer', '0', 'MKSTREAM');
  worker = stack.startWorker();
});
afterAll(async () => {
  await stack?.close();
});

type Fields = Record<string, string>;

async function entriesOf(orderId: string, type: string): Promise<{ id: string; fields: Fields }[]> {
  const entries = await (await stack.redis()).xrange(stack.streams.ORDERS_STREAM, '-', '+');
  return entries
    .map(([id, list]) => ({
      id,
      fields: Object.fromEntries(Array.from({ length: list.length / 2 }, (_, i) => [list[2 * i]!, list[2 * i + 1]!])),
    }))
    .filter((e) => e.fields.order_id === orderId && e.fields.type === type);
}

async function ordersDb<T>(query: (client: Client) => Promise<T>, url = stack.databases.orders.url): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await query(client);
  } finally {
    await client.end();
  }
}

/** The copies of the order's give-back orders-service sent, as the stream holds them (see the observer group). */
async function giveBackCopies(orderId: string): Promise<Fields[]> {
  return (await entriesOf(orderId, 'order.cancelled')).map((entry) => entry.fields);
}

/** Waits until products answered the order's give-back and orders recorded it; then no copy follows. */
async function giveBackAnswered(orderId: string): Promise<Fields[]> {
  await eventually(
    'the give-back answered',
    async () => {
      const { rows } = await ordersDb((c) =>
        c.query('SELECT give_back_confirmed_at FROM orders WHERE id = $1', [orderId]),
      );
      return rows[0]?.give_back_confirmed_at ? true : undefined;
    },
    60_000,
  );
  const copies = (await giveBackCopies(orderId)).length;
  await sleep(2500); // longer than the next republish would wait
  const after = await giveBackCopies(orderId);
  expect(after).toHaveLength(copies);
  expect(await (await stack.redis()).xlen(`${stack.streams.ORDERS_STREAM}:dead`)).toBe(0);
  return after;
}

async function completedOrder(stock: number, quantity: number) {
  const buyer = stack.user();
  const product = await stack.createProduct(stack.user('seller'), { stock });
  const placed = await stack.placeOrder(buyer, [lineFor(product, quantity)]);
  await stack.waitForStatus(buyer, placed.body.id, 'COMPLETED');
  return { buyer, product, order: placed.body };
}

describe('give-backs (order.cancelled) lost, late or waiting out an outage', () => {
  it('when the first order.cancelled is lost before products reads it, then a copy gives the stock back, once, and the copies stop', async () => {
    const { buyer, product, order } = await completedOrder(10, 4);
    expect(await stack.stockOf(product.id)).toBe(6);

    // Products is not reading while Redis loses the entry (as with the last second of AOF).
    await worker.stop();
    expect((await stack.cancelOrder(buyer, order.id)).body.status).toBe('CANCELLED');
    const lost = await stack.entry(
      stack.streams.ORDERS_STREAM,
      (f) => f.order_id === order.id && f.type === 'order.cancelled',
    );
    const [first] = await entriesOf(order.id, 'order.cancelled');
    expect(await (await stack.redis()).xdel(stack.streams.ORDERS_STREAM, first!.id)).toBe(1);

    const copy = await stack.entry(
      stack.streams.ORDERS_STREAM,
      (f) => f.order_id === order.id && f.type === 'order.cancelled',
    );
    expect(copy).toEqual(lost);

    worker = stack.startWorker();
    await eventually('the stock to come back', async () =>
      (await stack.stockOf(product.id)) === 10 ? true : undefined,
    );
    const copies = await giveBackAnswered(order.id);
    expect(copies.every((c) => c.event_id === lost.event_id)).toBe(true);
    expect(await stack.stockOf(product.id)).toBe(10);
    expect((await stack.getOrder(buyer, order.id)).body.status).toBe('CANCELLED');
  });

  it('when nothing was lost, then products answers the first copy and no other is sent', async () => {
    const { buyer, product, order } = await completedOrder(10, 3);
    expect((await stack.cancelOrder(buyer, order.id)).body.status).toBe('CANCELLED');
    await eventually('the stock to come back', async () =>
      (await stack.stockOf(product.id)) === 10 ? true : undefined,
    );

    expect(await giveBackAnswered(order.id)).toHaveLength(1);
    expect(await stack.stockOf(product.id)).toBe(10);
  });

  it('when the cancel reaches products before its order.placed, then the stock is never taken, and the give-back is answered', async () => {
    const buyer = stack.user();
    const product = await stack.createProduct(stack.user('seller'), { stock: 10 });
    await worker.stop();
    const placed = await stack.placeOrder(buyer, [lineFor(product, 2)]);
    const placedFields = await stack.entry(
      stack.streams.ORDERS_STREAM,
      (f) => f.order_id === placed.body.id && f.type === 'order.placed',
    );
    expect((await stack.cancelOrder(buyer, placed.body.id)).body.status).toBe('CANCELLED');
    await stack.entry(
      stack.streams.ORDERS_STREAM,
      (f) => f.order_id === placed.body.id && f.type === 'order.cancelled',
    );

    // The order.placed arrives late: after the cancel on the stream.
    const redis = await stack.redis();
    for (const entry of await entriesOf(placed.body.id, 'order.placed'))
      await redis.xdel(stack.streams.ORDERS_STREAM, entry.id);
    await redis.xadd(stack.streams.ORDERS_STREAM, '*', ...Object.entries(placedFields).flat());
    worker = stack.startWorker();

    await giveBackAnswered(placed.body.id);
    await stack.drained(stack.streams.INVENTORY_STREAM, 'orders');
    expect(await stack.stockOf(product.id)).toBe(10);
    expect((await stack.getOrder(buyer, placed.body.id)).body.status).toBe('CANCELLED');
  });

  it("when products' database is down for longer than the old republish window, then every cancel gives its stock back exactly once afterwards", async () => {
    const buyer = stack.user();
    const product = await stack.createProduct(stack.user('seller'), { stock: 20 });
    const orders = [];
    for (let i = 0; i < 3; i += 1) {
      const placed = await stack.placeOrder(buyer, [lineFor(product, 2)]);
      orders.push((await stack.waitForStatus(buyer, placed.body.id, 'COMPLETED')).id);
    }
    expect(await stack.stockOf(product.id)).toBe(14);

    // No new connection to products' database, and every one it has is cut: its consumer fails every handling.
    const database = stack.databases.products.name;
    await ordersDb(async (admin) => {
      await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);
    }, testPgAdminUrl());
    try {
      for (const id of orders) expect((await stack.cancelOrder(buyer, id)).body.status).toBe('CANCELLED');
      // The earlier code gave up after 1 + 3 copies within 7 s, each burning deliveries: wait well past that.
      await sleep(12_000);
      const copies = (await Promise.all(orders.map((id) => giveBackCopies(id)))).map((c) => c.length);
      expect(Math.min(...copies)).toBeGreaterThanOrEqual(3);
    } finally {
      await ordersDb((admin) => admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`), testPgAdminUrl());
    }
    for (const id of orders) await giveBackAnswered(id);
    expect(await stack.stockOf(product.id)).toBe(20);
    expect(await (await stack.redis()).xlen(`${stack.streams.ORDERS_STREAM}:dead`)).toBe(0);
  });
});
