import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { stockReservations } from '../src/data/schema';
import { line, startWorkerHarness, type WorkerHarness } from './support/worker-harness';

/**
 * The worker applies a whole read in one transaction. Each test publishes its entries before
 * the worker starts, so they arrive as one batch (the log line of that batch proves it).
 */
describe('inventory worker: one batch, one transaction', () => {
  let h: WorkerHarness;
  beforeEach(async () => {
    h = await startWorkerHarness();
  });
  afterEach(() => h.close());

  const batchSizes = () =>
    h.logs.filter((l) => l.includes('orders batch applied')).map((l) => JSON.parse(l).applied as number);

  it('when one batch holds several orders for the same product, then each sees the stock the ones before it left, and the one that no longer fits takes nothing', async () => {
    const shared = await h.addProduct({ stock: 5 });
    const other = await h.addProduct({ stock: 10 });
    const orders = [
      h.placed({ lines: [line(shared, 2)] }),
      h.placed({ lines: [line(other, 1), line(shared, 2)] }),
      h.placed({ lines: [line(shared, 2), line(other, 3)] }),
    ];
    for (const order of orders) await h.publish(order);

    h.startWorker();
    await h.drained();

    expect(batchSizes()).toEqual([3]);
    const statuses = await Promise.all(orders.map(async (o) => (await h.waitForReplies(o.order_id))[0]));
    expect(statuses.map((r) => [r!.status, r!.reason])).toEqual([
      ['COMPLETED', ''],
      ['COMPLETED', ''],
      ['FAILED', 'OUT_OF_STOCK'],
    ]);
    expect((await h.product(shared.id)).stock).toBe(1);
    expect((await h.product(other.id)).stock).toBe(9); // the failed order's line on it took nothing
  });

  it('when one entry of a batch is poisoned, then it alone is dead-lettered and the rest of the batch applies', async () => {
    const product = await h.addProduct({ stock: 10 });
    const before = h.placed({ lines: [line(product, 1)] });
    const after = h.placed({ lines: [line(product, 2)] });
    await h.publish(before);
    await h.publish({ ...h.placed({ lines: [line(product, 3)] }), products: '[{"product_id": "not json' });
    await h.publish(after);

    h.startWorker();
    await h.drained();

    expect((await h.waitForReplies(before.order_id))[0]?.status).toBe('COMPLETED');
    expect((await h.waitForReplies(after.order_id))[0]?.status).toBe('COMPLETED');
    expect((await h.product(product.id)).stock).toBe(7);
    const dead = await h.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]?.dead_reason).toContain('products');
  });

  it('when a batch holds an order, a copy of it and its cancel, then the stock is taken once, given back once, and answered once', async () => {
    const product = await h.addProduct({ stock: 10 });
    const order = h.placed({ lines: [line(product, 4)] });
    const neighbour = h.placed({ lines: [line(product, 1)] });
    await h.publish(order);
    await h.publish(order); // a republish: the same event id
    await h.publish(h.cancelled(order));
    await h.publish(neighbour);

    h.startWorker();
    await h.drained();

    expect(batchSizes()).toEqual([4]);
    expect((await h.product(product.id)).stock).toBe(9);
    await h.waitForReplies(neighbour.order_id);
    expect(await h.waitForReplies(order.order_id)).toHaveLength(1); // the replies leave in one relay pass, after the batch
    const reservations = await h.db
      .select()
      .from(stockReservations)
      .where(eq(stockReservations.orderId, order.order_id));
    expect(reservations).toEqual([expect.objectContaining({ quantity: 4, releasedAt: expect.any(Date) })]);
    expect(await h.deadLetters()).toEqual([]);
  });

  it('when a batch holds a cancel of an order taken by an earlier batch, then exactly what that order took comes back', async () => {
    const product = await h.addProduct({ stock: 10 });
    const order = h.placed({ lines: [line(product, 3)] });
    await h.publish(order);
    const worker = h.startWorker();
    await h.waitForReplies(order.order_id);
    await worker.stop();

    await h.publish(h.cancelled(order));
    await h.publish(h.cancelled(order, randomUUID())); // a second cancel with another event id
    h.startWorker();
    await h.drained();

    expect((await h.product(product.id)).stock).toBe(10);
  });
});
