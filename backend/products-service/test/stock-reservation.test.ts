import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { sleep } from '@market/kit/testing';
import { line, startWorkerHarness, type WorkerHarness } from './support/worker-harness';

describe('inventory worker: order.placed on the orders stream', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorkerHarness();
    h.startWorker();
  });
  afterAll(() => h.close());

  it('when every line can be served, then stock is taken and a COMPLETED reply carries catalog prices, names and seller ids', async () => {
    const kettle = await h.addProduct({ name: 'Kettle', price: '19.99', stock: 10 });
    const mug = await h.addProduct({ name: 'Mug', price: '4.50', stock: 5 });
    const order = h.placed({ lines: [line(kettle, 2), line(mug, 1)] });

    await h.publish(order);
    const [reply] = await h.waitForReplies(order.order_id);

    expect(reply).toMatchObject({
      type: 'inventory.result',
      status: 'COMPLETED',
      reason: '',
      correlation_id: order.correlation_id,
      items: [
        { product_id: kettle.id, quantity: 2, unit_price: '19.99', product_name: 'Kettle', seller_id: kettle.sellerId },
        { product_id: mug.id, quantity: 1, unit_price: '4.50', product_name: 'Mug', seller_id: mug.sellerId },
      ],
    });
    expect(await h.product(kettle.id)).toMatchObject({ stock: 8, version: kettle.version + 1 });
    expect(await h.product(mug.id)).toMatchObject({ stock: 4, version: mug.version + 1 });
  });

  it.each([
    ['OUT_OF_STOCK', { stock: 2 }, 3, undefined],
    ['PRICE_CHANGED', { price: '19.99' }, 1, '18.99'],
    ['PRODUCT_UNAVAILABLE', { status: 'archived' as const }, 1, undefined],
  ])(
    'when a line is %s, then the reply is FAILED with that reason and nothing is taken',
    async (reason, productOverrides, quantity, seenPrice) => {
      const product = await h.addProduct({ stock: 5, ...productOverrides });
      const order = h.placed({ lines: [line(product, quantity, seenPrice)] });

      await h.publish(order);
      const [reply] = await h.waitForReplies(order.order_id);

      expect(reply).toMatchObject({ status: 'FAILED', reason, items: [] });
      expect(await h.product(product.id)).toMatchObject({ stock: product.stock, version: product.version });
    },
  );

  it('when a line names a product an admin unlisted, then the reply is FAILED PRODUCT_UNAVAILABLE and nothing is taken', async () => {
    const product = await h.addProduct({ stock: 5 });
    await h.pool.query(`UPDATE products SET status = 'unlisted', moderation_reason = 'Replica watch' WHERE id = $1`, [
      product.id,
    ]);
    const order = h.placed({ lines: [line(product, 1)] });

    await h.publish(order);

    expect((await h.waitForReplies(order.order_id))[0]).toMatchObject({
      status: 'FAILED',
      reason: 'PRODUCT_UNAVAILABLE',
    });
    expect(await h.product(product.id)).toMatchObject({ stock: 5 });
  });

  it('when a line names a product that does not exist, then the reply is FAILED PRODUCT_UNAVAILABLE', async () => {
    const order = h.placed({ lines: [{ product_id: randomUUID(), quantity: 1, price: '1.00' }] });

    await h.publish(order);

    expect((await h.waitForReplies(order.order_id))[0]).toMatchObject({
      status: 'FAILED',
      reason: 'PRODUCT_UNAVAILABLE',
    });
  });

  it('when the buyer is the seller of a line, then the reply is FAILED OWN_PRODUCT and nothing is taken', async () => {
    const seller = randomUUID();
    const product = await h.addProduct({ sellerId: seller, stock: 5 });
    const order = h.placed({ buyerId: seller, lines: [line(product, 1)] });

    await h.publish(order);

    expect((await h.waitForReplies(order.order_id))[0]).toMatchObject({ status: 'FAILED', reason: 'OWN_PRODUCT' });
    expect((await h.product(product.id)).stock).toBe(5);
  });

  it('when one line of several is short, then the order takes nothing from any line', async () => {
    const plenty = await h.addProduct({ stock: 100 });
    const alsoPlenty = await h.addProduct({ stock: 100 });
    const short = await h.addProduct({ stock: 1 });
    const order = h.placed({ lines: [line(plenty, 5), line(short, 2), line(alsoPlenty, 5)] });

    await h.publish(order);

    expect((await h.waitForReplies(order.order_id))[0]).toMatchObject({ status: 'FAILED', reason: 'OUT_OF_STOCK' });
    expect([
      (await h.product(plenty.id)).stock,
      (await h.product(short.id)).stock,
      (await h.product(alsoPlenty.id)).stock,
    ]).toEqual([100, 1, 100]);
  });

  it('when the same event is delivered twice, then the stock is taken once', async () => {
    const product = await h.addProduct({ stock: 10 });
    const order = h.placed({ lines: [line(product, 3)] });

    await h.publish(order);
    await h.publish(order);
    await h.drained();

    expect((await h.product(product.id)).stock).toBe(7);
    const replies = await h.waitForReplies(order.order_id);
    expect(new Set(replies.map((r) => r.event_id)).size).toBe(1);
  });

  it('when an order is republished with a new event id, then the same reply is sent again and nothing is taken twice', async () => {
    const product = await h.addProduct({ stock: 10 });
    const order = h.placed({ lines: [line(product, 4)] });
    await h.publish(order);
    const [first] = await h.waitForReplies(order.order_id);
    // A copy that arrives while the first reply's outbox row still waits for its (batched)
    // delete is not answered again: that reply is on its way. Republishes come much later.
    await h.drained();

    await h.publish({ ...order, event_id: randomUUID() });
    const replies = await h.waitForReplies(order.order_id, 2);

    expect(replies[1]).toEqual(first);
    expect((await h.product(product.id)).stock).toBe(6);
  });

  it('when more orders than units arrive at two consumers at once, then exactly the units are sold and every order is answered', async () => {
    h.startWorker(`second-${randomUUID().slice(0, 8)}`);
    const product = await h.addProduct({ stock: 10 });
    const orders = Array.from({ length: 30 }, () => h.placed({ lines: [line(product, 1)] }));

    await Promise.all(orders.map((o) => h.publish(o)));
    const replies = await Promise.all(orders.map(async (o) => (await h.waitForReplies(o.order_id))[0]!));

    expect(replies.filter((r) => r.status === 'COMPLETED')).toHaveLength(10);
    expect(replies.filter((r) => r.status === 'FAILED').every((r) => r.reason === 'OUT_OF_STOCK')).toBe(true);
    expect((await h.product(product.id)).stock).toBe(0);
  });
});

describe('inventory worker: product row locks', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    // Two consumers on one stream, each reading batches of up to 16 entries.
    h = await startWorkerHarness({ STREAM_BATCH_SIZE: 16 });
    h.startWorker();
    h.startWorker(`second-${randomUUID().slice(0, 8)}`);
  });
  afterAll(() => h.close());

  it('when orders lock the same two products from opposite line orders at two consumers, then none deadlocks, fails or is dead-lettered', async () => {
    const a = await h.addProduct({ stock: 1000 });
    const b = await h.addProduct({ stock: 1000 });
    const logsBefore = h.logs.length;
    const deadLettersBefore = (await h.deadLetters()).length;
    const quantity = (i: number) => (i % 3) + 1;
    const lineSets = Array.from({ length: 20 }, (_, i) => [
      [line(a, quantity(i)), line(b, quantity(i + 1))],
      [line(b, quantity(i)), line(a, quantity(i + 2))],
    ]).flat();
    const orders = lineSets.map((lines) => h.placed({ lines }));
    const taken = (id: string) => lineSets.flat().reduce((sum, l) => sum + (l.product_id === id ? l.quantity : 0), 0);

    await Promise.all(orders.map((o) => h.publish(o)));
    const replies = await Promise.all(orders.map(async (o) => (await h.waitForReplies(o.order_id))[0]!));

    expect(replies.map((r) => r.status)).toEqual(orders.map(() => 'COMPLETED'));
    expect(await h.deadLetters()).toHaveLength(deadLettersBefore);
    // A deadlock is retried and may still end COMPLETED, so the handler must not have failed at all.
    expect(h.logs.slice(logsBefore).filter((l) => /deadlock|entry failed/i.test(l))).toEqual([]);
    expect((await h.product(a.id)).stock).toBe(1000 - taken(a.id));
    expect((await h.product(b.id)).stock).toBe(1000 - taken(b.id));
  });

  it('when another session holds a product row locked past the lock timeout, then the consumer retries without dead-lettering and applies the order once the lock is gone', async () => {
    const product = await h.addProduct({ stock: 5 });
    const holder = new Client({ connectionString: h.database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM products WHERE id = $1 FOR UPDATE', [product.id]);
      const order = h.placed({ lines: [line(product, 2)] });
      await h.publish(order);
      // The pool's lock_timeout (5 s) fails the batch; it is retried, not counted: 3 deliveries would dead-letter it.
      await sleep(12_000);
      expect(await h.replies(order.order_id)).toEqual([]);
      await holder.query('COMMIT');
      const [reply] = await h.waitForReplies(order.order_id);
      expect(reply).toMatchObject({ status: 'COMPLETED' });
    } finally {
      await holder.end();
    }
    expect(await h.product(product.id)).toMatchObject({ stock: 3 });
    expect(await h.deadLetters()).toEqual([]);
  });
});
