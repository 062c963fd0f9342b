import { randomUUID } from 'node:crypto';
import { verifyUnsubscribeToken } from '@market/kit';
import { eventually, sleep } from '@market/kit/testing';
import { sellerLines, startTestWorker, UNSUBSCRIBE_SECRET, type TestWorker } from './support/test-worker';

let ctx: TestWorker;
beforeAll(async () => {
  ctx = await startTestWorker();
});
afterAll(async () => {
  await ctx.close();
});

const mailsTo = (email: string) => ctx.smtp.messages.filter((m) => m.to.includes(email));
const tokenIn = (text: string) => /\/unsubscribe\?token=([^\s]+)/.exec(text)?.[1];

/** Waits until the worker has handled every order event up to a marker event that mails `marker`. */
async function afterMarker(): Promise<void> {
  const marker = await ctx.announce({});
  await waitForRecipient(marker.id);
  await ctx.publishOrderEvent({ buyer_id: marker.id, status: 'CANCELLED', total: '' });
  await ctx.smtp.waitFor((m) => m.to.includes(marker.email));
}

const waitForRecipient = (userId: string) =>
  eventually(
    async () => {
      const { rows } = await ctx.pool.query('SELECT 1 FROM recipients WHERE user_id = $1', [userId]);
      return rows.length > 0 || undefined;
    },
    { what: `recipient ${userId}` },
  );

describe('order mails', () => {
  it('when an order completes, then the buyer gets one mail with the lines, the total, a link to the order and a signed unsubscribe link', async () => {
    const buyer = await ctx.announce({});
    await waitForRecipient(buyer.id);
    const event = await ctx.publishOrderEvent({
      buyer_id: buyer.id,
      total: '15.00',
      sellers: [sellerLines(randomUUID(), ['Walnut lamp', 'Oak shelf'])],
    });

    const mail = await ctx.smtp.waitFor((m) => m.to.includes(buyer.email));

    expect(mail.subject).toBe(`Your order is confirmed (${event.order_id.slice(0, 8)})`);
    expect(mail.messageId).toBe(`<${event.event_id}.buyer@shop.test>`);
    expect(mail.text).toContain(`Hello ${buyer.username}`);
    expect(mail.text).toContain('Total: 15.00');
    expect(mail.text).toContain('1 × Walnut lamp at 5.00');
    expect(mail.text).toContain('2 × Oak shelf at 5.00');
    expect(mail.text).toContain(`https://shop.test/orders/${event.order_id}`);
    expect(mail.html).toContain(`href="https://shop.test/orders/${event.order_id}"`);
    const token = decodeURIComponent(tokenIn(mail.text)!);
    expect(verifyUnsubscribeToken(UNSUBSCRIBE_SECRET, token)).toEqual({ userId: buyer.id, kind: 'order' });
  });

  it('when an order fails, then the buyer reads the reason in plain words, never its code', async () => {
    const buyer = await ctx.announce({});
    await waitForRecipient(buyer.id);
    await ctx.publishOrderEvent({ buyer_id: buyer.id, status: 'FAILED', reason: 'OUT_OF_STOCK', total: '' });
    await ctx.publishOrderEvent({ buyer_id: buyer.id, status: 'FAILED', reason: 'TIMED_OUT', total: '' });

    await eventually(async () => mailsTo(buyer.email).length === 2 || undefined, { what: 'two failure mails' });
    const [first, second] = mailsTo(buyer.email);
    expect(first!.subject).toMatch(/^Your order could not be placed/);
    expect(first!.text).toContain('one of the products no longer had enough stock for your quantity');
    expect(second!.text).toContain('could not confirm the stock in time');
    expect(`${first!.text}${second!.text}`).not.toMatch(/OUT_OF_STOCK|TIMED_OUT/);
  });

  it('when an order is cancelled, then the buyer is told; a PENDING order mails nobody', async () => {
    const buyer = await ctx.announce({});
    await waitForRecipient(buyer.id);
    const orderId = randomUUID();
    await ctx.publishOrderEvent({ buyer_id: buyer.id, order_id: orderId, status: 'PENDING', total: '' });
    await ctx.publishOrderEvent({ buyer_id: buyer.id, order_id: orderId, status: 'CANCELLED', total: '' });

    const mail = await ctx.smtp.waitFor((m) => m.to.includes(buyer.email));
    await afterMarker();
    expect(mail.subject).toMatch(/^Your order was cancelled/);
    expect(mailsTo(buyer.email)).toHaveLength(1);
  });

  it('when the same event is delivered twice, then one mail goes out', async () => {
    const buyer = await ctx.announce({});
    await waitForRecipient(buyer.id);
    const event = await ctx.publishOrderEvent({ buyer_id: buyer.id });
    await ctx.smtp.waitFor((m) => m.to.includes(buyer.email));

    await ctx.publishOrderEvent(event);
    await afterMarker();

    expect(mailsTo(buyer.email)).toHaveLength(1);
  });

  it('when an order holds the products of two sellers, then each seller gets one mail with their own lines only', async () => {
    const buyer = await ctx.announce({});
    const [ann, bob] = [await ctx.announce({}), await ctx.announce({})];
    await Promise.all([buyer, ann, bob].map((p) => waitForRecipient(p.id)));

    const event = await ctx.publishOrderEvent({
      buyer_id: buyer.id,
      sellers: [sellerLines(ann.id, ['Ann lamp', 'Ann chair']), sellerLines(bob.id, ['Bob rug'])],
    });
    await ctx.smtp.waitFor((m) => m.to.includes(ann.email));
    await ctx.smtp.waitFor((m) => m.to.includes(bob.email));
    await afterMarker();

    const [toAnn] = mailsTo(ann.email);
    const [toBob] = mailsTo(bob.email);
    expect(mailsTo(ann.email)).toHaveLength(1);
    expect(mailsTo(bob.email)).toHaveLength(1);
    expect(toAnn!.subject).toBe(`You made a sale (order ${event.order_id.slice(0, 8)})`);
    expect(toAnn!.text).toContain('Ann lamp');
    expect(toAnn!.text).toContain('Ann chair');
    expect(toAnn!.text).not.toContain('Bob rug');
    expect(toBob!.text).toContain('Bob rug');
    expect(toBob!.text).not.toContain('Ann lamp');
    expect(toAnn!.messageId).not.toBe(toBob!.messageId);
    expect(verifyUnsubscribeToken(UNSUBSCRIBE_SECRET, decodeURIComponent(tokenIn(toAnn!.text)!))).toEqual({
      userId: ann.id,
      kind: 'sale',
    });
  });

  it('when a buyer turned order emails off and a seller sale emails off, then neither is mailed', async () => {
    const buyer = await ctx.announce({});
    const seller = await ctx.announce({});
    await Promise.all([buyer, seller].map((p) => waitForRecipient(p.id)));
    await ctx.announce({ ...buyer, orderEmails: false });
    await ctx.announce({ ...seller, saleEmails: false });
    await eventually(async () => {
      const { rows } = await ctx.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM recipients WHERE user_id = ANY($1) AND NOT (order_emails AND sale_emails)',
        [[buyer.id, seller.id]],
      );
      return rows[0]!.n === 2 || undefined;
    });

    await ctx.publishOrderEvent({ buyer_id: buyer.id, sellers: [sellerLines(seller.id, ['Quiet lamp'])] });
    await afterMarker();

    expect(mailsTo(buyer.email)).toHaveLength(0);
    expect(mailsTo(seller.email)).toHaveLength(0);
  });

  it('when the SMTP server is down for a minute, then the mail arrives once it is back, and nothing is dead-lettered', async () => {
    const buyer = await ctx.announce({});
    await waitForRecipient(buyer.id);
    await ctx.smtp.stop();
    try {
      await ctx.publishOrderEvent({ buyer_id: buyer.id });
      await sleep(60_000);
      expect(mailsTo(buyer.email)).toHaveLength(0);
    } finally {
      await ctx.smtp.start();
    }

    // The retries back off to 30 s at most while the server is away.
    await ctx.smtp.waitFor((m) => m.to.includes(buyer.email), 45_000);
    expect(mailsTo(buyer.email)).toHaveLength(1);
    expect(await ctx.redis.xlen(`${ctx.config.ORDER_EVENTS_STREAM}:dead`)).toBe(0);
  }, 150_000);
});
