import request from 'supertest';
import { SEARCH_COUNT_CAP } from '../src/domain/catalog';
import { createProduct, startTestApp, type TestApp } from './support/test-app';

interface Listed {
  id: string;
  name: string;
  price: string;
  stock: number;
  category: string;
}

describe('catalog search: filters, facets, corrections and their limits', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const list = (query: Record<string, string | number | boolean>) => request(ctx.app).get('/api/products').query(query);
  const names = (res: request.Response) => (res.body.data as Listed[]).map((p) => p.name);

  it('when a buyer searches with price bounds, in stock only and a seller, then only matching products come back', async () => {
    const seller = ctx.user('seller');
    const rival = ctx.user('seller');
    await createProduct(ctx.app, seller, { name: 'fltr-lantern cheap', price: '5.00', stock: 3 });
    await createProduct(ctx.app, seller, { name: 'fltr-lantern middle', price: '20.00', stock: 3 });
    await createProduct(ctx.app, seller, { name: 'fltr-lantern sold out', price: '20.00', stock: 0 });
    await createProduct(ctx.app, seller, { name: 'fltr-lantern dear', price: '80.00', stock: 3 });
    await createProduct(ctx.app, rival, { name: 'fltr-lantern rival', price: '20.00', stock: 3 });

    const bounded = await list({ q: 'fltr-lantern', minPrice: '10', maxPrice: '20.00', sort: 'name' });
    const inStock = await list({
      q: 'fltr-lantern',
      minPrice: '10',
      maxPrice: '20',
      inStock: true,
      sellerId: seller.id,
    });
    const noText = await list({ sellerId: rival.id, inStock: 'false' });

    expect(names(bounded)).toEqual(['fltr-lantern middle', 'fltr-lantern rival', 'fltr-lantern sold out']);
    expect(names(inStock)).toEqual(['fltr-lantern middle']);
    expect(names(noText)).toEqual(['fltr-lantern rival']);
  });

  it('when minPrice is above maxPrice or a filter is malformed, then it answers 400 naming the field', async () => {
    const [reversed, notPrice, tooDeep, notFlag, notSeller, tooLong] = await Promise.all([
      list({ minPrice: '30', maxPrice: '10.50' }),
      list({ minPrice: '1e3' }),
      list({ maxPrice: '1000000' }),
      list({ inStock: 'yes' }),
      list({ sellerId: 'someone' }),
      list({ q: 'x'.repeat(101) }),
    ]);

    expect(reversed.status).toBe(400);
    expect(reversed.body.error.details).toEqual([
      { field: 'query.maxPrice', message: 'maxPrice must not be below minPrice' },
    ]);
    for (const [res, field] of [
      [notPrice, 'query.minPrice'],
      [tooDeep, 'query.maxPrice'],
      [notFlag, 'query.inStock'],
      [notSeller, 'query.sellerId'],
      [tooLong, 'query.q'],
    ] as const) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual([field]);
    }
  });

  it('when a search matches several categories, then facets count each, ignoring the chosen category but not the other filters', async () => {
    const seller = ctx.user('seller');
    await createProduct(ctx.app, seller, { name: 'facet-quokka one', category: 'toys' });
    await createProduct(ctx.app, seller, { name: 'facet-quokka two', category: 'toys' });
    await createProduct(ctx.app, seller, { name: 'facet-quokka book', category: 'books' });
    await createProduct(ctx.app, seller, { name: 'facet-quokka none left', category: 'garden', stock: 0 });

    const res = await list({ q: 'facet-quokka', category: 'books', inStock: true });

    expect(names(res)).toEqual(['facet-quokka book']);
    expect(res.body.facets).toEqual({
      categories: [
        { category: 'toys', count: 2 },
        { category: 'books', count: 1 },
      ],
      capped: false,
    });
  });

  it('when more products match than the cap, then facets stop counting there and say so', async () => {
    const seller = ctx.user('seller');
    await ctx.pool.query(
      `INSERT INTO products (seller_id, seller_name, name, description, category, price, stock)
       SELECT $1, 'bulk', 'facetcap wombat ' || i, '', 'home', 9.99, 5 FROM generate_series(1, $2) AS i`,
      [seller.id, SEARCH_COUNT_CAP + 5],
    );

    const res = await list({ q: 'facetcap wombat' });

    expect(res.body.facets).toEqual({ categories: [{ category: 'home', count: SEARCH_COUNT_CAP + 1 }], capped: true });
    expect(res.body.pagination).toMatchObject({ total: SEARCH_COUNT_CAP, totalCapped: true });
  });

  it('when a word is misspelt, then the closest known words are searched and named; a known word is never corrected', async () => {
    const seller = ctx.user('seller');
    await createProduct(ctx.app, seller, { name: 'Xylophone mallets' });

    const typo = await list({ q: 'xylophnoe' });
    const prefix = await list({ q: 'xyloph' });

    expect(names(typo)).toEqual(['Xylophone mallets']);
    expect(typo.body.search).toEqual({
      words: ['xylophnoe', 'xylophone'],
      corrections: [{ from: 'xylophnoe', to: ['xylophone'] }],
    });
    expect(names(prefix)).toEqual(['Xylophone mallets']);
    expect(prefix.body.search).toEqual({ words: ['xyloph'], corrections: [] });
  });

  it('when the last word is still being typed, then it matches as a prefix; once it is a whole known word, as that word', async () => {
    const seller = ctx.user('seller');
    await createProduct(ctx.app, seller, { name: 'Wombatine bowl' });
    await createProduct(ctx.app, seller, { name: 'Wombatinetta shelf' });

    expect(new Set(names(await list({ q: 'wombati' })))).toEqual(new Set(['Wombatine bowl', 'Wombatinetta shelf']));
    expect(names(await list({ q: 'wombatine' }))).toEqual(['Wombatine bowl']);
    expect(names(await list({ q: 'wombatinet' }))).toEqual(['Wombatinetta shelf']);
  });

  it('when a product is renamed, then its new words are searchable, misspelt ones included', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller, { name: 'Plain thing' });
    await request(ctx.app)
      .patch(`/api/products/${product.id}`)
      .set({ Authorization: `Bearer ${seller.token}`, 'X-Requested-With': 'marketplace' })
      .send({ version: product.version, name: 'Quetzalcoatl figurine' })
      .expect(200);

    expect(names(await list({ q: 'quetzalcoatl' }))).toEqual(['Quetzalcoatl figurine']);
    expect(names(await list({ q: 'quetzlcoatl' }))).toEqual(['Quetzalcoatl figurine']);
  });

  it('when q is given without a sort, then relevance orders it; an explicit sort still applies', async () => {
    const seller = ctx.user('seller');
    const inName = await createProduct(ctx.app, seller, { name: 'Okapi plush', price: '30.00' });
    const inDescription = await createProduct(ctx.app, seller, {
      name: 'Savanna set',
      description: 'comes with an okapi',
      price: '10.00',
    });

    expect(names(await list({ q: 'okapi' }))).toEqual([inName.name, inDescription.name]);
    expect(names(await list({ q: 'okapi', sort: 'price_asc' }))).toEqual([inDescription.name, inName.name]);
  });
});
