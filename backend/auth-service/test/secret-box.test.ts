// TOTP secrets at rest: sealed with AES-256-GCM under TOTP_ENCRYPTION_KEYS, re-sealed at start when a key rotates.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { twoFactorSecrets } from '../src/data/schema';
import { resealSecrets } from '../src/domain/reseal-secrets';
import { createSecretBox } from '../src/domain/secret-box';
import { CSRF, signup, startTestApp, type TestApp } from './support/test-app';
import request from 'supertest';

const key = () => randomBytes(32);
const USER = '0190a000-0000-7000-8000-000000000001';

describe('the TOTP secret box', () => {
  it('when a secret is sealed, then only its own user id and a held key open it', () => {
    const [first, second] = [key(), key()];
    const sealed = createSecretBox([first]).seal('JBSWY3DPEHPK3PXP', USER);

    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(createSecretBox([first]).open(sealed, USER)).toBe('JBSWY3DPEHPK3PXP');
    expect(createSecretBox([second, first]).open(sealed, USER)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => createSecretBox([first]).open(sealed, USER.replace(/1$/, '2'))).toThrow();
    expect(() => createSecretBox([second]).open(sealed, USER)).toThrow(/no longer holds/);
    const [v, id, iv, tag, ciphertext = ''] = sealed.split('.');
    const flipped = `${ciphertext.startsWith('A') ? 'B' : 'A'}${ciphertext.slice(1)}`;
    expect(() => createSecretBox([first]).open([v, id, iv, tag, flipped].join('.'), USER)).toThrow();
  });

  it('when two secrets are sealed alike, then the stored values still differ (a fresh IV each time)', () => {
    const box = createSecretBox([key()]);
    expect(box.seal('JBSWY3DPEHPK3PXP', USER)).not.toBe(box.seal('JBSWY3DPEHPK3PXP', USER));
  });
});

describe('TOTP secrets in the auth database', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const storedSecret = async (userId: string) =>
    (await ctx.db.select().from(twoFactorSecrets).where(eq(twoFactorSecrets.userId, userId)))[0]?.secret;

  it('when a user sets two-factor sign-in up, then the database holds the secret sealed, never as shown', async () => {
    const user = await signup(ctx.app);
    const setup = await request(ctx.app)
      .post('/api/auth/two-factor/setup')
      .set({ ...CSRF, Cookie: `access_token=${user.access}` })
      .send({});

    const stored = await storedSecret(user.user.id);
    expect(setup.status).toBe(200);
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain(setup.body.secret);
    expect(createSecretBox(ctx.config.TOTP_ENCRYPTION_KEYS).open(stored!, user.user.id)).toBe(setup.body.secret);
  });

  it('when the service starts with a new first key, then secrets stored in clear or under the old key are sealed with it', async () => {
    const [plainUser, oldKeyUser] = [await signup(ctx.app), await signup(ctx.app)];
    const oldKey = key();
    await ctx.db.insert(twoFactorSecrets).values([
      { userId: plainUser.user.id, secret: 'JBSWY3DPEHPK3PXP' },
      { userId: oldKeyUser.user.id, secret: createSecretBox([oldKey]).seal('KRUGS4ZANFZSAYJA', oldKeyUser.user.id) },
    ]);
    // The new key first; the old ones stay until every secret is sealed anew (this file's app key too).
    const rotated = createSecretBox([key(), oldKey, ...ctx.config.TOTP_ENCRYPTION_KEYS]);

    const resealed = await resealSecrets(ctx.db, rotated, ctx.logger);
    const again = await resealSecrets(ctx.db, rotated, ctx.logger);

    expect(resealed).toBeGreaterThanOrEqual(2);
    expect(again).toBe(0);
    for (const [user, secret] of [
      [plainUser, 'JBSWY3DPEHPK3PXP'],
      [oldKeyUser, 'KRUGS4ZANFZSAYJA'],
    ] as const) {
      const stored = (await storedSecret(user.user.id))!;
      expect(rotated.isCurrent(stored)).toBe(true);
      expect(rotated.open(stored, user.user.id)).toBe(secret);
    }
  });
});
