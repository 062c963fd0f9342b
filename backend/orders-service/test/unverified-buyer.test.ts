import { randomUUID } from 'node:crypto';
import { signTestToken, uniqueSuffix } from '@market/kit/testing';
import { api, CSRF, line, placeOrder, startTestApp, type TestApp, type TestUser } from './support/test-app';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(async () => {
  await ctx.close();
});

const unverifiedBuyer = (): TestUser => {
  const user = { id: randomUUID(), username: `buyer-${uniqueSuffix()}`, role: 'buyer' as const };
  return { ...user, cookie: `access_token=${signTestToken(ctx.keys, { ...user, emailVerified: false })}` };
};

describe('a buyer whose email address is not verified', () => {
  it('when it places an order, then 403 EMAIL_NOT_VERIFIED says what to do, and no order exists', async () => {
    const buyer = unverifiedBuyer();

    const res = await placeOrder(ctx, buyer, [line()]);
    const orders = await api(ctx).get('/api/orders').set('Cookie', buyer.cookie);

    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: {
        code: 'EMAIL_NOT_VERIFIED',
        message: expect.stringMatching(/verify your email address to place an order/),
      },
    });
    expect(orders.status).toBe(200);
    expect(orders.body.data).toEqual([]);
  });

  it('when it fills its cart, then the cart is saved', async () => {
    const buyer = unverifiedBuyer();
    const cartLine = {
      productId: randomUUID(),
      quantity: 1,
      name: 'Walnut desk lamp',
      unitPrice: '19.99',
      stock: 3,
      sellerId: randomUUID(),
    };

    const res = await api(ctx)
      .put('/api/cart')
      .set(CSRF)
      .set('Cookie', buyer.cookie)
      .send({ lines: [cartLine], version: 0 });

    expect(res.status).toBe(200);
    expect(res.body.lines).toHaveLength(1);
  });
});
