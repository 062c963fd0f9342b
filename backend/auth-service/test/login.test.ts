import request from 'supertest';
import { upsertAdmin } from '../src/domain/admin-accounts';
import { createPasswordHasher } from '../src/domain/passwords';
import {
  CSRF,
  PASSWORD,
  adminSession,
  login,
  me,
  newCredentials,
  setCookies,
  signup,
  startTestApp,
  type TestApp,
} from './support/test-app';

describe('POST /api/auth/login', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  it('when the password is right, then it answers 200 with the user and sets both session cookies', async () => {
    const { credentials, user } = await signup(ctx.app);

    const res = await login(ctx.app, credentials.email, credentials.password);

    expect(res.status).toBe(200);
    expect(res.body).toEqual(user);
    const cookies = setCookies(res);
    expect(cookies.access_token?.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
    expect(cookies.refresh_token?.attributes).toEqual(
      expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api/auth']),
    );
    expect((await me(ctx.app, cookies.access_token?.value ?? '')).body).toEqual(user);
  });

  it('when the email is typed in another letter case with spaces around it, then it still signs in', async () => {
    const { credentials } = await signup(ctx.app);

    const res = await login(ctx.app, `  ${credentials.email.toUpperCase()} `, credentials.password);

    expect(res.status).toBe(200);
  });

  it('when the password is wrong or the email unknown, then both answer the same 401 INVALID_CREDENTIALS', async () => {
    const { credentials } = await signup(ctx.app);

    const wrongPassword = await login(ctx.app, credentials.email, 'not the password');
    const unknownEmail = await login(ctx.app, newCredentials().email, 'not the password');

    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(wrongPassword.body).toEqual({
      error: { code: 'INVALID_CREDENTIALS', message: 'email or password is incorrect' },
    });
    expect(wrongPassword.headers['set-cookie']).toBeUndefined();
    expect(unknownEmail.headers['set-cookie']).toBeUndefined();
  });

  it('when the password is the first 72 bytes of a longer one, then a login with the longer one is refused', async () => {
    const password = 'p'.repeat(72);
    const { credentials } = await signup(ctx.app, newCredentials({ password }));

    const res = await login(ctx.app, credentials.email, `${password}and-more`);

    expect(res.status).toBe(401);
    expect((await login(ctx.app, credentials.email, password)).status).toBe(200);
  });

  it('when an admin has disabled the account, then the right password no longer signs in', async () => {
    const admin = await adminSession(ctx);
    const { credentials, user } = await signup(ctx.app);
    await request(ctx.app)
      .patch(`/api/auth/users/${user.id}`)
      .set(CSRF)
      .set('Cookie', `access_token=${admin.access}`)
      .send({ disabled: true })
      .expect(200);

    const res = await login(ctx.app, credentials.email, credentials.password);

    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({
      code: 'FORBIDDEN',
      message: 'this account is disabled; contact an administrator',
    });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('when an operator creates an admin, then the admin signs in with the admin role', async () => {
    const credentials = newCredentials();
    await upsertAdmin({ db: ctx.db, passwords: createPasswordHasher(4) }, credentials);

    const res = await login(ctx.app, credentials.email, credentials.password);

    expect(res.status).toBe(200);
    expect(res.body.role).toBe('admin');
  });

  it('when the CSRF header is missing, then it answers 403 CSRF_FAILED', async () => {
    const { credentials } = await signup(ctx.app);

    const res = await request(ctx.app).post('/api/auth/login').send({ email: credentials.email, password: PASSWORD });

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_FAILED');
  });

  it('when the body has unknown or missing fields, then it answers 400 VALIDATION_FAILED with field details', async () => {
    const res = await request(ctx.app).post('/api/auth/login').set(CSRF).send({ email: 'a@b.test', remember: true });

    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'password' }),
        expect.objectContaining({ field: 'remember' }),
      ]),
    );
  });

  it('when logins succeed and fail, then no log line holds the password, a hash or a token', async () => {
    const { credentials } = await signup(ctx.app, newCredentials({ password: 'login-log-secret-password' }));

    const ok = await login(ctx.app, credentials.email, credentials.password);
    await login(ctx.app, credentials.email, 'login-log-wrong-password');

    const cookies = setCookies(ok);
    const logs = ctx.logs.join('\n');
    for (const secret of [
      'login-log-secret-password',
      'login-log-wrong-password',
      '$2b$',
      cookies.access_token?.value,
      cookies.refresh_token?.value,
    ]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).toContain('sign-in failed');
  });
});
