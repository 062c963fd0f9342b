import request from 'supertest';
import { as, createProduct, startTestApp, type TestApp } from './support/test-app';

/** What nginx reads to keep a shared copy (it never passes the header on). */
const sharedSeconds = (res: request.Response) => res.headers['x-accel-expires'];

describe('shared caching of the public catalog (X-Accel-Expires, ETag)', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp({ CATALOG_CACHE_SECONDS: '7' });
  });
  afterAll(() => ctx.close());

  it('when anyone lists products, then nginx may share the answer for CATALOG_CACHE_SECONDS and the browser revalidates it', async () => {
    await createProduct(ctx.app, ctx.user('seller'), { name: 'shared-list-kettle' });

    const res = await request(ctx.app).get('/api/products').query({ q: 'shared-list-kettle', sort: 'newest' });

    expect(res.status).toBe(200);
    expect(sharedSeconds(res)).toBe('7');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toMatch(/^W\/"/);
  });

  it('when a signed-in seller lists products, then the answer is the public one and shareable too', async () => {
    const seller = ctx.user('seller');
    await createProduct(ctx.app, seller, { name: 'shared-list-lamp' });

    const anonymous = await request(ctx.app).get('/api/products').query({ q: 'shared-list-lamp' });
    const signedIn = await as(ctx.app, seller).get('/api/products?q=shared-list-lamp');

    expect(signedIn.status).toBe(200);
    expect(sharedSeconds(signedIn)).toBe('7');
    expect(signedIn.body).toEqual(anonymous.body);
  });

  it('when an active product is read, anonymously or by its seller, then the answer is the same and shareable', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);

    const anonymous = await request(ctx.app).get(`/api/products/${product.id}`);
    const owner = await as(ctx.app, seller).get(`/api/products/${product.id}`);

    for (const res of [anonymous, owner]) {
      expect(res.status).toBe(200);
      expect(sharedSeconds(res)).toBe('7');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    expect(owner.body).toEqual(anonymous.body);
  });

  it('when the browser sends the ETag it holds, then 304 without a body; after a change, 200 with the new product', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller, { stock: 5 });
    const first = await request(ctx.app).get(`/api/products/${product.id}`);
    const etag = String(first.headers.etag);

    const unchanged = await request(ctx.app).get(`/api/products/${product.id}`).set('If-None-Match', etag);
    await as(ctx.app, seller).patch(`/api/products/${product.id}`, { version: product.version, stock: 4 });
    const changed = await request(ctx.app).get(`/api/products/${product.id}`).set('If-None-Match', etag);

    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBeFalsy();
    expect(changed.status).toBe(200);
    expect(changed.body.stock).toBe(4);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('when the owner or an admin reads an archived product, then the answer is private; to anyone else it is gone, and that is shared', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);
    await as(ctx.app, seller).delete(`/api/products/${product.id}`);

    const owner = await as(ctx.app, seller).get(`/api/products/${product.id}`);
    const admin = await as(ctx.app, ctx.user('admin')).get(`/api/products/${product.id}`);
    const anonymous = await request(ctx.app).get(`/api/products/${product.id}`);

    for (const res of [owner, admin]) {
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('archived');
      expect(sharedSeconds(res)).toBe('0');
      expect(res.headers['cache-control']).toBe('private, no-cache');
    }
    // The absence reads the same for everyone but the seller and admins: shared.
    const buyer = await as(ctx.app, ctx.user('buyer')).get(`/api/products/${product.id}`);
    for (const res of [anonymous, buyer]) {
      expect(res.status).toBe(404);
      expect(sharedSeconds(res)).toBe('7');
    }
  });

  it('when a misspelt search word becomes a product word, then a shared search may keep its correction as long as a copy lives; one asked with no-cache drops it at once', async () => {
    const seller = ctx.user('seller');
    await createProduct(ctx.app, seller, { name: 'frobnicator widget' });
    const before = await request(ctx.app).get('/api/products').query({ q: 'frobnicatr' });
    await createProduct(ctx.app, seller, { name: 'frobnicatr gizmo' });

    const shared = await request(ctx.app).get('/api/products').query({ q: 'frobnicatr' });
    const fresh = await request(ctx.app)
      .get('/api/products')
      .query({ q: 'frobnicatr' })
      .set('Cache-Control', 'no-cache');

    expect(before.body.search.corrections).toEqual([{ from: 'frobnicatr', to: ['frobnicator'] }]);
    expect(shared.body.search.corrections).toEqual(before.body.search.corrections);
    expect(fresh.body.search.corrections).toEqual([]);
    // Either way the new product is found: an unknown last word is searched as a prefix too.
    for (const res of [shared, fresh]) {
      expect(res.body.data.map((p: { name: string }) => p.name)).toContain('frobnicatr gizmo');
    }
  });

  it('when the same search arrives many times at once, then every caller gets the same complete page', async () => {
    const seller = ctx.user('seller');
    await Promise.all(
      ['one', 'two', 'three'].map((n) => createProduct(ctx.app, seller, { name: `concurrent quokka ${n}` })),
    );

    const answers = await Promise.all(
      Array.from({ length: 12 }, () => request(ctx.app).get('/api/products').query({ q: 'quokka', sort: 'name' })),
    );

    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.body.data.map((p: { name: string }) => p.name)).toEqual([
        'concurrent quokka one',
        'concurrent quokka three',
        'concurrent quokka two',
      ]);
      expect(res.body.pagination.total).toBe(3);
    }
  });

  it('when a seller reads its own list or changes a product, or a request is not valid, then nothing is shared', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);

    const answers = await Promise.all([
      as(ctx.app, seller).get('/api/products/mine'),
      as(ctx.app, seller).patch(`/api/products/${product.id}`, { version: product.version, stock: 3 }),
      as(ctx.app, seller).post('/api/products', { name: 'x' }),
      request(ctx.app).get('/api/products/not-an-id'),
      request(ctx.app).get('/api/products').query({ page: 0 }),
    ]);

    expect(answers.map((res) => res.status)).toEqual([200, 200, 400, 400, 400]);
    for (const res of answers) expect(sharedSeconds(res)).toBe('0');
    expect(answers[0].headers['cache-control']).toBe('no-store');
    expect(answers[1].headers['cache-control']).toBe('no-store');
  });
});

describe('shared caching turned off (CATALOG_CACHE_SECONDS=0)', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp({ CATALOG_CACHE_SECONDS: '0' });
  });
  afterAll(() => ctx.close());

  it('when anyone lists products or reads one, then nginx keeps no copy and the ETag still answers 304', async () => {
    const product = await createProduct(ctx.app, ctx.user('seller'));

    const list = await request(ctx.app).get('/api/products');
    const read = await request(ctx.app).get(`/api/products/${product.id}`);
    const again = await request(ctx.app)
      .get(`/api/products/${product.id}`)
      .set('If-None-Match', String(read.headers.etag));

    expect(sharedSeconds(list)).toBe('0');
    expect(sharedSeconds(read)).toBe('0');
    expect(again.status).toBe(304);
  });
});
