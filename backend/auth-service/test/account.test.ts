import { sql } from 'drizzle-orm';
import Redis from 'ioredis';
import { Pool } from 'pg';
import request from 'supertest';
import { decodeUserEventsMessage, fieldsFromList } from '@market/contracts';
import { startOutboxRelay } from '@market/kit';
import { eventually, relayPass, testRedisUrl, uniqueSuffix } from '@market/kit/testing';
import {
  CSRF,
  PASSWORD,
  adminSession,
  login,
  me,
  newCredentials,
  refresh,
  setCookies,
  signup,
  startTestApp,
  type TestApp,
} from './support/test-app';

const NEW_PASSWORD = 'another horse battery';

describe('a user managing their own account', () => {
  let ctx: TestApp;
  const stream = `user_events_test_${uniqueSuffix()}`;
  beforeAll(async () => {
    ctx = await startTestApp({ USER_EVENTS_STREAM: stream });
  });
  afterAll(() => ctx.close());

  const changePassword = (access: string, body: object) =>
    request(ctx.app).post('/api/auth/password').set(CSRF).set('Cookie', `access_token=${access}`).send(body);
  const deleteAccount = (access: string, body: object) =>
    request(ctx.app).delete('/api/auth/account').set(CSRF).set('Cookie', `access_token=${access}`).send(body);

  describe('POST /api/auth/password', () => {
    it('when the current password is right, then the new one works, the old one does not, and only this session goes on', async () => {
      const first = await signup(ctx.app);
      const otherDevice = setCookies(await login(ctx.app, first.credentials.email, PASSWORD)).refresh_token?.value;

      const res = await changePassword(first.access, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });

      expect(res.status).toBe(200);
      expect(res.body).toEqual(first.user);
      // The access token from before the change is refused at once; the one it answered with works.
      expect((await me(ctx.app, first.access)).status).toBe(401);
      expect((await me(ctx.app, setCookies(res).access_token?.value ?? '')).status).toBe(200);
      const renewed = setCookies(res).refresh_token?.value ?? '';
      expect((await refresh(ctx.app, renewed)).status).toBe(200);
      expect((await refresh(ctx.app, otherDevice ?? '')).status).toBe(401);
      expect((await refresh(ctx.app, first.refresh)).status).toBe(401);
      expect((await login(ctx.app, first.credentials.email, PASSWORD)).status).toBe(401);
      expect((await login(ctx.app, first.credentials.email, NEW_PASSWORD)).status).toBe(200);
    });

    it('when the current password is wrong, then 401 and nothing changes', async () => {
      const session = await signup(ctx.app);

      const res = await changePassword(session.access, {
        currentPassword: 'not the password',
        newPassword: NEW_PASSWORD,
      });

      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
      expect((await refresh(ctx.app, session.refresh)).status).toBe(200);
      expect((await login(ctx.app, session.credentials.email, PASSWORD)).status).toBe(200);
    });

    it('when the new password is the current one or too short, then 400 names the field', async () => {
      const session = await signup(ctx.app);

      const same = await changePassword(session.access, { currentPassword: PASSWORD, newPassword: PASSWORD });
      const short = await changePassword(session.access, { currentPassword: PASSWORD, newPassword: 'short' });

      expect(same.status).toBe(400);
      expect(same.body.error.details).toEqual([
        { field: 'newPassword', message: expect.stringContaining('different') },
      ]);
      expect(short.status).toBe(400);
      expect(short.body.error.details[0].field).toBe('newPassword');
    });

    it('when not signed in, then 401', async () => {
      const res = await request(ctx.app)
        .post('/api/auth/password')
        .set(CSRF)
        .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(res.status).toBe(401);
    });
  });

  describe('GET /api/auth/account/export', () => {
    it('when signed in, then it answers the account and its sessions as an attachment, never a hash or a token', async () => {
      const session = await signup(ctx.app);
      await login(ctx.app, session.credentials.email, PASSWORD).expect(200);

      const res = await request(ctx.app)
        .get('/api/auth/account/export')
        .set('Cookie', `access_token=${session.access}`);

      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toBe('attachment; filename="account.json"');
      expect(res.body).toEqual({
        exportedAt: expect.any(String),
        account: { ...session.user, createdAt: expect.any(String), updatedAt: expect.any(String) },
        sessions: [
          { startedAt: expect.any(String), endedAt: null, endedBecause: null },
          { startedAt: expect.any(String), endedAt: null, endedBecause: null },
        ],
      });
      const text = JSON.stringify(res.body);
      expect(text).not.toContain('$2');
      expect(text).not.toContain(session.refresh);
    });

    it('when not signed in, then 401', async () => {
      expect((await request(ctx.app).get('/api/auth/account/export')).status).toBe(401);
    });
  });

  describe('DELETE /api/auth/account', () => {
    it('when the password is right, then the person is erased, every session ends, and user.deleted is published', async () => {
      const session = await signup(ctx.app);
      const otherDevice = setCookies(await login(ctx.app, session.credentials.email, PASSWORD)).refresh_token?.value;

      const res = await deleteAccount(session.access, { password: PASSWORD });

      expect(res.status).toBe(204);
      expect(setCookies(res).access_token?.value).toBe('');
      expect((await refresh(ctx.app, session.refresh)).status).toBe(401);
      expect((await refresh(ctx.app, otherDevice ?? '')).status).toBe(401);
      expect((await me(ctx.app, session.access)).status).toBe(401);
      expect((await login(ctx.app, session.credentials.email, PASSWORD)).status).toBe(401);
      const { rows } = await ctx.db.execute(
        sql`SELECT username, email, password_hash, disabled, deleted_at FROM users WHERE id = ${session.user.id}`,
      );
      expect(rows[0]).toEqual({
        username: `deleted-${session.user.id.replaceAll('-', '')}`,
        email: `deleted-${session.user.id}@deleted.invalid`,
        password_hash: '!',
        disabled: true,
        deleted_at: expect.anything(),
      });
      // The email and username are free again.
      expect((await request(ctx.app).post('/api/auth/signup').set(CSRF).send(session.credentials)).status).toBe(201);

      const redis = new Redis(testRedisUrl());
      const pool = new Pool({ connectionString: ctx.config.DATABASE_URL });
      const relay = startOutboxRelay({ pool, logger: ctx.logger, redisUrl: testRedisUrl(), maxLen: 10_000 });
      try {
        // A pass may go out before the relay's Redis connection is up; the row then waits for the next.
        const published = await eventually(async () => {
          await relayPass(relay);
          const entries = await redis.xrange(stream, '-', '+');
          const messages = entries.map(([, fields]) => decodeUserEventsMessage(fieldsFromList(fields)));
          return messages.find((m) => m.type === 'user.deleted' && m.user_id === session.user.id);
        });
        expect(published).toMatchObject({ type: 'user.deleted', user_id: session.user.id });
      } finally {
        await relay.stop();
        await pool.end();
        await redis.del(stream);
        await redis.quit();
      }
    });

    it('when the password is wrong, then 401 and the account stays', async () => {
      const session = await signup(ctx.app);

      const res = await deleteAccount(session.access, { password: 'not the password' });

      expect(res.status).toBe(401);
      expect((await me(ctx.app, session.access)).status).toBe(200);
      expect((await login(ctx.app, session.credentials.email, PASSWORD)).status).toBe(200);
    });

    it('when the password is missing, then 400 names it', async () => {
      const session = await signup(ctx.app);
      const res = await deleteAccount(session.access, {});
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ field: 'password', message: 'password is required' }]);
    });

    it('when it is the configured administrator, then 409: the next start would only create it again', async () => {
      const credentials = newCredentials();
      const admin = await startTestApp({ ADMIN_EMAIL: credentials.email });
      try {
        const session = await adminSession(admin, credentials);
        const res = await request(admin.app)
          .delete('/api/auth/account')
          .set(CSRF)
          .set('Cookie', `access_token=${session.access}`)
          .send({ password: credentials.password });
        expect(res.status).toBe(409);
        expect((await me(admin.app, session.access)).status).toBe(200);
      } finally {
        await admin.close();
      }
    });
  });
});
