import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { startInboxPruner } from '@market/kit';
import { captureLogs } from '@market/kit/testing';
import { orderOutcomes } from '../src/data/schema';
import { line, startWorkerHarness, type WorkerHarness } from './support/worker-harness';

/** The inbox only speeds dedupe up: once its rows are pruned, copies are answered from the order's outcome. */
describe('inventory worker: copies that arrive after their inbox rows were pruned', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorkerHarness();
    h.startWorker();
  });
  afterAll(() => h.close());

  const inboxHas = async (eventId: string) =>
    (await h.pool.query('SELECT 1 FROM processed_messages WHERE event_id = $1', [eventId])).rowCount === 1;

  /** Makes the events look eight days old, then runs a pruner with the default week of retention. */
  async function pruneAsIfAWeekPassed(...eventIds: string[]): Promise<void> {
    await h.pool.query(
      `UPDATE processed_messages SET processed_at = now() - interval '8 days' WHERE event_id = ANY($1::uuid[])`,
      [eventIds],
    );
    const pruner = startInboxPruner({ pool: h.pool, logger: captureLogs().logger, intervalMs: 3_600_000 });
    await pruner.pruneOnce();
    await pruner.stop();
    for (const eventId of eventIds) expect(await inboxHas(eventId)).toBe(false);
  }

  it('when an order.placed is delivered again after its inbox row was pruned, then no stock is taken twice and the stored reply is sent again', async () => {
    const product = await h.addProduct({ stock: 10 });
    const placedId = randomUUID();
    const order = h.placed({ lines: [line(product, 3)], eventId: placedId });
    await h.publish(order);
    const [first] = await h.waitForReplies(order.order_id);
    await h.drained();
    await pruneAsIfAWeekPassed(placedId);

    await h.publish(order);
    const replies = await h.waitForReplies(order.order_id, 2);
    await h.drained();

    expect(await inboxHas(placedId)).toBe(true); // recorded as new: the inbox did not catch this copy
    expect(await h.product(product.id)).toMatchObject({ stock: 7, version: product.version + 1 });
    expect(first?.status).toBe('COMPLETED');
    expect(replies).toHaveLength(2);
    expect(replies[1]).toEqual(first);
  });

  it('when a cancelled order gets its order.cancelled and order.placed again after pruning, then the stock comes back once and nothing is taken', async () => {
    const product = await h.addProduct({ stock: 10 });
    const [placedId, cancelId] = [randomUUID(), randomUUID()];
    const order = h.placed({ lines: [line(product, 4)], eventId: placedId });
    const cancel = h.cancelled(order, cancelId);
    await h.publish(order);
    await h.waitForReplies(order.order_id);
    await h.publish(cancel);
    await h.drained();
    expect((await h.product(product.id)).stock).toBe(10);
    await pruneAsIfAWeekPassed(placedId, cancelId);

    await h.publish(cancel);
    await h.publish(order);
    await h.drained();

    expect(await inboxHas(cancelId)).toBe(true);
    expect(await h.product(product.id)).toMatchObject({ stock: 10, version: product.version + 2 });
    expect((await h.db.select().from(orderOutcomes).where(eq(orderOutcomes.orderId, order.order_id)))[0]?.status).toBe(
      'CANCELLED',
    );
    expect(await h.replies(order.order_id)).toHaveLength(1);
  });
});
