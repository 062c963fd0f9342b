import { randomUUID } from 'node:crypto';
import { encodeUserEventsMessage, MESSAGE_VERSION } from '@market/contracts';
import { api, CSRF, eventually, startTestApp, type TestApp, type TestUser } from './support/test-app';

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
});
