import { randomUUID } from 'node:crypto';
import {
  getOrder,
  line,
  placedOrder,
  publishReply,
  readStream,
  startTestApp,
  waitForStatus,
  eventually,
  type TestApp,
} from './support/test-app';

/**
 * The consumer applies a whole read in one transaction. Each test stops the first replica's
 * consumer, publishes its replies, then starts a consuming replica that reads them as one batch.
 */
describe('inventory.result consumer: one batch, one transaction', () => {
  let ctx: TestApp;
  beforeEach(async () => {
    ctx = await startTestApp();
    await ctx.messaging.worker!.consumer.stop();
  });
  afterEach(() => ctx.close());

  const deadLetters = async () => readStream(ctx.redis, `${ctx.config.INVENTORY_STREAM}:dead`);
  const processed = async (eventId: string) =>
    (await ctx.pool.query('SELECT 1 FROM processed_messages WHERE event_id = $1', [eventId])).rowCount;

  it('when a batch mixes replies for several orders, a duplicate and a poisoned entry, then each valid reply applies once and only the poisoned one is dead-lettered', async () => {
    const buyer = ctx.user();
    const [a, b, c] = [
      await placedOrder(ctx, buyer),
      await placedOrder(ctx, buyer),
      await placedOrder(ctx, buyer, [line({ quantity: 2, unitPrice: '4.50' })]),
    ];
    const completedA = await publishReply(ctx, a, { status: 'COMPLETED' });
    await ctx.redis.xadd(
      ctx.config.INVENTORY_STREAM,
      '*',
      'type',
      'inventory.result',
      'order_id',
      b.id,
      'status',
      'MAYBE',
    );
    await publishReply(ctx, a, { status: 'COMPLETED', unitPrice: '99.00' }, completedA); // a redelivered copy
    await publishReply(ctx, b, { status: 'FAILED', reason: 'OUT_OF_STOCK' });
    await publishReply(ctx, c, { status: 'COMPLETED' });

    await ctx.startReplica({ consume: true });

    expect((await waitForStatus(ctx, buyer, a.id, 'COMPLETED')).total).toBe('10.00');
    expect(await waitForStatus(ctx, buyer, b.id, 'FAILED')).toMatchObject({ reason: 'OUT_OF_STOCK', total: null });
    expect((await waitForStatus(ctx, buyer, c.id, 'COMPLETED')).total).toBe('9.00');
    const dead = await eventually(async () => ((await deadLetters()).length === 1 ? deadLetters() : undefined), {
      what: 'one dead letter',
    });
    expect(dead[0]?.fields).toMatchObject({ order_id: b.id, status: 'MAYBE' });
  });

  it('when a reply in a batch does not price its order as ordered, then it alone is refused, leaves no inbox row, and the others apply', async () => {
    const buyer = ctx.user();
    const good = await placedOrder(ctx, buyer);
    const bad = await placedOrder(ctx, buyer, [line({ quantity: 2 }), line()]);
    const badReply = await publishReply(ctx, { ...bad, items: bad.items.slice(0, 1) }, { status: 'COMPLETED' });
    await publishReply(ctx, good, { status: 'COMPLETED' });

    await ctx.startReplica({ consume: true });

    await waitForStatus(ctx, buyer, good.id, 'COMPLETED');
    await eventually(
      async () => ((await deadLetters()).some((e) => e.fields.event_id === badReply) ? true : undefined),
      { what: 'the refused reply dead-lettered' },
    );
    expect((await getOrder(ctx, buyer, bad.id)).body).toMatchObject({ status: 'PENDING', total: null });
    expect(await processed(badReply)).toBe(0);
  });

  it('when a batch holds a FAILED and then a COMPLETED reply for the same order, then the first one wins', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    await publishReply(ctx, order, { status: 'FAILED', reason: 'PRICE_CHANGED' });
    await publishReply(ctx, order, { status: 'COMPLETED' }, randomUUID());

    await ctx.startReplica({ consume: true });

    await waitForStatus(ctx, buyer, order.id, 'FAILED');
    await eventually(
      async () => {
        const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM processed_messages');
        return rows[0]!.n === 2 ? true : undefined;
      },
      { what: 'both replies recorded' },
    );
    expect((await getOrder(ctx, buyer, order.id)).body).toMatchObject({
      status: 'FAILED',
      reason: 'PRICE_CHANGED',
      total: null,
    });
  });
});
