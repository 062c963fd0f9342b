import type { Express } from 'express';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { generateTestKeys } from '@market/kit/testing';
import { loadConfig } from '../src/config';
import { upsertAdmin } from '../src/domain/admin-accounts';
import { createPasswordHasher } from '../src/domain/passwords';
import {
  CSRF,
  login,
  me,
  newCredentials,
  randomIp,
  setCookies,
  signup,
  startTestApp,
  TEST_TOTP_KEYS,
  type TestApp,
} from './support/test-app';

const STEP_MS = 30_000;

/** The code an authenticator app shows for `secret`, `steps` periods from now. */
const codeFor = (secret: string, steps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + steps * STEP_MS });

const withSession = (access: string) => ({ ...CSRF, Cookie: `access_token=${access}` });

const post = (app: Express, path: string, body: object, headers: Record<string, string> = CSRF, ip = randomIp()) =>
  request(app).post(`/api/auth${path}`).set(headers).set('X-Forwarded-For', ip).send(body);

/** A buyer with TOTP on: its secret, the code that enabled it (already used), its recovery codes. */
async function enrolledUser(app: Express) {
  const user = await signup(app);
  const setup = await post(app, '/two-factor/setup', {}, withSession(user.access));
  const secret = setup.body.secret as string;
  const usedCode = codeFor(secret);
  const enabled = await post(app, '/two-factor/enable', { code: usedCode }, withSession(user.access));
  if (enabled.status !== 200) throw new Error(`enable failed: ${JSON.stringify(enabled.body)}`);
  return { ...user, secret, usedCode, recoveryCodes: enabled.body.recoveryCodes as string[] };
}

async function challengeFor(app: Express, email: string, password: string): Promise<string> {
  const res = await login(app, email, password);
  expect(res.body).toMatchObject({ secondStep: 'code' });
  return res.body.challenge as string;
}

describe('two-factor sign-in (TOTP)', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp({
      TOTP_REQUIRED_FOR_ADMINS: 'true',
      LOGIN_RATE_LIMIT_PER_ACCOUNT: '3',
      LOGIN_RATE_LIMIT_WINDOW_SECONDS: '600',
    });
  });
  afterAll(() => ctx.close());

  it('when a user sets it up, then a wrong code is refused and the first right one turns it on with 10 recovery codes', async () => {
    const user = await signup(ctx.app);
    const setup = await post(ctx.app, '/two-factor/setup', {}, withSession(user.access));
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/.*secret=[A-Z2-7]+/);
    expect(setup.body.qrCode.size).toBeGreaterThan(20);
    expect(setup.body.qrCode.path).toMatch(/^M\d+ \d+h1v1h-1z/);
    const status = () => request(ctx.app).get('/api/auth/two-factor').set(withSession(user.access));
    expect((await status()).body).toEqual({ enabled: false, required: false, recoveryCodesLeft: 0 });

    const wrong = await post(ctx.app, '/two-factor/enable', { code: '000000' }, withSession(user.access));
    const right = await post(
      ctx.app,
      '/two-factor/enable',
      { code: codeFor(setup.body.secret) },
      withSession(user.access),
    );

    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(right.status).toBe(200);
    expect(right.body.recoveryCodes).toHaveLength(10);
    expect(new Set(right.body.recoveryCodes).size).toBe(10);
    expect((await status()).body).toEqual({ enabled: true, required: false, recoveryCodesLeft: 10 });
    const again = await post(ctx.app, '/two-factor/setup', {}, withSession(user.access));
    expect(again.status).toBe(409);
  });

  it('when TOTP is on, then the password alone sets no cookies and the second step signs in once per code', async () => {
    const user = await enrolledUser(ctx.app);

    const first = await login(ctx.app, user.credentials.email, user.credentials.password);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ secondStep: 'code', challenge: expect.any(String), expiresInSeconds: 300 });
    expect(first.headers['set-cookie']).toBeUndefined();
    const { challenge } = first.body as { challenge: string };

    const replayed = await post(ctx.app, '/login/second-step', { challenge, code: user.usedCode });
    const nextCode = codeFor(user.secret, 1);
    const next = await post(ctx.app, '/login/second-step', {
      challenge,
      code: `${nextCode.slice(0, 3)} ${nextCode.slice(3)}`,
    });
    const nextAgain = await post(ctx.app, '/login/second-step', { challenge, code: codeFor(user.secret, 1) });

    expect(replayed.status).toBe(401);
    expect(next.status).toBe(200);
    expect(next.body).toEqual(user.user);
    expect(setCookies(next).access_token?.value).toBeTruthy();
    expect(nextAgain.status).toBe(401);
  });

  it('when a recovery code is used, then it signs in once and never again', async () => {
    const user = await enrolledUser(ctx.app);
    const [code = ''] = user.recoveryCodes;

    const once = await post(ctx.app, '/login/second-step', {
      challenge: await challengeFor(ctx.app, user.credentials.email, user.credentials.password),
      code: code.toUpperCase(),
    });
    const twice = await post(ctx.app, '/login/second-step', {
      challenge: await challengeFor(ctx.app, user.credentials.email, user.credentials.password),
      code,
    });

    expect(once.status).toBe(200);
    expect(twice.status).toBe(401);
    const status = await request(ctx.app)
      .get('/api/auth/two-factor')
      .set(withSession(setCookies(once).access_token!.value));
    expect(status.body.recoveryCodesLeft).toBe(9);
  });

  it('when a challenge has signed in once, then it never signs in again, and the code sent with it is not spent', async () => {
    const user = await enrolledUser(ctx.app);
    const [first = '', second = ''] = user.recoveryCodes;
    const challenge = await challengeFor(ctx.app, user.credentials.email, user.credentials.password);

    const wrong = await post(ctx.app, '/login/second-step', { challenge, code: '000000' });
    const signedIn = await post(ctx.app, '/login/second-step', { challenge, code: first });
    const again = await post(ctx.app, '/login/second-step', { challenge, code: second });
    const withFreshChallenge = await post(ctx.app, '/login/second-step', {
      challenge: await challengeFor(ctx.app, user.credentials.email, user.credentials.password),
      code: second,
    });

    expect(wrong.status).toBe(401);
    expect(signedIn.status).toBe(200);
    expect(again.status).toBe(401);
    expect(again.body.error).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'this sign-in has already been completed; enter your email and password again',
    });
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(withFreshChallenge.status).toBe(200);
  });

  it('when a challenge is presented as a session or for another step, then it is refused', async () => {
    const user = await enrolledUser(ctx.app);
    const challenge = await challengeFor(ctx.app, user.credentials.email, user.credentials.password);

    expect((await me(ctx.app, challenge)).status).toBe(401);
    const asEnrolment = await post(ctx.app, '/two-factor/setup', { challenge });
    expect(asEnrolment.status).toBe(401);
    const forged = await post(ctx.app, '/login/second-step', { challenge: `${challenge}x`, code: '123456' });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('when 3 wrong codes were sent for an account, then even the right code answers 429 with Retry-After', async () => {
    const user = await enrolledUser(ctx.app);
    const challenge = await challengeFor(ctx.app, user.credentials.email, user.credentials.password);
    for (let i = 0; i < 3; i += 1)
      expect((await post(ctx.app, '/login/second-step', { challenge, code: '000000' })).status).toBe(401);

    const res = await post(ctx.app, '/login/second-step', { challenge, code: codeFor(user.secret, 1) });

    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('when a user turns it off with a recovery code, then the password alone signs in again', async () => {
    const user = await enrolledUser(ctx.app);
    const wrong = await post(ctx.app, '/two-factor/disable', { code: 'aaaa-bbbb-cccc' }, withSession(user.access));
    const off = await post(
      ctx.app,
      '/two-factor/disable',
      { code: user.recoveryCodes[0] ?? '' },
      withSession(user.access),
    );

    expect(wrong.status).toBe(401);
    expect(off.status).toBe(204);
    const res = await login(ctx.app, user.credentials.email, user.credentials.password);
    expect(res.body).toEqual(user.user);
  });

  it('when an admin without TOTP signs in, then it gets only an enrolment, and enrolling signs it in', async () => {
    const credentials = newCredentials();
    await upsertAdmin({ db: ctx.db, passwords: createPasswordHasher(4) }, credentials);

    const first = await login(ctx.app, credentials.email, credentials.password);
    expect(first.body).toMatchObject({ secondStep: 'enrol' });
    expect(first.headers['set-cookie']).toBeUndefined();
    const { challenge } = first.body as { challenge: string };
    expect((await post(ctx.app, '/login/second-step', { challenge, code: '123456' })).status).toBe(401);

    const setup = await post(ctx.app, '/two-factor/setup', { challenge });
    const enabled = await post(ctx.app, '/two-factor/enable', { challenge, code: codeFor(setup.body.secret) });

    expect(enabled.status).toBe(200);
    expect(enabled.body.user).toMatchObject({ email: credentials.email, role: 'admin' });
    expect(enabled.body.recoveryCodes).toHaveLength(10);
    expect((await me(ctx.app, setCookies(enabled).access_token!.value)).body.role).toBe('admin');
    expect((await login(ctx.app, credentials.email, credentials.password)).body).toMatchObject({ secondStep: 'code' });
  });
});

describe('two-factor sign-in for the demo admin', () => {
  it('when DEMO_MODE exempts the demo admin, then it signs in with its password alone and other admins still must enrol', async () => {
    const demoAdmin = newCredentials();
    const ctx = await startTestApp({
      DEMO_MODE: 'true',
      TOTP_REQUIRED_FOR_ADMINS: 'true',
      TOTP_EXEMPT_ADMIN_EMAIL: demoAdmin.email,
    });
    try {
      const otherAdmin = newCredentials();
      for (const admin of [demoAdmin, otherAdmin])
        await upsertAdmin({ db: ctx.db, passwords: createPasswordHasher(4) }, admin);

      const demo = await login(ctx.app, demoAdmin.email, demoAdmin.password);
      const other = await login(ctx.app, otherAdmin.email, otherAdmin.password);

      expect(demo.status).toBe(200);
      expect(demo.body).toMatchObject({ email: demoAdmin.email, role: 'admin' });
      expect(setCookies(demo).access_token).toBeDefined();
      expect(other.body).toMatchObject({ secondStep: 'enrol' });
    } finally {
      await ctx.close();
    }
  });

  it('when the exemption is configured without DEMO_MODE, then the service refuses to start', async () => {
    const keys = generateTestKeys();
    const env = {
      DATABASE_URL: 'postgres://x@127.0.0.1/x_test',
      REDIS_URL: 'redis://127.0.0.1:6379',
      JWT_PRIVATE_KEY: keys.privateKey,
      TOTP_ENCRYPTION_KEYS: TEST_TOTP_KEYS,
    };

    expect(() => loadConfig({ ...env, TOTP_EXEMPT_ADMIN_EMAIL: 'admin@demo.local' })).toThrow(
      /TOTP_EXEMPT_ADMIN_EMAIL: only the demo admin/,
    );
    expect(loadConfig({ ...env, DEMO_MODE: 'true', TOTP_EXEMPT_ADMIN_EMAIL: 'admin@demo.local' })).toMatchObject({
      TOTP_REQUIRED_FOR_ADMINS: true,
      TOTP_EXEMPT_ADMIN_EMAIL: 'admin@demo.local',
    });
  });
});
