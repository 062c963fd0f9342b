import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { eventually } from '@market/kit/testing';
import { startTestWorker, type TestWorker } from './support/test-worker';

/** A server that answers every connection with a permanent refusal, as a relay refusing the sender does. */
async function refusingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = net.createServer((socket) => {
    socket.end('554 5.7.1 sender refused\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('order mails the SMTP server refuses', () => {
  let ctx: TestWorker;
  let refusing: Awaited<ReturnType<typeof refusingServer>>;
  beforeAll(async () => {
    refusing = await refusingServer();
    ctx = await startTestWorker({ SMTP_URL: refusing.url, STREAM_MAX_DELIVERIES: '3' });
  });
  afterAll(async () => {
    await ctx.close();
    await refusing.close();
  });

  it('when every attempt is refused, then after STREAM_MAX_DELIVERIES the event is dead-lettered with the reason and acknowledged', async () => {
    const buyer = await ctx.announce({});
    await eventually(async () => {
      const { rows } = await ctx.pool.query('SELECT 1 FROM recipients WHERE user_id = $1', [buyer.id]);
      return rows.length > 0 || undefined;
    });
    const event = await ctx.publishOrderEvent({ buyer_id: buyer.id });

    const [dead] = await eventually(
      async () => {
        const entries = await ctx.redis.xrange(`${ctx.config.ORDER_EVENTS_STREAM}:dead`, '-', '+');
        return entries.length > 0 ? entries : undefined;
      },
      { timeoutMs: 30_000, what: 'a dead letter' },
    );
    const fields = Object.fromEntries(
      Array.from({ length: dead![1].length / 2 }, (_, i) => [dead![1][2 * i], dead![1][2 * i + 1]]),
    );
    expect(fields).toMatchObject({ event_id: event.event_id, order_id: event.order_id });
    expect(JSON.stringify(fields)).toContain('sending mail through smtp://127.0.0.1');
    const pending = (await ctx.redis.xpending(ctx.config.ORDER_EVENTS_STREAM, 'notifications')) as [number];
    expect(pending[0]).toBe(0);
    const { rows } = await ctx.pool.query('SELECT 1 FROM processed_messages WHERE event_id = $1', [event.event_id]);
    expect(rows).toHaveLength(0);
  }, 60_000);
});
