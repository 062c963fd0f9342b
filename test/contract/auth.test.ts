import {
  adminSession,
  newCredentials,
  signup,
  startTestApp,
  type Session,
  type TestApp,
} from '../../backend/auth-service/test/support/test-app';
import { fuzzDocument, summary, type Caller } from './support/fuzz-document';
import { fetchDocument, listen, RUNS } from './support/serve';

describe('auth-service against its own OpenAPI document', () => {
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
    const admin = await adminSession(ctx);
    const buyer = await signup(ctx.app);
    const seller = await signup(ctx.app, newCredentials({ role: 'seller' }));
    // Users the admin operations change; the callers above stay as they are.
    const targets = await Promise.all([signup(ctx.app), signup(ctx.app, newCredentials({ role: 'seller' }))]);
    const refreshers = await Promise.all([signup(ctx.app), signup(ctx.app)]);
    // Logging out everywhere ends its caller's session: callers of its own.
    const leavers = await Promise.all([signup(ctx.app), signup(ctx.app)]);
    const access = (name: string, session: Session): Caller => ({
      name,
      headers: { Cookie: `access_token=${session.access}` },
    });
    const nobody: Caller = { name: 'nobody', headers: {} };
    const forged: Caller = {
      name: 'a forged token',
      headers: { Cookie: 'access_token=not.a.token; refresh_token=not-a-token' },
    };
    const signedIn = [access('admin', admin), access('buyer', buyer), access('seller', seller), nobody, forged];
    const refreshing = [
      ...refreshers.map((session, i) => ({
        name: `refresh ${i}`,
        headers: { Cookie: `refresh_token=${session.refresh}` },
      })),
      nobody,
      forged,
    ];

    const report = await fuzzDocument({
      baseUrl: server.baseUrl,
      document: await fetchDocument(server.baseUrl, '/api/auth/openapi.json'),
      callers: (path, _method, operation) =>
        path.endsWith('/refresh')
          ? refreshing
          : path.endsWith('/logout-everywhere')
            ? [...leavers.map((session, i) => access(`leaver ${i}`, session)), nobody, forged]
            : operation.security?.some((set) => 'accessCookie' in set)
              ? signedIn
              : [nobody, forged],
      knownValues: { id: [...targets.map((session) => session.user.id), admin.user.id] },
      bodies: {
        'POST /api/auth/login': [{ email: buyer.credentials.email, password: buyer.credentials.password }],
        'POST /api/auth/signup': [buyer.credentials],
      },
      runs: RUNS,
    });

    console.log(summary(report));
    expect(report.operations).toHaveLength(25);
    expect(report.failures).toEqual([]);
    expect(report.requests).toBeGreaterThanOrEqual(25 * RUNS);
  });
});
