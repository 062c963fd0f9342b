import { as, createProduct, startTestApp, type TestApp } from '../../backend/products-service/test/support/test-app';
import { fuzzDocument, summary, type Caller } from './support/fuzz-document';
import { fetchDocument, listen, RUNS } from './support/serve';

describe('products-service against its own OpenAPI document', () => {
  let ctx: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    ctx = await startTestApp();
    server = await listen(ctx.app);
  });
  afterAll(async () => {
    await server.close();
    await ctx.close();
  });

  it('when every operation is sent generated requests, valid and invalid, then every answer is one the document declares, in its closed schema', async () => {
    const seller = ctx.user('seller');
    const owned = await Promise.all([createProduct(ctx.app, seller), createProduct(ctx.app, seller, { price: 5 })]);
    const archived = await createProduct(ctx.app, seller);
    await as(ctx.app, seller).delete(`/api/products/${archived.id}`);
    const cookieOf = (user: ReturnType<TestApp['user']>) => ({ Cookie: `access_token=${user.token}` });
    const sellers: Caller[] = [
      { name: 'owner (seller)', headers: cookieOf(seller) },
      { name: 'owner by bearer', headers: { Authorization: `Bearer ${seller.token}` } },
      { name: 'another seller', headers: cookieOf(ctx.user('seller')) },
      { name: 'admin', headers: cookieOf(ctx.user('admin')) },
      { name: 'buyer', headers: cookieOf(ctx.user('buyer')) },
      { name: 'nobody', headers: {} },
      { name: 'a forged token', headers: { Cookie: 'access_token=not.a.token' } },
    ];

    const report = await fuzzDocument({
      baseUrl: server.baseUrl,
      document: await fetchDocument(server.baseUrl, '/api/products/openapi.json'),
      callers: (_path, _method, operation) => (operation.security ? sellers : [sellers[0]!, sellers[5]!, sellers[6]!]),
      knownValues: { id: [...owned.map((product) => product.id), archived.id] },
      bodies: { 'PATCH /api/products/{id}': [1, 2, 3].map((version) => ({ version, stock: 5 })) },
      runs: RUNS,
    });

    console.log(summary(report));
    expect(report.operations).toHaveLength(12);
    expect(report.failures).toEqual([]);
    expect(report.requests).toBeGreaterThanOrEqual(12 * RUNS);
  });
});
