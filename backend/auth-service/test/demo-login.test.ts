import { sql } from 'drizzle-orm';
import request from 'supertest';
import { DEMO_USERS } from '@market/contracts';
import { createPasswordHasher } from '../src/domain/passwords';
import { demoAccounts, seedDemoAccounts } from '../src/domain/demo-accounts';
import { CSRF, login, setCookies, startTestApp, type TestApp } from './support/test-app';

const DEMO_ENV = { DEMO_MODE: 'true', DEMO_BUYER_PASSWORD: 'buyer-pass-123', DEMO_SELLER_PASSWORD: 'seller-pass-123' };

describe('POST /api/auth/demo-login', () => {
  describe('when demo mode is on', () => {
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await startTestApp(DEMO_ENV);
      const seed = { db: ctx.db, passwords: createPasswordHasher(4), logger: ctx.logger };
      await seedDemoAccounts(seed, demoAccounts(ctx.config));
      await seedDemoAccounts(seed, demoAccounts(ctx.config)); // a second start changes nothing
    });
    afterAll(() => ctx.close());

    it.each(['buyer', 'seller'] as const)(
      'when the %s button is used, then it signs in as that demo account',
      async (who) => {
        const res = await request(ctx.app).post('/api/auth/demo-login').set(CSRF).send({ who });
        expect(res.status).toBe(200);
        expect(res.body).toEqual(expect.objectContaining({ id: DEMO_USERS[who].id, role: who }));
        expect(Object.keys(setCookies(res))).toEqual(expect.arrayContaining(['access_token', 'refresh_token']));
      },
    );

    it('when the demo accounts are seeded, then their configured passwords sign in', async () => {
      expect((await login(ctx.app, 'buyer@demo.local', DEMO_ENV.DEMO_BUYER_PASSWORD)).status).toBe(200);
      expect((await login(ctx.app, 'seller@demo.local', DEMO_ENV.DEMO_SELLER_PASSWORD)).status).toBe(200);
    });

    it('when the demo accounts are seeded, then none of them is an admin (admins come from the operator only)', async () => {
      const roles = demoAccounts(ctx.config).map((account) => account.role);

      expect(roles).not.toContain('admin');
      expect((await ctx.db.execute(sql`SELECT id FROM users WHERE role = 'admin'`)).rows).toEqual([]);
    });

    it('when the body asks for the admin or anything else, then it answers 400 and signs nobody in', async () => {
      const res = await request(ctx.app).post('/api/auth/demo-login').set(CSRF).send({ who: 'admin' });
      expect(res.status).toBe(400);
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('when the CSRF header is missing, then it answers 403', async () => {
      const res = await request(ctx.app).post('/api/auth/demo-login').send({ who: 'buyer' });
      expect(res.status).toBe(403);
    });
  });

  describe('when demo mode is off', () => {
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await startTestApp({ DEMO_MODE: 'false' });
    });
    afterAll(() => ctx.close());

    it('then the endpoint does not exist (404) and sets no cookie', async () => {
      const res = await request(ctx.app).post('/api/auth/demo-login').set(CSRF).send({ who: 'buyer' });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });
});
