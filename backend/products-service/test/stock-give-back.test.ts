import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { orderOutcomes } from '../src/data/schema';
import { eventually } from '@market/kit/testing';
import { line, startWorkerHarness, type WorkerHarness } from './support/worker-harness';

describe('inventory worker: order.cancelled, ordering and poison messages', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorkerHarness();
    h.startWorker();
  });
  afterAll(() => h.close());

  /** Waits until products answered each of these cancels (inventory.released naming it) and returns the answers. */
  const answeredAll = (orderId: string, cancelEventIds: string[]) =>
    eventually(
      async () => {
        const answered = new Set((await h.releases(orderId)).map((r) => r.cancel_event_id));
        return cancelEventIds.every((id) => answered.has(id)) ? answered : undefined;
      },
      { what: `inventory.released for ${cancelEventIds.length} cancels of ${orderId}` },
    );

  const outcomeOf = async (orderId: string) =>
    (await h.db.select().from(orderOutcomes).where(eq(orderOutcomes.orderId, orderId)))[0];

  it('when a completed order is cancelled, and the cancel is delivered twice and cancelled again, then the stock comes back exactly once', async () => {
    const product = await h.addProduct({ stock: 10 });
    const other = await h.addProduct({ stock: 4 });
    const order = h.placed({ lines: [line(product, 3), line(other, 4)] });
    await h.publish(order);
    await h.waitForReplies(order.order_id);
    const cancel = h.cancelled(order);
    const another = h.cancelled(order);

    await h.publish(cancel);
    await h.publish(cancel);
    await h.publish(another);
    await h.drained();

    expect(await h.product(product.id)).toMatchObject({ stock: 10, version: product.version + 2 });
    expect((await h.product(other.id)).stock).toBe(4);
    expect((await outcomeOf(order.order_id))?.status).toBe('CANCELLED');
    expect(await h.replies(order.order_id)).toHaveLength(1);
    // Every cancel is answered, so orders stops sending it; a copy delivered again is answered again.
    await answeredAll(order.order_id, [cancel.event_id!, another.event_id!]);
  });

  it('when the cancel arrives before its order.placed, then the placed order takes nothing', async () => {
    const product = await h.addProduct({ stock: 10 });
    const order = h.placed({ lines: [line(product, 2)] });

    const cancel = h.cancelled(order);
    await h.publish(cancel);
    await h.publish(order);
    await h.drained();

    expect((await h.product(product.id)).stock).toBe(10);
    expect((await outcomeOf(order.order_id))?.status).toBe('CANCELLED');
    expect(await h.replies(order.order_id)).toEqual([]);
    await answeredAll(order.order_id, [cancel.event_id!]);
  });

  it('when a failed order is cancelled, then nothing is given back', async () => {
    const product = await h.addProduct({ stock: 1 });
    const order = h.placed({ lines: [line(product, 2)] });
    await h.publish(order);
    await h.waitForReplies(order.order_id);

    const cancel = h.cancelled(order);
    await h.publish(cancel);
    await h.drained();

    expect((await h.product(product.id)).stock).toBe(1);
    expect((await outcomeOf(order.order_id))?.status).toBe('REJECTED');
    await answeredAll(order.order_id, [cancel.event_id!]);
  });

  it.each([
    ['fields that are not an order message', { hello: 'world' }],
    ['products that are not JSON', { products: '[{"product_id":' }],
    ['a quantity of zero', { products: JSON.stringify([{ product_id: randomUUID(), quantity: 0, price: '1.00' }]) }],
    ['a float price', { products: JSON.stringify([{ product_id: randomUUID(), quantity: 1, price: 1.5 }]) }],
    ['an unknown type', { type: 'order.shipped' }],
  ])(
    'when a message has %s, then it goes to the dead-letter stream and the next message is still applied',
    async (_case, poison) => {
      const product = await h.addProduct({ stock: 5 });
      const base = h.placed({ lines: [line(product, 1)] });
      const poisonFields = 'hello' in poison ? poison : { ...base, ...poison, event_id: randomUUID() };
      const before = (await h.deadLetters()).length;

      const poisonId = await h.publish(poisonFields);
      const next = h.placed({ lines: [line(product, 1)] });
      await h.publish(next);

      expect((await h.waitForReplies(next.order_id))[0]?.status).toBe('COMPLETED');
      const dead = await eventually(
        async () => {
          const all = await h.deadLetters();
          return all.length > before ? all : undefined;
        },
        { intervalMs: 25, what: 'a dead letter' },
      );
      expect(dead.at(-1)).toMatchObject({
        dead_original_id: poisonId,
        dead_group: 'products',
        dead_reason: expect.stringContaining('invalid'),
      });
      await h.drained();
      expect((await h.product(product.id)).stock).toBe(4);
    },
  );
});
