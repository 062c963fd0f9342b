import { randomUUID } from 'node:crypto';
import { LIMITS } from '@market/contracts';
import { api, CSRF, startTestApp, type TestApp, type TestUser } from './support/test-app';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(async () => {
  await ctx.close();
});

const address = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ada Lovelace',
  line1: '12 St James’s Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
  ...overrides,
});

const list = (user: TestUser) => api(ctx).get('/api/addresses').set('Cookie', user.cookie);
const add = (user: TestUser, body: unknown) =>
  api(ctx)
    .post('/api/addresses')
    .set(CSRF)
    .set('Cookie', user.cookie)
    .send(body as object);
const edit = (user: TestUser, id: string, body: unknown) =>
  api(ctx)
    .put(`/api/addresses/${id}`)
    .set(CSRF)
    .set('Cookie', user.cookie)
    .send(body as object);
const remove = (user: TestUser, id: string) =>
  api(ctx).delete(`/api/addresses/${id}`).set(CSRF).set('Cookie', user.cookie);
const fieldsOf = (res: { body: { error?: { details?: { field: string }[] } } }) =>
  (res.body.error?.details ?? []).map((d) => d.field).sort();

describe('/api/addresses', () => {
  it('when a buyer saves an address, then it is listed with its fields trimmed and empty optional ones null', async () => {
    const buyer = ctx.user();

    const saved = await add(buyer, address({ name: '  Ada Lovelace ', postalCode: 'sw1y 4jh', line2: ' ', phone: '' }));
    const listed = await list(buyer);

    expect(saved.status).toBe(201);
    expect(saved.body).toEqual({
      id: expect.any(String),
      name: 'Ada Lovelace',
      line1: '12 St James’s Square',
      line2: null,
      city: 'London',
      postalCode: 'SW1Y 4JH',
      region: null,
      country: 'GB',
      phone: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(listed.status).toBe(200);
    expect(listed.headers['cache-control']).toBe('no-store');
    expect(listed.body).toEqual({ data: [saved.body] });
  });

  it('when a buyer edits an address, then the new fields are kept', async () => {
    const buyer = ctx.user();
    const saved = await add(buyer, address());

    const edited = await edit(
      buyer,
      saved.body.id,
      address({ line2: 'Flat 3', region: 'Greater London', phone: '+44 20 7946 0018' }),
    );

    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id: saved.body.id,
      line2: 'Flat 3',
      region: 'Greater London',
      phone: '+44 20 7946 0018',
    });
    expect((await list(buyer)).body.data).toEqual([edited.body]);
  });

  it('when a buyer deletes an address, then it is gone', async () => {
    const buyer = ctx.user();
    const kept = await add(buyer, address({ name: 'Kept' }));
    const dropped = await add(buyer, address({ name: 'Dropped' }));

    const res = await remove(buyer, dropped.body.id);

    expect(res.status).toBe(204);
    expect((await list(buyer)).body.data).toEqual([kept.body]);
    expect((await remove(buyer, dropped.body.id)).status).toBe(404);
  });

  it("when someone else reads, edits or deletes a buyer's address, then it is not found and stays as it was", async () => {
    const owner = ctx.user();
    const stranger = ctx.user();
    const saved = await add(owner, address());

    const editing = await edit(stranger, saved.body.id, address({ name: 'Mallory' }));
    const deleting = await remove(stranger, saved.body.id);

    expect(editing.status).toBe(404);
    expect(deleting.status).toBe(404);
    expect((await list(stranger)).body.data).toEqual([]);
    expect((await list(owner)).body.data).toEqual([saved.body]);
  });

  it(`when a buyer already has ${LIMITS.addressesPerUserMax} addresses, then another is refused, also when sent at once`, async () => {
    const buyer = ctx.user();
    await Promise.all(
      Array.from({ length: LIMITS.addressesPerUserMax - 2 }, (_, i) => add(buyer, address({ name: `Name ${i}` }))),
    );

    const racing = await Promise.all([1, 2, 3, 4].map((i) => add(buyer, address({ name: `Racing ${i}` }))));

    expect(racing.map((res) => res.status).sort()).toEqual([201, 201, 409, 409]);
    const refused = racing.find((res) => res.status === 409);
    expect(refused?.body.error.code).toBe('TOO_MANY_ADDRESSES');
    expect(refused?.body.error.message).toContain(`at most ${LIMITS.addressesPerUserMax}`);
    expect((await list(buyer)).body.data).toHaveLength(LIMITS.addressesPerUserMax);
  });

  it('when fields are missing, blank, too long or not allowed, then each is named', async () => {
    const buyer = ctx.user();

    const missing = await add(buyer, { name: 'Ada' });
    const bad = await add(
      buyer,
      address({
        name: '   ',
        line1: 'x'.repeat(LIMITS.addressLineMax + 1),
        postalCode: '<script>',
        country: 'UK',
        phone: 'call me',
        admin: true,
      }),
    );

    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(missing)).toEqual(['city', 'country', 'line1', 'postalCode']);
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['admin', 'country', 'line1', 'name', 'phone', 'postalCode']);
    expect((await list(buyer)).body.data).toEqual([]);
  });

  it('when the address id is not a uuid, then it answers 400; when it is unknown, 404', async () => {
    const buyer = ctx.user();
    expect((await edit(buyer, 'not-an-id', address())).status).toBe(400);
    expect((await edit(buyer, randomUUID(), address())).status).toBe(404);
  });

  it('when the request is not signed in or lacks the CSRF header, then nothing is saved', async () => {
    const buyer = ctx.user();

    const anonymous = await api(ctx).post('/api/addresses').set(CSRF).send(address());
    const crossSite = await api(ctx).post('/api/addresses').set('Cookie', buyer.cookie).send(address());

    expect(anonymous.status).toBe(401);
    expect(crossSite.status).toBe(403);
    expect((await list(buyer)).body.data).toEqual([]);
  });
});
