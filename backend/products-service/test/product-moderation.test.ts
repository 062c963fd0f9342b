import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { as, createProduct, startTestApp, type TestApp } from './support/test-app';

const idsOf = (res: request.Response) => (res.body.data as { id: string }[]).map((p) => p.id);

describe('moderation and relisting: POST /api/products/:id/unlist and /relist', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const unlist = (id: string, reason = 'Counterfeit goods are not allowed here.') =>
    as(ctx.app, ctx.user('admin')).post(`/api/products/${id}/unlist`, { reason });
  const search = (q: string) => request(ctx.app).get(`/api/products?q=${encodeURIComponent(q)}`);

  it('when an admin unlists a product, then it leaves the catalog, its search and its page for everyone but its seller and admins', async () => {
    const seller = ctx.user('seller');
    const word = `zorblax${randomUUID().slice(0, 6)}`;
    const product = await createProduct(ctx.app, seller, { name: `Shiny ${word}` });
    expect(idsOf(await search(word))).toEqual([product.id]);

    const res = await unlist(product.id);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'unlisted',
      moderation: { reason: 'Counterfeit goods are not allowed here.', at: expect.any(String) },
      version: product.version + 1,
    });
    expect(idsOf(await search(word))).toEqual([]);
    expect(idsOf(await search(`${word} shiny`))).toEqual([]);
    expect(idsOf(await request(ctx.app).get(`/api/products?sellerId=${seller.id}`))).toEqual([]);
    expect((await request(ctx.app).get(`/api/products/${product.id}`)).status).toBe(404);
    expect((await as(ctx.app, ctx.user('buyer')).get(`/api/products/${product.id}`)).status).toBe(404);
    expect((await as(ctx.app, ctx.user('seller')).get(`/api/products/${product.id}`)).status).toBe(404);
    const own = await as(ctx.app, seller).get(`/api/products/${product.id}`);
    expect(own.status).toBe(200);
    expect(own.headers['cache-control']).toBe('private, no-cache');
  });

  it('when the seller lists their products, then the unlisted one carries the reason', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);
    await unlist(product.id, 'Photos show a different item.');

    const mine = await as(ctx.app, seller).get('/api/products/mine');

    expect(mine.body.data).toEqual([
      expect.objectContaining({
        id: product.id,
        status: 'unlisted',
        moderation: { reason: 'Photos show a different item.', at: expect.any(String) },
      }),
    ]);
  });

  it('when the seller tries to relist an unlisted product, then it answers 403 and the product stays out', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);
    await unlist(product.id);

    const res = await as(ctx.app, seller).post(`/api/products/${product.id}/relist`, {});

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await as(ctx.app, seller).get(`/api/products/${product.id}`)).body.status).toBe('unlisted');
    expect((await request(ctx.app).get(`/api/products/${product.id}`)).status).toBe(404);
  });

  it('when an admin relists it, then it is back in the catalog and its search, the reason gone', async () => {
    const seller = ctx.user('seller');
    const word = `quaffle${randomUUID().slice(0, 6)}`;
    const product = await createProduct(ctx.app, seller, { name: `Old ${word}` });
    await unlist(product.id);

    const res = await as(ctx.app, ctx.user('admin')).post(`/api/products/${product.id}/relist`, {});

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', moderation: null });
    expect(idsOf(await search(word))).toEqual([product.id]);
    expect((await request(ctx.app).get(`/api/products/${product.id}`)).status).toBe(200);
  });

  it('when a seller or a buyer tries to unlist, then it answers 403 and nothing changes', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);

    for (const user of [seller, ctx.user('seller'), ctx.user('buyer')]) {
      const res = await as(ctx.app, user).post(`/api/products/${product.id}/unlist`, { reason: 'I do not like it' });
      expect(res.status).toBe(403);
    }
    expect((await request(ctx.app).get(`/api/products/${product.id}`)).body.status).toBe('active');
  });

  it('when the reason is missing, too short or too long, or the product unknown, then it answers 400 or 404', async () => {
    const product = await createProduct(ctx.app, ctx.user('seller'));
    const admin = as(ctx.app, ctx.user('admin'));

    const missing = await admin.post(`/api/products/${product.id}/unlist`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].field).toBe('reason');
    expect((await admin.post(`/api/products/${product.id}/unlist`, { reason: '  x ' })).status).toBe(400);
    expect((await admin.post(`/api/products/${product.id}/unlist`, { reason: 'x'.repeat(501) })).status).toBe(400);
    expect((await unlist(randomUUID())).status).toBe(404);
  });

  it('when a seller relists their archived product, then it is back at a new version; a stale version is 409', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);
    const archived = await as(ctx.app, seller).delete(`/api/products/${product.id}`);
    expect(archived.body.status).toBe('archived');

    const stale = await as(ctx.app, seller).post(`/api/products/${product.id}/relist?version=${product.version}`, {});
    const res = await as(ctx.app, seller).post(
      `/api/products/${product.id}/relist?version=${archived.body.version}`,
      {},
    );

    expect(stale.status).toBe(409);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', version: archived.body.version + 1 });
    expect((await request(ctx.app).get(`/api/products/${product.id}`)).body.status).toBe('active');
  });

  it("when another seller tries to relist someone's archived product, then it answers 403", async () => {
    const product = await createProduct(ctx.app, ctx.user('seller'));
    await as(ctx.app, ctx.user('admin')).delete(`/api/products/${product.id}`);

    const res = await as(ctx.app, ctx.user('seller')).post(`/api/products/${product.id}/relist`, {});

    expect(res.status).toBe(403);
  });
});

describe('GET /api/products/mine: search and sort', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  it('when a seller searches part of a name and sorts, then only their matching products come back in that order', async () => {
    const seller = ctx.user('seller');
    const cheap = await createProduct(ctx.app, seller, { name: 'Blue Mug', price: '3.00', stock: 9 });
    const dear = await createProduct(ctx.app, seller, { name: 'Red mug', price: '12.00', stock: 1 });
    await createProduct(ctx.app, seller, { name: 'Teapot', price: '20.00' });
    await createProduct(ctx.app, ctx.user('seller'), { name: 'Other mug' });
    const mine = (query: string) => as(ctx.app, seller).get(`/api/products/mine?${query}`);

    const byPrice = await mine('q=MUG&sort=price_desc');
    const byStock = await mine('q=mug&sort=stock');

    expect(byPrice.status).toBe(200);
    expect(idsOf(byPrice)).toEqual([dear.id, cheap.id]);
    expect(byPrice.body.pagination.total).toBe(2);
    expect(idsOf(byStock)).toEqual([dear.id, cheap.id]);
    expect(idsOf(await mine('q=mug&sort=name'))).toEqual([cheap.id, dear.id]);
  });

  it('when the search holds % or _, then they match only themselves', async () => {
    const seller = ctx.user('seller');
    const percent = await createProduct(ctx.app, seller, { name: '100% wool' });
    await createProduct(ctx.app, seller, { name: '100 wool' });

    expect(idsOf(await as(ctx.app, seller).get('/api/products/mine?q=0%25'))).toEqual([percent.id]);
    expect(idsOf(await as(ctx.app, seller).get('/api/products/mine?q=_'))).toEqual([]);
  });

  it('when the sort is unknown, then it answers 400', async () => {
    expect((await as(ctx.app, ctx.user('seller')).get('/api/products/mine?sort=random')).status).toBe(400);
  });
});
