import Redis from 'ioredis';
import request from 'supertest';
import { buildApp } from '../src/app';
import {
  CSRF,
  adminSession,
  login,
  me,
  newCredentials,
  refresh,
  setCookies,
  signup,
  startTestApp,
  type TestApp,
} from './support/test-app';

describe('revoking access tokens (logout everywhere, disable, role change)', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const logoutEverywhere = (access: string) =>
    request(ctx.app).post('/api/auth/logout-everywhere').set(CSRF).set('Cookie', `access_token=${access}`);
  const patchUser = (admin: string, id: string, body: object) =>
    request(ctx.app).patch(`/api/auth/users/${id}`).set(CSRF).set('Cookie', `access_token=${admin}`).send(body);

  it('when a user logs out everywhere, then every session dies and a sign-in right after works', async () => {
    const first = await signup(ctx.app);
    const { email, password } = first.credentials;
    const second = setCookies(await login(ctx.app, email, password));

    const res = await logoutEverywhere(first.access);

    expect(res.status).toBe(204);
    expect(setCookies(res).access_token?.value).toBe('');
    for (const access of [first.access, second.access_token?.value ?? ''])
      expect((await me(ctx.app, access)).body.error.code).toBe('UNAUTHENTICATED');
    for (const token of [first.refresh, second.refresh_token?.value ?? ''])
      expect((await refresh(ctx.app, token)).status).toBe(401);
    // Within the same second as the revocation: the new token's iat is later to the millisecond.
    const again = setCookies(await login(ctx.app, email, password));
    expect((await me(ctx.app, again.access_token?.value ?? '')).status).toBe(200);
  });

  it('when logging out everywhere without an access token or without the CSRF header, then nothing is revoked', async () => {
    const session = await signup(ctx.app);

    const anonymous = await request(ctx.app).post('/api/auth/logout-everywhere').set(CSRF);
    const crossSite = await request(ctx.app)
      .post('/api/auth/logout-everywhere')
      .set('Cookie', `access_token=${session.access}`);

    expect(anonymous.status).toBe(401);
    expect(crossSite.status).toBe(403);
    expect((await me(ctx.app, session.access)).status).toBe(200);
  });

  it('when an admin disables an admin, then the disabled one is refused at once, even on a token checked before', async () => {
    const admin = await adminSession(ctx);
    const other = await adminSession(ctx);
    expect((await me(ctx.app, other.access)).status).toBe(200);

    await patchUser(admin.access, other.user.id, { disabled: true }).expect(200);

    const res = await request(ctx.app).get('/api/auth/users').set('Cookie', `access_token=${other.access}`);
    expect(res.status).toBe(401);
    expect((await me(ctx.app, other.access)).status).toBe(401);
  });

  it('when Redis cannot record the revocation, then logout everywhere answers 503 and nothing was revoked', async () => {
    const session = await signup(ctx.app);
    // Never connected and no offline queue: every command fails at once, as during an outage.
    const unreachable = new Redis(ctx.config.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false });
    unreachable.connect = () => Promise.reject(new Error('redis is down'));
    const withoutRedis = buildApp({ ...ctx, redis: unreachable });

    const res = await request(withoutRedis)
      .post('/api/auth/logout-everywhere')
      .set(CSRF)
      .set('Cookie', `access_token=${session.access}`);
    unreachable.disconnect();

    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect((await me(ctx.app, session.access)).status).toBe(200);
    expect((await refresh(ctx.app, session.refresh)).status).toBe(200);
  });

  it('when a seller is made a buyer, then the old token is refused and a refresh carries the new role', async () => {
    const admin = await adminSession(ctx);
    const seller = await signup(ctx.app, newCredentials({ role: 'seller' }));

    await patchUser(admin.access, seller.user.id, { role: 'buyer' }).expect(200);

    expect((await me(ctx.app, seller.access)).status).toBe(401);
    const renewed = await refresh(ctx.app, seller.refresh);
    expect(renewed.status).toBe(200);
    expect(renewed.body.role).toBe('buyer');
  });
});
