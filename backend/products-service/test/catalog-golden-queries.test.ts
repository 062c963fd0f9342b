import request from 'supertest';
import { products } from '../src/data/schema';
import { GOLDEN_CATALOG, GOLDEN_QUERIES } from './support/golden-catalog';
import { startTestApp, type TestApp } from './support/test-app';

/** Relevance must not regress: each query's best answers over a fixed catalog, in order. */
describe('golden queries: relevance over a fixed catalog', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
    const seller = ctx.user('seller', 'golden-seller');
    await ctx.db
      .insert(products)
      .values(GOLDEN_CATALOG.map((p) => ({ ...p, sellerId: seller.id, sellerName: seller.username })));
  });
  afterAll(() => ctx.close());

  it.each(GOLDEN_QUERIES)(
    'when a buyer searches "$q", then the expected products come first',
    async ({ q, top, anyOrder }) => {
      const res = await request(ctx.app).get('/api/products').query({ q });

      expect(res.status).toBe(200);
      const first = (res.body.data as { name: string }[]).slice(0, top.length).map((p) => p.name);
      if (anyOrder) expect(new Set(first)).toEqual(new Set(top));
      else expect(first).toEqual(top);
    },
  );

  it('when nothing is close to the search, then nothing is found and nothing is corrected', async () => {
    const res = await request(ctx.app).get('/api/products').query({ q: 'zqxjv' });

    expect(res.body.data).toEqual([]);
    expect(res.body.search).toEqual({ words: ['zqxjv'], corrections: [] });
  });
});
