import request from 'supertest';
import { adminSession, CSRF, login, newCredentials, signup, startTestApp, type TestApp } from './support/test-app';

describe('admin: GET /api/auth/users and PATCH /api/auth/users/:id', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const asAdmin = async () => `access_token=${(await adminSession(ctx)).access}`;

  it('when a buyer or a seller calls the admin endpoints, then both answer 403 FORBIDDEN', async () => {
    const target = await signup(ctx.app);
    for (const role of ['buyer', 'seller'] as const) {
      const caller = await signup(ctx.app, newCredentials({ role }));
      const list = await request(ctx.app).get('/api/auth/users').set('Cookie', `access_token=${caller.access}`);
      expect(list.status).toBe(403);
      expect(list.body.error.code).toBe('FORBIDDEN');
      const patch = await request(ctx.app)
        .patch(`/api/auth/users/${target.user.id}`)
        .set(CSRF)
        .set('Cookie', `access_token=${caller.access}`)
        .send({ disabled: true });
      expect(patch.status).toBe(403);
    }
    const stillWorks = await login(ctx.app, target.credentials.email, target.credentials.password);
    expect(stillWorks.status).toBe(200);
  });

  it('when nobody is signed in, then the admin endpoints answer 401', async () => {
    const res = await request(ctx.app).get('/api/auth/users');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('when an admin lists users, then each page shows roles and the disabled flag, never a password hash', async () => {
    const someone = await signup(ctx.app);
    const res = await request(ctx.app)
      .get('/api/auth/users')
      .query({ q: someone.credentials.username, pageSize: 5 })
      .set('Cookie', await asAdmin());
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([expect.objectContaining({ id: someone.user.id, role: 'buyer', disabled: false })]);
    expect(res.body.pagination).toEqual(expect.objectContaining({ page: 1, pageSize: 5, total: 1 }));
    expect(res.text).not.toMatch(/\$2[aby]\$/);
  });

  it('when an admin makes a buyer a seller, then the next login carries the seller role', async () => {
    const someone = await signup(ctx.app);
    const res = await request(ctx.app)
      .patch(`/api/auth/users/${someone.user.id}`)
      .set(CSRF)
      .set('Cookie', await asAdmin())
      .send({ role: 'seller' });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('seller');
    const again = await login(ctx.app, someone.credentials.email, someone.credentials.password);
    expect(again.body.role).toBe('seller');
  });

  it('when an admin disables a user, then that user can neither sign in nor refresh', async () => {
    const someone = await signup(ctx.app);
    const res = await request(ctx.app)
      .patch(`/api/auth/users/${someone.user.id}`)
      .set(CSRF)
      .set('Cookie', await asAdmin())
      .send({ disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);
    expect((await login(ctx.app, someone.credentials.email, someone.credentials.password)).status).toBe(403);
    const refreshed = await request(ctx.app)
      .post('/api/auth/refresh')
      .set(CSRF)
      .set('Cookie', `refresh_token=${someone.refresh}`);
    expect(refreshed.status).toBe(401);
  });

  it('when the patch is empty, unknown or names a missing user, then it answers 400 or 404 in the envelope', async () => {
    const cookie = await asAdmin();
    const someone = await signup(ctx.app);
    const empty = await request(ctx.app)
      .patch(`/api/auth/users/${someone.user.id}`)
      .set(CSRF)
      .set('Cookie', cookie)
      .send({});
    expect(empty.status).toBe(400);
    const unknown = await request(ctx.app)
      .patch(`/api/auth/users/${someone.user.id}`)
      .set(CSRF)
      .set('Cookie', cookie)
      .send({ passwordHash: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([expect.objectContaining({ field: 'passwordHash' })]);
    const badRole = await request(ctx.app)
      .patch(`/api/auth/users/${someone.user.id}`)
      .set(CSRF)
      .set('Cookie', cookie)
      .send({ role: 'root' });
    expect(badRole.status).toBe(400);
    const missing = await request(ctx.app)
      .patch('/api/auth/users/00000000-0000-4000-8000-00000000dead')
      .set(CSRF)
      .set('Cookie', cookie)
      .send({ disabled: true });
    expect(missing.status).toBe(404);
  });

  it('when an admin tries to disable itself, then it answers 403 and stays an admin', async () => {
    const admin = await adminSession(ctx);
    const res = await request(ctx.app)
      .patch(`/api/auth/users/${admin.user.id}`)
      .set(CSRF)
      .set('Cookie', `access_token=${admin.access}`)
      .send({ disabled: true });
    expect(res.status).toBe(403);
    const list = await request(ctx.app).get('/api/auth/users').set('Cookie', `access_token=${admin.access}`);
    expect(list.status).toBe(200);
  });

  it('when an admin is demoted, then its unexpired access token is refused: the role change revoked it', async () => {
    const demoted = await adminSession(ctx);
    const res = await request(ctx.app)
      .patch(`/api/auth/users/${demoted.user.id}`)
      .set(CSRF)
      .set('Cookie', await asAdmin())
      .send({ role: 'buyer' });
    expect(res.status).toBe(200);
    const list = await request(ctx.app).get('/api/auth/users').set('Cookie', `access_token=${demoted.access}`);
    expect(list.status).toBe(401);
  });
});
