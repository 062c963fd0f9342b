import request from 'supertest';
import type * as CatalogModule from '../src/domain/catalog';
import { createProduct, startTestApp, type TestApp } from './support/test-app';

// The real caps are 10,000 rows (1,000 for a text search); 7 and 5 let a handful of products cross them. Only the constants change.
jest.mock('../src/domain/catalog', () => {
  const actual = jest.requireActual<typeof CatalogModule>('../src/domain/catalog');
  return {
    ...actual,
    createCatalog: (db: Parameters<typeof actual.createCatalog>[0]) =>
      actual.createCatalog(db, { countCap: 7, searchCountCap: 5 }),
  };
});

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

  /** Creates `n` products whose names share `tag`, so a search sees exactly them. */
  async function productsTagged(tag: string, n: number) {
    const seller = ctx.user('seller');
    const created = [];
    for (let i = 0; i < n; i++) created.push(await createProduct(ctx.app, seller, { name: `${tag} ${i}` }));
    return created.map((p) => p.id);
  }

  it('when more products match than the cap, then the total is the cap, marked capped, and totalPages counts the pages up to it', async () => {
    await productsTagged('capped-c1', 8);

    const first = await list({ q: 'capped-c1', pageSize: 2 });

    expect(first.pagination).toEqual({ page: 1, pageSize: 2, total: 5, totalPages: 3, totalCapped: true });
    expect(first.data).toHaveLength(2);
  });

  it('when the list is not a text search, then it counts up to its own, larger cap', async () => {
    const seller = ctx.user('seller');
    for (let i = 0; i < 8; i++) await createProduct(ctx.app, seller, { name: `plain-c6 ${i}`, category: 'garden' });

    const res = await list({ category: 'garden', pageSize: 2 });

    expect(res.pagination).toEqual({ page: 1, pageSize: 2, total: 7, totalPages: 4, totalCapped: true });
  });

  it('when as many products match as the cap, then the total is exact', async () => {
    await productsTagged('atcap-c2', 5);

    expect((await list({ q: 'atcap-c2', pageSize: 2 })).pagination).toEqual({
      page: 1,
      pageSize: 2,
      total: 5,
      totalPages: 3,
      totalCapped: false,
    });
  });

  it('when paging past the cap while nothing changes, then every product appears exactly once and the last page has the exact total', async () => {
    const created = await productsTagged('beyond-c3', 11);

    const seen: string[] = [];
    const paginations: Listed['pagination'][] = [];
    for (let page = 1; page <= 4; page++) {
      const res = await list({ q: 'beyond-c3', page, pageSize: 3 });
      seen.push(...res.data.map((p) => p.id));
      paginations.push(res.pagination);
    }

    expect(seen).toHaveLength(11);
    expect(new Set(seen)).toEqual(new Set(created));
    // Beyond the cap the count reaches one row past the page, so "capped" always promises a next page.
    expect(paginations.map((p) => [p.total, p.totalPages, p.totalCapped])).toEqual([
      [5, 2, true],
      [6, 2, true],
      [9, 3, true],
      [11, 4, false],
    ]);
  });

  it('when a page lies past the last product, then it is empty and carries the exact total', async () => {
    await productsTagged('past-end-c4', 7);

    const res = await list({ q: 'past-end-c4', page: 5, pageSize: 3 });

    expect(res.data).toEqual([]);
    expect(res.pagination).toEqual({ page: 5, pageSize: 3, total: 7, totalPages: 3, totalCapped: false });
  });

  it('when a seller lists their own products, then the total is exact whatever the cap', async () => {
    const seller = ctx.user('seller');
    for (let i = 0; i < 7; i++) await createProduct(ctx.app, seller, { name: `mine-c5 ${i}` });

    const res = await request(ctx.app)
      .get('/api/products/mine')
      .set('Cookie', `access_token=${seller.token}`)
      .query({ pageSize: 2 });

    expect(res.body.pagination).toEqual({ page: 1, pageSize: 2, total: 7, totalPages: 4, totalCapped: false });
  });
});
