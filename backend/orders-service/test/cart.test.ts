import { randomUUID } from 'node:crypto';
import { signTestToken } from '@market/kit/testing';
import { api, CSRF, startTestApp, type TestApp, type TestUser } from './support/test-app';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(async () => {
  await ctx.close();
});

const cartLine = (overrides: Record<string, unknown> = {}) => ({
  productId: randomUUID(),
  quantity: 2,
  name: 'Walnut desk lamp',
  unitPrice: '19.99',
  stock: 12,
  sellerId: randomUUID(),
  ...overrides,
});

const getCart = (user: TestUser) => api(ctx).get('/api/cart').set('Cookie', user.cookie);
const putCart = (user: TestUser, body: unknown) =>
  api(ctx)
    .put('/api/cart')
    .set(CSRF)
    .set('Cookie', user.cookie)
    .send(body as object);
const fieldsOf = (res: { body: { error?: { details?: { field: string }[] } } }) =>
  (res.body.error?.details ?? []).map((d) => d.field);

describe('GET and PUT /api/cart', () => {
  it('when a buyer never saved a cart, then it is empty at version 0', async () => {
    const res = await getCart(ctx.user());

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ lines: [], version: 0, updatedAt: null });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('when a buyer saves lines, then another device of the same buyer reads them, and another buyer does not', async () => {
    const buyer = ctx.user();
    const lines = [cartLine(), cartLine({ quantity: 99, unitPrice: '0.50' })];

    const saved = await putCart(buyer, { lines, version: 0 });
    // The other device signed in on its own: another token for the same user.
    const otherDevice = {
      ...buyer,
      cookie: `access_token=${signTestToken(ctx.keys, { id: buyer.id, username: buyer.username, role: 'buyer' })}`,
    };
    const elsewhere = await getCart(otherDevice);
    const stranger = await getCart(ctx.user());

    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ lines, version: 1 });
    expect(elsewhere.body).toEqual(saved.body);
    expect(stranger.body).toEqual({ lines: [], version: 0, updatedAt: null });
  });

  it("when two devices save on top of the same version, then the second gets 409 and the first one's lines stay", async () => {
    const buyer = ctx.user();
    await putCart(buyer, { lines: [cartLine()], version: 0 });
    const phone = [cartLine({ name: 'From the phone' })];
    const laptop = [cartLine({ name: 'From the laptop' })];

    const first = await putCart(buyer, { lines: phone, version: 1 });
    const second = await putCart(buyer, { lines: laptop, version: 1 });

    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('VERSION_CONFLICT');
    expect((await getCart(buyer)).body).toMatchObject({ lines: phone, version: 2 });
  });

  it('when the cart is emptied, then it reads empty and its version goes on', async () => {
    const buyer = ctx.user();
    await putCart(buyer, { lines: [cartLine()], version: 0 });

    const emptied = await putCart(buyer, { lines: [], version: 1 });

    expect(emptied.body).toMatchObject({ lines: [], version: 2 });
    expect((await getCart(buyer)).body).toMatchObject({ lines: [], version: 2 });
  });

  it('when a cart was not saved for longer than CART_TTL_DAYS, then it reads empty and the worker prunes it', async () => {
    const buyer = ctx.user();
    await putCart(buyer, { lines: [cartLine()], version: 0 });
    await ctx.pool.query(`UPDATE carts SET updated_at = now() - interval '31 days' WHERE user_id = $1`, [buyer.id]);

    expect((await getCart(buyer)).body).toEqual({ lines: [], version: 1, updatedAt: null });
    await ctx.messaging.worker?.cartPruner.pruneOnce();
    const { rowCount } = await ctx.pool.query('SELECT 1 FROM carts WHERE user_id = $1', [buyer.id]);
    expect(rowCount).toBe(0);
  });

  it.each([
    ['no version', { lines: [] }, 'version'],
    ['a negative version', { lines: [], version: -1 }, 'version'],
    ['a version whose successor would not fit an integer', { lines: [], version: 2_147_483_647 }, 'version'],
    ['51 lines', { lines: Array.from({ length: 51 }, () => cartLine()), version: 0 }, 'lines'],
    ['a quantity of 100', { lines: [cartLine({ quantity: 100 })], version: 0 }, 'lines.0.quantity'],
    ['a zero quantity', { lines: [cartLine({ quantity: 0 })], version: 0 }, 'lines.0.quantity'],
    ['a price as a number', { lines: [cartLine({ unitPrice: 19.99 })], version: 0 }, 'lines.0.unitPrice'],
    ['a name of 121 characters', { lines: [cartLine({ name: 'x'.repeat(121) })], version: 0 }, 'lines.0.name'],
    ['an empty name', { lines: [cartLine({ name: '' })], version: 0 }, 'lines.0.name'],
    ['a NUL in the name', { lines: [cartLine({ name: 'a\u0000b' })], version: 0 }, 'lines.0.name'],
    ['a product id that is not a uuid', { lines: [cartLine({ productId: 'abc' })], version: 0 }, 'lines.0.productId'],
    ['an unknown field', { lines: [{ ...cartLine(), status: 'x' }], version: 0 }, 'lines.0.status'],
  ])('when the body has %s, then it answers 400 naming the field and saves nothing', async (_name, body, field) => {
    const buyer = ctx.user();

    const res = await putCart(buyer, body);

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(res)).toContain(field);
    expect((await getCart(buyer)).body.version).toBe(0);
  });

  it('when a product is named on two lines, then it answers 400 naming the second', async () => {
    const line = cartLine();
    const res = await putCart(ctx.user(), {
      lines: [line, { ...line, productId: line.productId.toUpperCase() }],
      version: 0,
    });

    expect(res.status).toBe(400);
    expect(fieldsOf(res)).toEqual(['lines.1.productId']);
  });

  it('when the caller is not signed in or sends no CSRF header, then nothing is read or saved', async () => {
    const buyer = ctx.user();

    const anonymous = await api(ctx).get('/api/cart');
    const noCsrf = await api(ctx).put('/api/cart').set('Cookie', buyer.cookie).send({ lines: [], version: 0 });

    expect(anonymous.status).toBe(401);
    expect(noCsrf.status).toBe(403);
    expect((await getCart(buyer)).body.version).toBe(0);
  });
});
