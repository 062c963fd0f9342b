import request from 'supertest';
import {
  CSRF,
  newCredentials,
  randomIp,
  refresh,
  setCookies,
  signup,
  startTestApp,
  type TestApp,
} from './support/test-app';

describe('sign-up and refresh limits per client address', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp({
      SIGNUP_RATE_LIMIT_PER_IP: '3',
      SIGNUP_RATE_LIMIT_WINDOW_SECONDS: '600',
      REFRESH_RATE_LIMIT_PER_IP: '3',
      REFRESH_RATE_LIMIT_WINDOW_SECONDS: '600',
    });
  });
  afterAll(() => ctx.close());

  const signupFrom = (ip: string, body: object = newCredentials()) =>
    request(ctx.app).post('/api/auth/signup').set(CSRF).set('X-Forwarded-For', ip).send(body);

  it('when one address signs up more often than the limit, then the next sign-up answers 429 with Retry-After while another address still signs up', async () => {
    const ip = randomIp();
    // Invalid bodies count too: each attempt is counted before validation and the bcrypt hash.
    const statuses = [
      (await signupFrom(ip)).status,
      (await signupFrom(ip, { username: 'x' })).status,
      (await signupFrom(ip)).status,
    ];

    const limited = await signupFrom(ip);
    const elsewhere = await signupFrom(randomIp());

    expect(statuses).toEqual([201, 400, 201]);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['set-cookie']).toBeUndefined();
    expect(elsewhere.status).toBe(201);
  });

  it('when one address refreshes more often than the limit, then the next refresh answers 429 and its token still works from elsewhere', async () => {
    const ip = randomIp();
    let token = (await signup(ctx.app)).refresh;
    for (let i = 0; i < 3; i += 1) {
      const res = await refresh(ctx.app, token).set('X-Forwarded-For', ip);
      expect(res.status).toBe(200);
      token = setCookies(res).refresh_token?.value ?? '';
    }

    const limited = await refresh(ctx.app, token).set('X-Forwarded-For', ip);
    const elsewhere = await refresh(ctx.app, token).set('X-Forwarded-For', randomIp());

    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(elsewhere.status).toBe(200);
  });

  it.each([
    '/api/auth/LOGIN',
    '/api/auth/login/',
    '/api/auth/Signup',
    '/api/auth/signup/',
    '/api/auth/REFRESH',
    '/api/auth/refresh/',
  ])('when a limited route is spelt %s, then it is not found (nginx limits the exact path only)', async (path) => {
    const res = await request(ctx.app).post(path).set(CSRF).send({});

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
