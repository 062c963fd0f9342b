import request from 'supertest';
import { CSRF, refresh, setCookies, signup, startTestApp, type TestApp } from './support/test-app';

describe('POST /api/auth/logout', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const logout = (cookie?: string) => {
    const req = request(ctx.app).post('/api/auth/logout').set(CSRF);
    return cookie ? req.set('Cookie', cookie) : req;
  };

  it('when signed in, then it answers 204, clears both cookies and the refresh token stops working', async () => {
    const session = await signup(ctx.app);

    const res = await logout(`refresh_token=${session.refresh}`);

    expect(res.status).toBe(204);
    const cookies = setCookies(res);
    expect(cookies.access_token).toMatchObject({
      value: '',
      attributes: expect.arrayContaining(['path=/', 'httponly']),
    });
    expect(cookies.refresh_token).toMatchObject({
      value: '',
      attributes: expect.arrayContaining(['path=/api/auth', 'httponly']),
    });
    expect((await refresh(ctx.app, session.refresh)).status).toBe(401);
  });

  it('when the presented token was already rotated, then the whole family is revoked, including its newest token', async () => {
    const session = await signup(ctx.app);
    const newest = setCookies(await refresh(ctx.app, session.refresh)).refresh_token?.value ?? '';

    await logout(`refresh_token=${session.refresh}`).expect(204);

    expect((await refresh(ctx.app, newest)).status).toBe(401);
  });

  it('when not signed in, then it still answers 204', async () => {
    expect((await logout()).status).toBe(204);
    expect((await logout('refresh_token=not-a-real-token')).status).toBe(204);
  });

  it('when the CSRF header is missing, then it answers 403 and the session survives', async () => {
    const session = await signup(ctx.app);

    const res = await request(ctx.app).post('/api/auth/logout').set('Cookie', `refresh_token=${session.refresh}`);

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_FAILED');
    expect((await refresh(ctx.app, session.refresh)).status).toBe(200);
  });
});
