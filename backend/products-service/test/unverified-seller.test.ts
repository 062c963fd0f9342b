import { randomUUID } from 'node:crypto';
import { signTestToken } from '@market/kit/testing';
import { as, productInput, startTestApp, type TestApp, type TestUser } from './support/test-app';

describe('a seller whose email address is not verified', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const unverifiedSeller = (): TestUser => {
    const user = { id: randomUUID(), username: `seller-${randomUUID().slice(0, 8)}`, role: 'seller' as const };
    return { ...user, token: signTestToken(ctx.keys, { ...user, emailVerified: false }) };
  };

  it('when it lists a product, then 403 EMAIL_NOT_VERIFIED says what to do, and nothing is listed', async () => {
    const seller = unverifiedSeller();

    const res = await as(ctx.app, seller).post('/api/products', productInput());
    const mine = await as(ctx.app, seller).get('/api/products/mine');

    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: {
        code: 'EMAIL_NOT_VERIFIED',
        message: expect.stringMatching(/verify your email address to list a product/),
      },
    });
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual([]);
  });

  it('when the same seller is verified, then the same product is listed', async () => {
    const seller = unverifiedSeller();
    const verified = { ...seller, token: signTestToken(ctx.keys, { ...seller, emailVerified: true }) };

    const res = await as(ctx.app, verified).post('/api/products', productInput());

    expect(res.status).toBe(201);
  });
});
