import request from 'supertest';
import { saveBatch } from '../src/data/saga-repository';
import { SEARCH_COUNT_CAP } from '../src/domain/catalog';
import { as, createProduct, startTestApp, type TestApp } from './support/test-app';

interface Listed {
  data: { id: string; name: string }[];
  pagination: { total: number; totalCapped: boolean };
  facets: { categories: { category: string; count: number }[]; capped: boolean };
}

/** A one-word search is answered from search_postings: the triggers on products must keep it in step. */
describe('search postings: what a one-word search reads follows every product change that matters', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const search = async (q: string) => {
    const res = await request(ctx.app).get('/api/products').query({ q });
    expect(res.status).toBe(200);
    return res.body as Listed;
  };
  const names = async (q: string) => (await search(q)).data.map((p) => p.name);
  /** The product's postings with the transaction that wrote each: a rewrite changes xmin. */
  const postingsOf = async (productId: string) =>
    (
      await ctx.pool.query<{ lexeme: string; score: number; xmin: string }>(
        `SELECT lexeme, score, xmin::text FROM search_postings WHERE product_id = $1 ORDER BY lexeme`,
        [productId],
      )
    ).rows;

  it('when a product is created, renamed and archived, then a one-word search finds it, then only by its new name, then not at all', async () => {
    const seller = ctx.user('seller');
    const created = await createProduct(ctx.app, seller, { name: 'Axolotlish mug', description: 'Holds tea.' });

    expect(await names('axolotlish')).toEqual(['Axolotlish mug']);

    const renamed = await as(ctx.app, seller).patch(`/api/products/${created.id}`, {
      version: created.version,
      name: 'Pangolinish mug',
    });
    expect(renamed.status).toBe(200);

    expect(await names('axolotlish')).toEqual([]);
    expect(await names('pangolinish')).toEqual(['Pangolinish mug']);

    const archived = await as(ctx.app, seller).delete(`/api/products/${created.id}`);
    expect(archived.status).toBe(200);

    expect(await names('pangolinish')).toEqual([]);
    expect(await postingsOf(created.id)).toEqual([]);
  });

  it('when a product changes category, then the facets of a one-word search count it in its new one', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller, { name: 'Quokkaware bowl', category: 'home' });

    const moved = await as(ctx.app, seller).patch(`/api/products/${product.id}`, {
      version: product.version,
      category: 'garden',
    });
    expect(moved.status).toBe(200);

    expect((await search('quokkaware')).facets.categories).toEqual([{ category: 'garden', count: 1 }]);
  });

  it('when a sale or a give-back changes stock, then the product keeps its postings untouched and stays found', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller, { name: 'Narwhalette lamp', stock: 10 });
    const before = await postingsOf(product.id);
    expect(before.length).toBeGreaterThan(0);

    await ctx.db.transaction((tx) =>
      saveBatch(tx, { stock: new Map([[product.id, -3]]), outcomes: [], reservations: [], released: [], replies: [] }),
    );
    await ctx.db.transaction((tx) =>
      saveBatch(tx, { stock: new Map([[product.id, 2]]), outcomes: [], reservations: [], released: [], replies: [] }),
    );

    expect(await postingsOf(product.id)).toEqual(before);
    const found = await request(ctx.app).get(`/api/products/${product.id}`);
    expect(found.body.stock).toBe(9);
    expect(await names('narwhalette')).toEqual(['Narwhalette lamp']);
  });

  it('when an edit changes only the price, then the postings are not rewritten', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller, { name: 'Tapirine stool', price: '30.00' });
    const before = await postingsOf(product.id);

    const edited = await as(ctx.app, seller).patch(`/api/products/${product.id}`, {
      version: product.version,
      name: product.name,
      price: '25.00',
    });
    expect(edited.status).toBe(200);

    expect(await postingsOf(product.id)).toEqual(before);
  });

  it('when a word is in one name first, in another later and in a third only in its description, then they rank in that order, newest first among equals', async () => {
    const seller = ctx.user('seller');
    await createProduct(ctx.app, seller, { name: 'Blue ocelotic vase', description: 'Glass.' });
    await createProduct(ctx.app, seller, { name: 'Shelf', description: 'Fits an ocelotic vase.' });
    await createProduct(ctx.app, seller, { name: 'Ocelotic print', description: 'Paper.' });
    await createProduct(ctx.app, seller, { name: 'Red ocelotic vase', description: 'Clay.' });

    expect(await names('ocelotic')).toEqual(['Ocelotic print', 'Red ocelotic vase', 'Blue ocelotic vase', 'Shelf']);
  });

  it('when more products hold one word than the cap, then the total and facets stop at the cap, and the best come first', async () => {
    const seller = ctx.user('seller');
    await ctx.pool.query(
      `INSERT INTO products (seller_id, seller_name, name, description, category, price, stock)
       SELECT $1, 'bulk-seller', 'Item ' || i, 'with a dugongish pattern', CASE WHEN i % 2 = 0 THEN 'home' ELSE 'toys' END, 9.99, 5
       FROM generate_series(1, $2) AS i`,
      [seller.id, SEARCH_COUNT_CAP + 5],
    );
    await createProduct(ctx.app, seller, { name: 'Plain cup', description: 'No pattern.' });
    const best = await createProduct(ctx.app, seller, { name: 'Dugongish cup', description: 'No pattern.' });
    await createProduct(ctx.app, seller, { name: 'Plain plate', description: 'No pattern.' });

    const found = await search('dugongish');

    expect(found.data[0]?.id).toBe(best.id);
    expect(found.pagination).toMatchObject({ total: SEARCH_COUNT_CAP, totalCapped: true });
    expect(found.facets.capped).toBe(true);
    expect(found.facets.categories.reduce((sum, c) => sum + c.count, 0)).toBe(SEARCH_COUNT_CAP + 1);
  });
});
