import request from 'supertest';
import { CSRF, me, newCredentials, setCookies, signup, startTestApp, type TestApp } from './support/test-app';

describe('POST /api/auth/signup', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const post = (body: unknown) =>
    request(ctx.app)
      .post('/api/auth/signup')
      .set(CSRF)
      .send(body as object);

  it('when the details are valid, then it answers 201 with the user and signs them in with HttpOnly cookies', async () => {
    const credentials = newCredentials({ role: 'seller', email: `Mixed.Case-${Date.now()}@Example.TEST` });

    const res = await post(credentials);

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      username: credentials.username,
      email: credentials.email.toLowerCase(),
      role: 'seller',
      // Verified once the mailed link is opened (email-verification.test.ts).
      emailVerified: false,
    });
    const cookies = setCookies(res);
    expect(cookies.access_token?.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
    expect(cookies.refresh_token?.attributes).toEqual(
      expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api/auth']),
    );
    expect(cookies.access_token?.attributes).not.toContain('secure');
    const current = await me(ctx.app, cookies.access_token?.value ?? '');
    expect(current.body).toEqual(res.body);
  });

  it('when the email or the username exists in another letter case, then both answer the same 409 that names neither', async () => {
    const first = await signup(ctx.app);

    const emailTaken = await post(newCredentials({ email: first.credentials.email.toUpperCase() }));
    const usernameTaken = await post(newCredentials({ username: first.credentials.username.toUpperCase() }));

    expect(emailTaken.status).toBe(409);
    expect(usernameTaken.status).toBe(409);
    expect(emailTaken.body).toEqual({
      error: { code: 'CONFLICT', message: 'that email or username cannot be used' },
    });
    expect(usernameTaken.body).toEqual(emailTaken.body);
  });

  it.each([
    ['73 ASCII bytes', 'a'.repeat(73), 73],
    ['37 two-byte letters (74 bytes, 37 characters)', 'é'.repeat(37), 74],
    ['19 four-byte emoji (76 bytes)', '🔑'.repeat(19), 76],
  ])(
    'when the password is %s, then it answers 400 saying at most 72 bytes, instead of truncating',
    async (_name, password, bytes) => {
      const res = await post(newCredentials({ password }));

      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details).toEqual([
        { field: 'password', message: expect.stringContaining('at most 72 bytes') },
      ]);
      expect(res.body.error.details[0].message).toContain(`it is ${bytes} bytes`);
    },
  );

  it('when the password is exactly 72 bytes of multi-byte text, then the account is created', async () => {
    const res = await post(newCredentials({ password: 'é'.repeat(36) }));

    expect(res.status).toBe(201);
  });

  it('when the password is shorter than 10 bytes, then it answers 400 naming the minimum', async () => {
    const res = await post(newCredentials({ password: 'short' }));

    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'password', message: 'password must be at least 10 bytes long' }]);
  });

  it('when fields are unknown, missing or invalid, then it answers 400 VALIDATION_FAILED naming each field', async () => {
    const res = await post({ username: 'x', email: 'not-an-email', role: 'admin', isAdmin: true });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const fields = (res.body.error.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['email', 'isAdmin', 'password', 'role', 'username']);
  });

  it('when the CSRF header is missing, then it answers 403 CSRF_FAILED and creates nothing', async () => {
    const credentials = newCredentials();

    const res = await request(ctx.app).post('/api/auth/signup').send(credentials);

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_FAILED');
    expect((await post(credentials)).status).toBe(201);
  });

  it('when the browser marks the request cross-site, then it answers 403 even with the header', async () => {
    const res = await request(ctx.app)
      .post('/api/auth/signup')
      .set(CSRF)
      .set('Sec-Fetch-Site', 'cross-site')
      .send(newCredentials());

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_FAILED');
  });

  it('when an account is created, then neither the response nor any log line holds the password, its hash or a token', async () => {
    const credentials = newCredentials({ password: 'a-very-distinct-password' });

    const res = await post(credentials);

    expect(res.status).toBe(201);
    const cookies = setCookies(res);
    const secrets = [
      credentials.password,
      cookies.access_token?.value,
      cookies.refresh_token?.value,
      '$2b$',
    ] as string[];
    const logs = ctx.logs.join('\n');
    for (const secret of secrets) {
      expect(JSON.stringify(res.body)).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(Object.keys(res.body).sort()).toEqual(['email', 'emailVerified', 'id', 'role', 'username']);
    expect(logs).toContain('account created');
  });
});
