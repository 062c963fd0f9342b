import { randomUUID } from 'node:crypto';
import { encodeUserEventsMessage, MESSAGE_VERSION } from '@market/contracts';
import type { Order } from '@market/contracts';
import {
  api,
  CSRF,
  eventually,
  getOrder,
  line as orderLine,
  publishReply,
  startTestApp,
  waitForStatus,
  type TestApp,
  type TestUser,
} from './support/test-app';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(async () => {
  await ctx.close();
});

const line = {
  productId: randomUUID(),
  quantity: 1,
  name: 'Walnut desk lamp',
  unitPrice: '19.99',
  stock: 12,
  sellerId: randomUUID(),
};

async function savedCart(user: TestUser): Promise<void> {
  await api(ctx)
    .put('/api/cart')
    .set(CSRF)
    .set('Cookie', user.cookie)
    .send({ lines: [line], version: 0 })
    .expect(200);
}

const cartOf = async (user: TestUser) => (await api(ctx).get('/api/cart').set('Cookie', user.cookie)).body as object;

const userDeleted = (userId: string, eventId = randomUUID()) =>
  encodeUserEventsMessage({
    version: MESSAGE_VERSION,
    event_id: eventId,
    type: 'user.deleted',
    user_id: userId,
    occurred_at: new Date().toISOString(),
  });

const ADDRESS = { name: 'Grace Hopper', line1: '1 Navy Yard', city: 'Arlington', postalCode: '22202', country: 'US' };

async function orderShippedTo(user: TestUser): Promise<Order> {
  const saved = await api(ctx).post('/api/addresses').set(CSRF).set('Cookie', user.cookie).send(ADDRESS).expect(201);
  const placed = await api(ctx)
    .post('/api/orders')
    .set(CSRF)
    .set('Cookie', user.cookie)
    .set('Idempotency-Key', randomUUID())
    .send({ items: [orderLine()], shippingAddressId: (saved.body as { id: string }).id })
    .expect(202);
  return placed.body as Order;
}

const announce = (userId: string) =>
  ctx.redis.xadd(ctx.config.USER_EVENTS_STREAM, '*', ...Object.entries(userDeleted(userId)).flat());

describe('user.deleted on USER_EVENTS_STREAM', () => {
  it('when an account is deleted, then its saved cart is erased and nobody else’s', async () => {
    const leaving = ctx.user();
    const staying = ctx.user();
    await savedCart(leaving);
    await savedCart(staying);

    await ctx.redis.xadd(ctx.config.USER_EVENTS_STREAM, '*', ...Object.entries(userDeleted(leaving.id)).flat());

    await eventually(async () => {
      expect(await cartOf(leaving)).toEqual({ lines: [], version: 0, updatedAt: null });
      return true;
    });
    expect(await cartOf(staying)).toMatchObject({ lines: [line], version: 1 });
  });

  it('when a user.changed arrives (the mailer’s copy of an account), then nothing of the user is erased', async () => {
    const changed = ctx.user();
    await savedCart(changed);
    const fields = encodeUserEventsMessage({
      version: MESSAGE_VERSION,
      event_id: randomUUID(),
      type: 'user.changed',
      user_id: changed.id,
      email: 'someone@example.com',
      username: changed.username,
      role: 'buyer',
      sale_emails: 'true',
      order_emails: 'false',
      occurred_at: new Date().toISOString(),
    });
    await ctx.redis.xadd(ctx.config.USER_EVENTS_STREAM, '*', ...Object.entries(fields).flat());
    // A user.deleted of someone else after it: once that applied, the user.changed was read too.
    const marker = ctx.user();
    await savedCart(marker);
    await announce(marker.id);
    await eventually(async () => {
      expect(await cartOf(marker)).toEqual({ lines: [], version: 0, updatedAt: null });
      return true;
    });

    expect(await cartOf(changed)).toMatchObject({ lines: [line], version: 1 });
  });

  it('when the same event arrives twice and a malformed entry beside it, then the copy does no harm and the bad one is dead-lettered', async () => {
    const leaving = ctx.user();
    await savedCart(leaving);
    const event = userDeleted(leaving.id);

    await ctx.redis.xadd(ctx.config.USER_EVENTS_STREAM, '*', ...Object.entries(event).flat());
    await ctx.redis.xadd(ctx.config.USER_EVENTS_STREAM, '*', 'type', 'user.deleted', 'user_id', 'not-a-uuid');
    await ctx.redis.xadd(ctx.config.USER_EVENTS_STREAM, '*', ...Object.entries(event).flat());

    await eventually(async () => {
      expect(await cartOf(leaving)).toEqual({ lines: [], version: 0, updatedAt: null });
      expect(await ctx.redis.xlen(`${ctx.config.USER_EVENTS_STREAM}:dead`)).toBe(1);
      return true;
    });
  });

  it('when a buyer with addresses and orders is deleted, then the addresses go, and so does the copy on every order with nothing left to deliver', async () => {
    const leaving = ctx.user();
    const failed = await orderShippedTo(leaving);
    await publishReply(ctx, failed, { status: 'FAILED', reason: 'OUT_OF_STOCK' });
    const onItsWay = await orderShippedTo(leaving);
    await publishReply(ctx, onItsWay, { status: 'COMPLETED' });
    await waitForStatus(ctx, leaving, failed.id, 'FAILED');
    await waitForStatus(ctx, leaving, onItsWay.id, 'COMPLETED');

    await announce(leaving.id);

    await eventually(async () => {
      const list = await api(ctx).get('/api/addresses').set('Cookie', leaving.cookie);
      expect(list.body).toEqual({ data: [] });
      expect((await getOrder(ctx, leaving, failed.id)).body).toMatchObject({ shippingAddress: null });
      return true;
    });
    // Its seller has not delivered it yet: the address it ships to stays until then.
    expect((await getOrder(ctx, leaving, onItsWay.id)).body).toMatchObject({
      shippingAddress: { name: 'Grace Hopper' },
    });
  });
});
