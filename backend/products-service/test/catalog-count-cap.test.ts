import request from 'supertest';
import { uniqueSuffix } from '@market/kit/testing';
import { CATALOG_COUNT_CAP, SEARCH_COUNT_CAP } from '../src/domain/catalog';
import { startTestApp, type TestApp } from './support/test-app';

interface Listed {
  data: { id: string }[];
  pagination: { page: number; pageSize: number; total: number; totalPages: number; totalCapped: boolean };
}

describe('public catalog: the total stops counting at a cap', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const list = async (query: Record<string, string | number>) => {
    const res = await request(ctx.app).get('/api/products').query(query);
    expect(res.status).toBe(200);
    return res.body as Listed;
  };

  /**
   * Inserts `n` active products of one seller in one statement, named `<tag> <i>` (a search for
   * the tag finds exactly them): enough rows to cross the real caps. Returns the tag and their ids.
   */
  async function products(n: number, { category = 'home', sellerId = ctx.user('seller').id } = {}) {
    const tag = `tag${uniqueSuffix()}`;
    const { rows } = await ctx.pool.query<{ id: string }>(
      `INSERT INTO products (seller_id, seller_name, name, description, category, price, stock)
       SELECT $1, 'bulk-seller', $2 || ' ' || i, '', $3, 9.99, 5 FROM generate_series(1, $4) AS i
       RETURNING id`,
      [sellerId, tag, category, n],
    );
    return { tag, ids: rows.map((r) => r.id) };
  }

  it('when more products match a search than its cap, then the total is the cap, marked capped, and totalPages counts the pages up to it', async () => {
    const { tag } = await products(SEARCH_COUNT_CAP + 3);

    const first = await list({ q: tag, pageSize: 100 });

    expect(first.pagination).toEqual({
      page: 1,
      pageSize: 100,
      total: SEARCH_COUNT_CAP,
      totalPages: SEARCH_COUNT_CAP / 100,
      totalCapped: true,
    });
    expect(first.data).toHaveLength(100);
  });

  it('when the list is not a text search, then it counts up to its own, larger cap', async () => {
    await products(CATALOG_COUNT_CAP + 1, { category: 'garden' });

    const res = await list({ category: 'garden', pageSize: 100 });

    expect(res.pagination).toEqual({
      page: 1,
      pageSize: 100,
      total: CATALOG_COUNT_CAP,
      totalPages: CATALOG_COUNT_CAP / 100,
      totalCapped: true,
    });
  });

  it('when as many products match as the cap, then the total is exact', async () => {
    const { tag } = await products(SEARCH_COUNT_CAP);

    expect((await list({ q: tag, pageSize: 100 })).pagination).toEqual({
      page: 1,
      pageSize: 100,
      total: SEARCH_COUNT_CAP,
      totalPages: SEARCH_COUNT_CAP / 100,
      totalCapped: false,
    });
  });

  // Relevance ranks the matches the count reached, a set that grows past the cap; a stable
  // order (newest, price, name) is what pages through every match exactly once.
  it('when paging past the cap in a stable order while nothing changes, then every product appears exactly once and the last page has the exact total', async () => {
    const { tag, ids } = await products(SEARCH_COUNT_CAP + 150);

    const seen: string[] = [];
    const paginations: Listed['pagination'][] = [];
    for (let page = 1; page <= 12; page++) {
      const res = await list({ q: tag, sort: 'newest', page, pageSize: 100 });
      seen.push(...res.data.map((p) => p.id));
      paginations.push(res.pagination);
    }

    expect(seen).toHaveLength(ids.length);
    expect(new Set(seen)).toEqual(new Set(ids));
    // Beyond the cap the count reaches one row past the page, so "capped" always promises a next page.
    const capped = [SEARCH_COUNT_CAP, SEARCH_COUNT_CAP / 100, true];
    expect(paginations.map((p) => [p.total, p.totalPages, p.totalCapped])).toEqual([
      ...Array.from({ length: 10 }, () => capped),
      [SEARCH_COUNT_CAP + 100, SEARCH_COUNT_CAP / 100 + 1, true],
      [SEARCH_COUNT_CAP + 150, SEARCH_COUNT_CAP / 100 + 2, false],
    ]);
  });

  it('when a page lies past the last product, then it is empty and carries the exact total', async () => {
    const { tag } = await products(7);

    const res = await list({ q: tag, page: 5, pageSize: 3 });

    expect(res.data).toEqual([]);
    expect(res.pagination).toEqual({ page: 5, pageSize: 3, total: 7, totalPages: 3, totalCapped: false });
  });

  it('when a seller lists their own products, then the total is exact even past the public cap', async () => {
    const seller = ctx.user('seller');
    await products(CATALOG_COUNT_CAP + 1, { sellerId: seller.id });

    const res = await request(ctx.app)
      .get('/api/products/mine')
      .set('Cookie', `access_token=${seller.token}`)
      .query({ pageSize: 100 });

    expect(res.body.pagination).toEqual({
      page: 1,
      pageSize: 100,
      total: CATALOG_COUNT_CAP + 1,
      totalPages: CATALOG_COUNT_CAP / 100 + 1,
      totalCapped: false,
    });
  });
});
