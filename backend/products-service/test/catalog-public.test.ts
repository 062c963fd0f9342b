import request from 'supertest';
import { sql } from 'drizzle-orm';
import { CATEGORIES } from '@market/contracts';
import { products } from '../src/data/schema';
import { as, createProduct, startTestApp, type TestApp } from './support/test-app';

interface ListedProduct {
  id: string;
  name: string;
  price: string;
  stock: number;
  sellerName: string;
  category: string;
}

describe('public catalog: GET /api/products, /:id, /categories', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const list = (query: Record<string, string | number>) => request(ctx.app).get('/api/products').query(query);
  const ids = (res: request.Response) => (res.body.data as ListedProduct[]).map((p) => p.id);

  it('when anyone lists products, then each item shows price, stock and seller name, with pagination totals', async () => {
    const seller = ctx.user('seller', 'shown-seller');
    const product = await createProduct(ctx.app, seller, { name: 'visible-kettle-x1', price: '12.30', stock: 4 });

    const res = await list({ q: 'visible-kettle-x1' });

    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({ id: product.id, price: '12.30', stock: 4, sellerName: 'shown-seller' }),
    ]);
    expect(res.body.pagination).toEqual({ page: 1, pageSize: 20, total: 1, totalPages: 1, totalCapped: false });
  });

  it('when q is full of SQL, LIKE, regex and tsquery metacharacters, then it answers normally and searches only its words', async () => {
    const seller = ctx.user('seller');
    const literal = await createProduct(ctx.app, seller, { name: "50%_off \\ o'brien (sale) [x]" });
    const other = await createProduct(ctx.app, seller, { name: '50 off obrien sale x' });

    const hostile = await Promise.all(
      [
        "'; DROP TABLE products; --",
        '%abc%',
        '_ab_c',
        '\\abc',
        '.*abc',
        '(a|b|c)+$',
        '[[:alpha:]]',
        '%%__\\\\abc',
        "' OR '1'='1",
        'a & !b | c:* <-> d',
        "x:*A & (y | 'z')",
      ].map((q) => list({ q })),
    );
    const exact = await list({ q: "50%_off \\ o'brien (sale) [x]" });
    const words = await list({ q: '50 off sale' });

    for (const res of hostile) expect(res.status).toBe(200);
    expect(ids(exact)).toEqual([literal.id]);
    expect(new Set(ids(words))).toEqual(new Set([literal.id, other.id]));
    expect(ids(await list({ q: 'obrien sale' }))).toEqual([other.id]);
  });

  it('when q matches the description, then the product is found, case-insensitively', async () => {
    const product = await createProduct(ctx.app, ctx.user('seller'), {
      name: 'Plain name',
      description: 'Contains the word ZEPHYRINE inside',
    });

    expect(ids(await list({ q: 'zephyrine' }))).toEqual([product.id]);
  });

  it('when a category is given, then only active products of that category come back', async () => {
    const seller = ctx.user('seller');
    const toy = await createProduct(ctx.app, seller, { name: 'cat-filter-q7 toy', category: 'toys' });
    await createProduct(ctx.app, seller, { name: 'cat-filter-q7 book', category: 'books' });

    expect(ids(await list({ q: 'cat-filter-q7', category: 'toys' }))).toEqual([toy.id]);
  });

  it.each([
    ['price_asc', ['1.00', '2.50', '10.00']],
    ['price_desc', ['10.00', '2.50', '1.00']],
  ])('when sorted by %s, then prices are in exact numeric (not text) order', async (sort, expected) => {
    const seller = ctx.user('seller');
    const tag = `sort-${sort}-k3`;
    for (const price of ['10.00', '1.00', '2.50'])
      await createProduct(ctx.app, seller, { name: `${tag} ${price}`, price });

    const res = await list({ q: tag, sort });

    expect((res.body.data as ListedProduct[]).map((p) => p.price)).toEqual(expected);
  });

  it('when sorted by name or newest, then the order follows', async () => {
    const seller = ctx.user('seller');
    const b = await createProduct(ctx.app, seller, { name: 'sortname-v9 Bravo' });
    const a = await createProduct(ctx.app, seller, { name: 'sortname-v9 Alpha' });

    expect(ids(await list({ q: 'sortname-v9', sort: 'name' }))).toEqual([a.id, b.id]);
    expect(ids(await list({ q: 'sortname-v9', sort: 'newest' }))).toEqual([a.id, b.id]);
  });

  it('when paging through products that share a creation time and a price, then every product appears exactly once', async () => {
    const seller = ctx.user('seller');
    const created = [];
    for (let i = 0; i < 23; i++)
      created.push(await createProduct(ctx.app, seller, { name: `pager-w4 ${i % 3}`, price: '5.00' }));
    await ctx.db
      .update(products)
      .set({ createdAt: sql`'2026-01-01T00:00:00Z'` })
      .where(sql`name like 'pager-w4%'`);

    for (const sort of ['newest', 'price_asc', 'price_desc', 'name']) {
      const seen: string[] = [];
      for (let page = 1; page <= 5; page++) {
        const res = await list({ q: 'pager-w4', sort, page, pageSize: 5 });
        expect(res.body.pagination).toEqual({ page, pageSize: 5, total: 23, totalPages: 5, totalCapped: false });
        seen.push(...ids(res));
      }
      expect(seen).toHaveLength(23);
      expect(new Set(seen)).toEqual(new Set(created.map((p) => p.id)));
    }
  });

  it('when q has no letter or digit, then it answers 400 naming q; one letter or digit is enough', async () => {
    const product = await createProduct(ctx.app, ctx.user('seller'), { name: 'Short-query TV stand j4' });

    const refused = await Promise.all(['%', '.*', '%%__', ' #! ', '&|:*'].map((q) => list({ q })));
    const accepted = await Promise.all(['tv', 'a', ' t v ', '#1', 'TV stand', 'Ünï'].map((q) => list({ q })));
    const empty = await list({ q: '' });

    for (const res of refused) {
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ field: 'query.q', message: 'q must contain a letter or digit' }]);
    }
    expect(accepted.map((res) => res.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(ids(accepted[0]!)).toContain(product.id);
    expect(ids(accepted[4]!)).toContain(product.id);
    expect(empty.status).toBe(200);
  });

  it('when the query is invalid, then it answers 400 naming the parameter', async () => {
    const [sort, pageSize, category, unknown, longQ] = await Promise.all([
      list({ sort: 'random' }),
      list({ pageSize: 101 }),
      list({ category: 'weapons' }),
      list({ seller: 'x' }),
      list({ q: 'q'.repeat(101) }),
    ]);
    const nul = await list({ q: 'abc\u0000def' });

    expect(sort.body.error.details).toEqual([{ field: 'query.sort', message: expect.any(String) }]);
    expect(pageSize.body.error.details).toEqual([{ field: 'query.pageSize', message: expect.any(String) }]);
    expect(category.body.error.details).toEqual([{ field: 'query.category', message: expect.any(String) }]);
    expect(unknown.body.error.details).toEqual([{ field: 'query.seller', message: expect.any(String) }]);
    expect(longQ.status).toBe(400);
    expect(nul.body.error.details).toEqual([{ field: 'query.q', message: expect.stringContaining('NUL') }]);
  });

  it('when a page lies deeper than 100,000 products, then it answers 400 naming page; the deepest allowed page answers', async () => {
    const tooDeep = await list({ page: 1001, pageSize: 100 });
    const defaultSize = await list({ page: 5001 });
    const deepest = await list({ page: 1000, pageSize: 100 });

    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error.details).toEqual([
      { field: 'query.page', message: expect.stringContaining('narrow it with a search or a category') },
    ]);
    expect(defaultSize.body.error.details).toEqual([{ field: 'query.page', message: expect.any(String) }]);
    expect(deepest.status).toBe(200);
    expect(deepest.body.data).toEqual([]);
  });

  it('when a product is read by id, then it answers 200; an unknown id answers 404 in the envelope', async () => {
    const product = await createProduct(ctx.app, ctx.user('seller'));

    const found = await request(ctx.app).get(`/api/products/${product.id}`);
    const missing = await request(ctx.app).get('/api/products/00000000-0000-4000-8000-00000000beef');

    expect(found.status).toBe(200);
    expect(found.body.id).toBe(product.id);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'NOT_FOUND', message: 'product not found' } });
  });

  it('when the id is not valid percent-encoding, then it answers 400 in the envelope, not 500', async () => {
    const res = await request(ctx.app).get('/api/products/%E0%A4%A');

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'VALIDATION_FAILED', message: expect.any(String) } });
  });

  it('when a visitor carries an expired or forged cookie, then public reads still answer', async () => {
    const product = await createProduct(ctx.app, ctx.user('seller'));

    const res = await request(ctx.app)
      .get(`/api/products/${product.id}`)
      .set('Cookie', 'access_token=forged.token.value');

    expect(res.status).toBe(200);
  });

  it('when an admin reads an archived product, then it is visible to them', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);
    await as(ctx.app, seller).delete(`/api/products/${product.id}`);

    expect((await as(ctx.app, ctx.user('admin')).get(`/api/products/${product.id}`)).body.status).toBe('archived');
  });

  it('when the categories are asked for, then the catalog list comes back', async () => {
    const res = await request(ctx.app).get('/api/products/categories');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [...CATEGORIES] });
  });

  it('when the OpenAPI document is asked for, then it describes every route', async () => {
    const res = await request(ctx.app).get('/api/products/openapi.json');

    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths).sort()).toEqual([
      '/api/products',
      '/api/products/categories',
      '/api/products/mine',
      '/api/products/{id}',
      '/api/products/{id}/images',
      '/api/products/{id}/images/{imageId}',
      '/api/products/{id}/relist',
      '/api/products/{id}/unlist',
    ]);
    expect(res.body.components.schemas.ProductPage.properties.pagination.properties.totalCapped).toEqual(
      expect.objectContaining({ type: 'boolean' }),
    );
    // The upload is a form: its file field and its alt text, both required.
    const upload = res.body.paths['/api/products/{id}/images'].post.requestBody.content['multipart/form-data'].schema;
    expect(upload.required.sort()).toEqual(['alt', 'image']);
    expect(upload.properties.image).toMatchObject({ type: 'string', contentMediaType: 'application/octet-stream' });
  });

  it('when health, readiness and metrics are asked for, then they answer at the root', async () => {
    const [health, ready, metrics] = await Promise.all([
      request(ctx.app).get('/health'),
      request(ctx.app).get('/ready'),
      request(ctx.app).get('/metrics'),
    ]);

    expect(health.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
    expect(metrics.text).toContain('http_request_duration_seconds');
  });

  it('when a route does not exist, then it answers 404 in the envelope with the request id echoed', async () => {
    const res = await request(ctx.app).get('/api/products/x/y').set('X-Request-Id', 'req-123');

    expect(res.status).toBe(404);
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
