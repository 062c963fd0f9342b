import request from 'supertest';
import { startSessionPruner } from '../src/data/session-pruner';
import { loadConfig } from '../src/config';
import {
  CSRF,
  login,
  refresh,
  setCookies,
  signup,
  startTestApp,
  TEST_TOTP_KEYS,
  type TestApp,
} from './support/test-app';

describe('session cookies and lifetime', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp({ COOKIE_SECURE: 'true', REFRESH_FAMILY_MAX_DAYS: '30' });
  });
  afterAll(() => ctx.close());

  const familyOf = async (userId: string) =>
    (
      await ctx.pool.query<{ id: string; revoked_reason: string | null }>(
        'SELECT id, revoked_reason FROM token_families WHERE user_id = $1 ORDER BY created_at',
        [userId],
      )
    ).rows;

  it('when cookies are Secure, then they carry the __Host- and __Secure- prefixes with the attributes the prefixes require', async () => {
    const { credentials } = await signup(ctx.app);

    const res = await login(ctx.app, credentials.email, credentials.password);

    const cookies = setCookies(res);
    expect(Object.keys(cookies).sort()).toEqual(['__Host-access_token', '__Secure-refresh_token']);
    const access = cookies['__Host-access_token']!;
    expect(access.attributes).toEqual(expect.arrayContaining(['path=/', 'secure', 'httponly', 'samesite=strict']));
    expect(access.attributes.some((a) => a.startsWith('domain'))).toBe(false);
    expect(cookies['__Secure-refresh_token']!.attributes).toEqual(
      expect.arrayContaining(['path=/api/auth', 'secure', 'httponly', 'samesite=strict']),
    );
    const me = await request(ctx.app).get('/api/auth/me').set('Cookie', `__Host-access_token=${access.value}`);
    expect(me.status).toBe(200);
    const rotated = await request(ctx.app)
      .post('/api/auth/refresh')
      .set(CSRF)
      .set('Cookie', `__Secure-refresh_token=${cookies['__Secure-refresh_token']!.value}`);
    expect(rotated.status).toBe(200);
    expect(Object.keys(setCookies(rotated)).sort()).toEqual(['__Host-access_token', '__Secure-refresh_token']);
  });

  it('when a session began longer ago than REFRESH_FAMILY_MAX_DAYS, then refresh is refused although the token was rotated', async () => {
    const session = await signup(ctx.app);
    const newest = setCookies(await refresh(ctx.app, session.refresh));
    const [family] = await familyOf(session.user.id);
    await ctx.pool.query(`UPDATE token_families SET created_at = now() - interval '30 days 1 minute' WHERE id = $1`, [
      family!.id,
    ]);

    const res = await refresh(ctx.app, newest['__Secure-refresh_token']!.value);

    expect(res.status).toBe(401);
    expect((await familyOf(session.user.id))[0]?.revoked_reason).toBe('max-age');
  });

  it('when the pruner passes, then expired tokens, revoked and too old sessions and long-expired mailed links are deleted and live ones kept', async () => {
    const live = await signup(ctx.app);
    const loggedOut = await signup(ctx.app);
    const old = await signup(ctx.app);
    const expired = await signup(ctx.app);
    await request(ctx.app).post('/api/auth/logout').set(CSRF).set('Cookie', `refresh_token=${loggedOut.refresh}`);
    await ctx.pool.query(`UPDATE token_families SET created_at = now() - interval '31 days' WHERE user_id = $1`, [
      old.user.id,
    ]);
    await ctx.pool.query(
      `UPDATE refresh_tokens SET expires_at = now() - interval '1 second'
        WHERE family_id IN (SELECT id FROM token_families WHERE user_id = $1)`,
      [expired.user.id],
    );
    // Signing up mailed a verification link to each; one of them expired two days ago.
    await ctx.pool.query(`UPDATE email_tokens SET expires_at = now() - interval '2 days' WHERE user_id = $1`, [
      expired.user.id,
    ]);
    const pruner = startSessionPruner({ pool: ctx.pool, logger: ctx.logger, familyMaxDays: 30, intervalMs: 3_600_000 });

    try {
      await pruner.pruneOnce();
    } finally {
      await pruner.stop();
    }

    expect(await familyOf(loggedOut.user.id)).toEqual([]);
    expect(await familyOf(old.user.id)).toEqual([]);
    const tokensOf = async (userId: string) =>
      (
        await ctx.pool.query(
          'SELECT t.id FROM refresh_tokens t JOIN token_families f ON f.id = t.family_id WHERE f.user_id = $1',
          [userId],
        )
      ).rowCount;
    expect(await tokensOf(expired.user.id)).toBe(0);
    expect(await tokensOf(live.user.id)).toBe(1);
    expect((await refresh(ctx.app, live.refresh)).status).toBe(200);
    const linksOf = async (userId: string) =>
      (await ctx.pool.query('SELECT 1 FROM email_tokens WHERE user_id = $1', [userId])).rowCount;
    expect(await linksOf(expired.user.id)).toBe(0);
    expect(await linksOf(live.user.id)).toBe(1);
  });

  it('when production is configured without Secure cookies, then the service refuses to start', () => {
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://auth@127.0.0.1:5432/auth',
      REDIS_URL: 'redis://127.0.0.1:6379',
      JWT_PRIVATE_KEY: ctx.keys.privateKey,
      TOTP_ENCRYPTION_KEYS: TEST_TOTP_KEYS,
      BCRYPT_COST: '12',
      SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465',
      PUBLIC_BASE_URL: 'https://shop.example',
      UNSUBSCRIBE_SECRET: 'a-secret-of-at-least-thirty-two-characters',
    };
    expect(loadConfig(env).COOKIE_SECURE).toBe(true);
    expect(() => loadConfig({ ...env, COOKIE_SECURE: 'false' })).toThrow(
      /COOKIE_SECURE: must not be false in production/,
    );
  });

  it('when production names no SMTP relay or public address, then the service refuses to start naming both', () => {
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://auth@127.0.0.1:5432/auth',
      REDIS_URL: 'redis://127.0.0.1:6379',
      JWT_PRIVATE_KEY: ctx.keys.privateKey,
      TOTP_ENCRYPTION_KEYS: TEST_TOTP_KEYS,
      BCRYPT_COST: '12',
    };
    expect(() => loadConfig(env)).toThrow(
      /SMTP_URL: required in production[\s\S]*PUBLIC_BASE_URL: required in production/,
    );
    expect(() => loadConfig({ ...env, SMTP_URL: 'http://smtp.example.com' })).toThrow(
      /SMTP_URL: must be a smtp or smtps URL/,
    );
  });
});
