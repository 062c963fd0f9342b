import request from 'supertest';
import { CSRF, adminSession, me, refresh, setCookies, signup, startTestApp, type TestApp } from './support/test-app';

describe('POST /api/auth/refresh', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    // No grace: every replay here is theft (refresh-grace.test.ts covers the grace).
    ctx = await startTestApp({ REFRESH_REUSE_GRACE_SECONDS: '0' });
  });
  afterAll(() => ctx.close());

  it('when the refresh token is current, then it answers 200 with the user and rotates both cookies', async () => {
    const session = await signup(ctx.app);

    const res = await refresh(ctx.app, session.refresh);

    expect(res.status).toBe(200);
    expect(res.body).toEqual(session.user);
    const cookies = setCookies(res);
    expect(cookies.refresh_token?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookies.refresh_token?.value).not.toBe(session.refresh);
    expect(cookies.access_token?.value).toBeDefined();
    expect(cookies.access_token?.value).not.toBe(session.access);
    expect(cookies.refresh_token?.attributes).toEqual(
      expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api/auth']),
    );
    expect((await me(ctx.app, cookies.access_token?.value ?? '')).status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(cookies.refresh_token?.value ?? '');
  });

  it('when each new token is used in turn, then every rotation succeeds', async () => {
    let token = (await signup(ctx.app)).refresh;

    for (let i = 0; i < 3; i += 1) {
      const res = await refresh(ctx.app, token);
      expect(res.status).toBe(200);
      token = setCookies(res).refresh_token?.value ?? '';
    }
  });

  it('when a retired refresh token is replayed, then it answers 401 and the newest token of the family stops working too', async () => {
    const session = await signup(ctx.app);
    const rotated = setCookies(await refresh(ctx.app, session.refresh));
    const newest = setCookies(await refresh(ctx.app, rotated.refresh_token?.value ?? '')).refresh_token?.value ?? '';

    const replay = await refresh(ctx.app, session.refresh);

    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('UNAUTHENTICATED');
    expect((await refresh(ctx.app, newest)).status).toBe(401);
    expect(ctx.logs.join('\n')).toContain('refresh token presented twice; token family revoked');
  });

  it('when one family is revoked for reuse, then another login of the same user keeps working', async () => {
    const session = await signup(ctx.app);
    const other = await request(ctx.app)
      .post('/api/auth/login')
      .set(CSRF)
      .send({ email: session.credentials.email, password: session.credentials.password });
    await refresh(ctx.app, session.refresh);
    await refresh(ctx.app, session.refresh);

    const res = await refresh(ctx.app, setCookies(other).refresh_token?.value ?? '');

    expect(res.status).toBe(200);
  });

  it('when the token is unknown, then it answers 401 and clears both cookies', async () => {
    const res = await refresh(ctx.app, 'A'.repeat(43));

    expect(res.status).toBe(401);
    const cookies = setCookies(res);
    expect(cookies.access_token?.value).toBe('');
    expect(cookies.refresh_token?.value).toBe('');
    expect(cookies.refresh_token?.attributes).toContain('path=/api/auth');
  });

  it('when there is no refresh cookie, then it answers 401 UNAUTHENTICATED', async () => {
    const res = await request(ctx.app).post('/api/auth/refresh').set(CSRF);

    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('when the refresh token has expired, then it answers 401', async () => {
    const session = await signup(ctx.app);
    const afterExpiry = Date.now() + (ctx.config.REFRESH_TOKEN_TTL_SECONDS + 1) * 1000;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(afterExpiry);
    try {
      expect((await refresh(ctx.app, session.refresh)).status).toBe(401);
    } finally {
      clock.mockRestore();
    }
  });

  it('when the account has been disabled, then refreshing answers 401', async () => {
    const admin = await adminSession(ctx);
    const session = await signup(ctx.app);
    await request(ctx.app)
      .patch(`/api/auth/users/${session.user.id}`)
      .set(CSRF)
      .set('Cookie', `access_token=${admin.access}`)
      .send({ disabled: true })
      .expect(200);

    const res = await refresh(ctx.app, session.refresh);

    expect(res.status).toBe(401);
  });

  it('when the CSRF header is missing, then it answers 403 and the token is not consumed', async () => {
    const session = await signup(ctx.app);

    const res = await request(ctx.app).post('/api/auth/refresh').set('Cookie', `refresh_token=${session.refresh}`);

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_FAILED');
    expect((await refresh(ctx.app, session.refresh)).status).toBe(200);
  });
});
