import request from 'supertest';
import { signTestToken } from '@market/kit/testing';
import { as, CSRF, cookie, createProduct, productInput, startTestApp, type TestApp } from './support/test-app';

describe('seller management: POST, PATCH, DELETE /api/products and GET /api/products/mine', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const read = (id: string) => request(ctx.app).get(`/api/products/${id}`);

  describe('creating', () => {
    it('when a seller sends a valid product, then it answers 201 with the product, the seller name taken from the token', async () => {
      const seller = ctx.user('seller', 'lamp-maker');

      const res = await as(ctx.app, seller).post(
        '/api/products',
        productInput({ name: 'Brass lamp', price: '0.10', stock: 3 }),
      );

      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/products/${res.body.id}`);
      expect(res.body).toEqual({
        id: expect.any(String),
        sellerId: seller.id,
        sellerName: 'lamp-maker',
        name: 'Brass lamp',
        description: 'A warm desk lamp',
        category: 'home',
        price: '0.10',
        stock: 3,
        images: [],
        status: 'active',
        moderation: null,
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect((await read(res.body.id)).body).toEqual(res.body);
    });

    it.each([
      ['19.9', '19.90'],
      [19.99, '19.99'],
      ['999999.99', '999999.99'],
      ['007.5', '7.50'],
    ])('when the price is %p, then it is stored exactly as %p', async (price, stored) => {
      const product = await createProduct(ctx.app, ctx.user('seller'), { price });

      expect(product.price).toBe(stored);
    });

    it('when a buyer tries to create a product, then it answers 403 FORBIDDEN and nothing is created', async () => {
      const buyer = ctx.user('buyer');

      const res = await as(ctx.app, buyer).post('/api/products', productInput());

      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect((await as(ctx.app, buyer).get('/api/products/mine')).status).toBe(403);
    });

    it('when nobody is signed in, then it answers 401 UNAUTHENTICATED', async () => {
      const res = await request(ctx.app).post('/api/products').set(CSRF).send(productInput());

      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('when the token is signed by another key, then it answers 401', async () => {
      const res = await request(ctx.app)
        .post('/api/products')
        .set(CSRF)
        .set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x')
        .send(productInput());

      expect(res.status).toBe(401);
    });

    it('when a token from the right key carries no expiry, then it answers 401 and nothing is created', async () => {
      const seller = ctx.user('seller');
      const forever = signTestToken(ctx.keys, seller, {
        issuer: ctx.config.JWT_ISSUER,
        audience: ctx.config.JWT_AUDIENCE,
        expiresIn: null,
      });

      const res = await request(ctx.app)
        .post('/api/products')
        .set(CSRF)
        .set('Cookie', `access_token=${forever}`)
        .send(productInput());

      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
      expect((await as(ctx.app, seller).get('/api/products/mine')).body.pagination.total).toBe(0);
    });

    it('when the CSRF header is missing, then it answers 403 CSRF_FAILED even with a valid session', async () => {
      const seller = ctx.user('seller');

      const res = await request(ctx.app)
        .post('/api/products')
        .set('Cookie', cookie(seller))
        .send(productInput({ name: 'csrf-probe' }));

      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CSRF_FAILED');
      expect((await as(ctx.app, seller).get('/api/products/mine')).body.pagination.total).toBe(0);
    });

    it.each([
      ['a negative price', { price: '-1.00' }, 'price'],
      ['a zero price', { price: '0' }, 'price'],
      ['a price with three decimals', { price: '1.999' }, 'price'],
      ['a price above the maximum', { price: '1000000.00' }, 'price'],
      ['a float price that is not exact', { price: 0.1 + 0.2 }, 'price'],
      ['a fractional stock', { stock: 2.5 }, 'stock'],
      ['a negative stock', { stock: -1 }, 'stock'],
      ['a stock above 1,000,000', { stock: 1_000_001 }, 'stock'],
      ['a 10,000-character name', { name: 'n'.repeat(10_000) }, 'name'],
      ['a NUL character in the name', { name: 'bad\u0000name' }, 'name'],
      ['a description over the limit', { description: 'd'.repeat(5001) }, 'description'],
      ['an unknown category', { category: 'weapons' }, 'category'],
      [
        'an external image URL (no longer accepted: images are uploaded)',
        { imageUrl: 'https://img.example/a.png' },
        'imageUrl',
      ],
      ['an unknown field', { sellerId: '00000000-0000-4000-8000-000000000009' }, 'sellerId'],
    ])(
      'when the body has %s, then it answers 400 VALIDATION_FAILED naming the field',
      async (_case, override, field) => {
        const res = await as(ctx.app, ctx.user('seller')).post('/api/products', { ...productInput(), ...override });

        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect(res.body.error.details).toEqual([{ field, message: expect.any(String) }]);
      },
    );

    it('when required fields are missing, then every one of them is named', async () => {
      const res = await as(ctx.app, ctx.user('seller')).post('/api/products', {});

      expect(res.status).toBe(400);
      expect((res.body.error.details as { field: string }[]).map((d) => d.field).sort()).toEqual([
        'category',
        'name',
        'price',
        'stock',
      ]);
    });

    it('when the body is not valid JSON, then it answers 400 MALFORMED_JSON in the envelope', async () => {
      const seller = ctx.user('seller');

      const res = await request(ctx.app)
        .post('/api/products')
        .set('Cookie', cookie(seller))
        .set(CSRF)
        .set('Content-Type', 'application/json')
        .send('{"name": ');

      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: 'MALFORMED_JSON', message: expect.any(String) } });
    });

    it('when the body is larger than 100 kB, then it answers 413 PAYLOAD_TOO_LARGE in the envelope', async () => {
      const res = await as(ctx.app, ctx.user('seller')).post(
        '/api/products',
        productInput({ description: 'x'.repeat(200_000) }),
      );

      expect(res.status).toBe(413);
      expect(res.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
    });

    it('when the body is a form instead of JSON, then it answers 415', async () => {
      const seller = ctx.user('seller');

      const res = await request(ctx.app)
        .post('/api/products')
        .set('Cookie', cookie(seller))
        .set(CSRF)
        .type('form')
        .send('name=x');

      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('editing', () => {
    it('when the owner edits at the current version, then the changes apply and the version goes up by one', async () => {
      const seller = ctx.user('seller');
      const product = await createProduct(ctx.app, seller, { stock: 5 });

      const res = await as(ctx.app, seller).patch(`/api/products/${product.id}`, {
        version: 1,
        price: '25.5',
        stock: 7,
        name: '  Renamed  ',
      });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ price: '25.50', stock: 7, name: 'Renamed', version: 2 });
      expect((await read(product.id)).body).toMatchObject({ price: '25.50', stock: 7, version: 2 });
    });

    it('when the version is stale, then it answers 409 VERSION_CONFLICT and nothing changes', async () => {
      const seller = ctx.user('seller');
      const product = await createProduct(ctx.app, seller, { stock: 5 });
      await as(ctx.app, seller).patch(`/api/products/${product.id}`, { version: 1, name: 'First edit' });

      const res = await as(ctx.app, seller).patch(`/api/products/${product.id}`, { version: 1, stock: 500 });

      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('VERSION_CONFLICT');
      expect(res.body.error.details).toEqual([
        { field: 'version', message: expect.stringContaining('current version is 2') },
      ]);
      expect((await read(product.id)).body).toMatchObject({ stock: 5, name: 'First edit', version: 2 });
    });

    it('when another seller edits the product, then it answers 403 and the row is unchanged', async () => {
      const owner = ctx.user('seller');
      const product = await createProduct(ctx.app, owner);
      const before = (await read(product.id)).body;

      const res = await as(ctx.app, ctx.user('seller')).patch(`/api/products/${product.id}`, {
        version: 1,
        price: '0.01',
        stock: 0,
      });

      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect((await read(product.id)).body).toEqual(before);
    });

    it("when an admin edits a seller's product, then it applies", async () => {
      const product = await createProduct(ctx.app, ctx.user('seller'));

      const res = await as(ctx.app, ctx.user('admin')).patch(`/api/products/${product.id}`, {
        version: 1,
        category: 'garden',
      });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ category: 'garden', version: 2 });
    });

    it('when the edit has no version, only a version, or an unknown field, then it answers 400 naming the problem', async () => {
      const seller = ctx.user('seller');
      const product = await createProduct(ctx.app, seller);
      const patch = (body: object) => as(ctx.app, seller).patch(`/api/products/${product.id}`, body);

      const [noVersion, onlyVersion, unknown] = await Promise.all([
        patch({ stock: 1 }),
        patch({ version: 1 }),
        patch({ version: 1, stock: 2, status: 'archived' }),
      ]);

      expect(noVersion.status).toBe(400);
      expect(noVersion.body.error.details).toEqual([{ field: 'version', message: expect.any(String) }]);
      expect(onlyVersion.status).toBe(400);
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details).toEqual([{ field: 'status', message: expect.any(String) }]);
      expect((await read(product.id)).body.version).toBe(1);
    });

    it('when the product does not exist or the id is not a UUID, then it answers 404 or 400', async () => {
      const seller = ctx.user('seller');

      const missing = await as(ctx.app, seller).patch('/api/products/00000000-0000-4000-8000-00000000dead', {
        version: 1,
        stock: 1,
      });
      const malformed = await as(ctx.app, seller).patch('/api/products/not-a-uuid', { version: 1, stock: 1 });

      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('NOT_FOUND');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.details).toEqual([{ field: 'params.id', message: expect.any(String) }]);
    });
  });

  describe('archiving', () => {
    it("when the owner deletes a product, then it is archived: gone from the public list and page, still in the owner's list and page", async () => {
      const seller = ctx.user('seller');
      const product = await createProduct(ctx.app, seller, { name: 'archive-me-zq' });

      const res = await as(ctx.app, seller).delete(`/api/products/${product.id}`);

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: product.id, status: 'archived', version: 2 });
      expect((await request(ctx.app).get('/api/products').query({ q: 'archive-me-zq' })).body.pagination.total).toBe(0);
      expect((await read(product.id)).status).toBe(404);
      expect((await as(ctx.app, ctx.user('buyer')).get(`/api/products/${product.id}`)).status).toBe(404);
      expect((await as(ctx.app, seller).get(`/api/products/${product.id}`)).body.status).toBe('archived');
      const mine = await as(ctx.app, seller).get('/api/products/mine');
      expect(mine.body.data.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([
        [product.id, 'archived'],
      ]);
    });

    it('when another seller deletes a product, then it answers 403 and the product stays active', async () => {
      const product = await createProduct(ctx.app, ctx.user('seller'));

      const res = await as(ctx.app, ctx.user('seller')).delete(`/api/products/${product.id}`);

      expect(res.status).toBe(403);
      expect((await read(product.id)).body).toMatchObject({ status: 'active', version: 1 });
    });

    it('when an archive names a stale version, then it answers 409 and the product stays active', async () => {
      const seller = ctx.user('seller');
      const product = await createProduct(ctx.app, seller);
      await as(ctx.app, seller).patch(`/api/products/${product.id}`, { version: 1, stock: 3 });

      const res = await as(ctx.app, seller).delete(`/api/products/${product.id}?version=1`);

      expect(res.status).toBe(409);
      expect((await read(product.id)).body).toMatchObject({ status: 'active', stock: 3 });
    });

    it('when the delete has no CSRF header, then it answers 403 CSRF_FAILED', async () => {
      const seller = ctx.user('seller');
      const product = await createProduct(ctx.app, seller);

      const res = await request(ctx.app).delete(`/api/products/${product.id}`).set('Cookie', cookie(seller));

      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CSRF_FAILED');
      expect((await read(product.id)).body.status).toBe('active');
    });
  });

  it('when a seller lists their own products, then only theirs come back, newest first, with totals', async () => {
    const seller = ctx.user('seller');
    const first = await createProduct(ctx.app, seller);
    const second = await createProduct(ctx.app, seller);
    await createProduct(ctx.app, ctx.user('seller'));

    const res = await as(ctx.app, seller).get('/api/products/mine?pageSize=1&page=2');

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.pagination).toEqual({ page: 2, pageSize: 1, total: 2, totalPages: 2, totalCapped: false });
    expect(res.body.data.map((p: { id: string }) => p.id)).toEqual([first.id]);
    expect(second.id).not.toBe(first.id);
  });
});
