import { Redis } from 'ioredis';
import { Pool } from 'pg';
import request from 'supertest';
import { decodeUserEventsMessage, fieldsFromList, type UserEventsStreamMessage } from '@market/contracts';
import { signUnsubscribeToken, startOutboxRelay } from '@market/kit';
import { eventually, relayPass, testRedisUrl } from '@market/kit/testing';
import { CSRF, signup, startTestApp, TEST_UNSUBSCRIBE_SECRET, type TestApp } from './support/test-app';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(async () => {
  await ctx.close();
});

const preferences = (access: string) =>
  request(ctx.app).get('/api/auth/account/email-preferences').set('Cookie', `access_token=${access}`);
const setPreferences = (access: string, body: object) =>
  request(ctx.app)
    .put('/api/auth/account/email-preferences')
    .set(CSRF)
    .set('Cookie', `access_token=${access}`)
    .send(body);
const unsubscribe = (token: string) => request(ctx.app).post('/api/auth/unsubscribe').set(CSRF).send({ token });

/** The user events the outbox holds for a user, oldest first, as the relay would publish them. */
async function publishedFor(userId: string): Promise<UserEventsStreamMessage[]> {
  const redis = new Redis(testRedisUrl());
  const pool = new Pool({ connectionString: ctx.config.DATABASE_URL });
  const relay = startOutboxRelay({ pool, logger: ctx.logger, redisUrl: testRedisUrl(), maxLen: 10_000 });
  try {
    return await eventually(async () => {
      await relayPass(relay);
      const entries = await redis.xrange(ctx.config.USER_EVENTS_STREAM, '-', '+');
      const mine = entries
        .map(([, fields]) => decodeUserEventsMessage(fieldsFromList(fields)))
        .filter((m) => m.user_id === userId);
      const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
      return rows[0]!.n === 0 && mine.length > 0 ? mine : undefined;
    });
  } finally {
    await relay.stop();
    await pool.end();
    redis.disconnect();
  }
}

describe('email preferences', () => {
  it('when a user signs up, then both kinds are on and user.created carries the copy the mailer keeps', async () => {
    const session = await signup(ctx.app);

    expect((await preferences(session.access)).body).toEqual({ saleEmails: true, orderEmails: true });
    const [created] = await publishedFor(session.user.id);
    expect(created).toMatchObject({
      type: 'user.created',
      user_id: session.user.id,
      email: session.credentials.email,
      username: session.credentials.username,
      role: 'buyer',
      sale_emails: 'true',
      order_emails: 'true',
    });
  });

  it('when the user turns sale emails off, then they stay off, order emails stay on, and user.changed says so', async () => {
    const session = await signup(ctx.app);

    const res = await setPreferences(session.access, { saleEmails: false });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ saleEmails: false, orderEmails: true });
    expect((await preferences(session.access)).body).toEqual({ saleEmails: false, orderEmails: true });
    const events = await publishedFor(session.user.id);
    expect(events.map((e) => e.type)).toEqual(['user.created', 'user.changed']);
    expect(events[1]).toMatchObject({ sale_emails: 'false', order_emails: 'true' });
  });

  it('when the body is empty or names an unknown field, then 400 and nothing changes', async () => {
    const session = await signup(ctx.app);
    expect((await setPreferences(session.access, {})).status).toBe(400);
    expect((await setPreferences(session.access, { securityEmails: false })).status).toBe(400);
    expect((await setPreferences(session.access, { saleEmails: 'no' })).status).toBe(400);
    expect((await preferences(session.access)).body).toEqual({ saleEmails: true, orderEmails: true });
  });

  it('when not signed in, then the preferences answer 401', async () => {
    expect((await request(ctx.app).get('/api/auth/account/email-preferences')).status).toBe(401);
    expect(
      (await request(ctx.app).put('/api/auth/account/email-preferences').set(CSRF).send({ saleEmails: false })).status,
    ).toBe(401);
  });
});

describe('POST /api/auth/unsubscribe', () => {
  it('when the link of an order email is followed, then order emails are off for that account without signing in', async () => {
    const session = await signup(ctx.app);

    const res = await unsubscribe(signUnsubscribeToken(TEST_UNSUBSCRIBE_SECRET, session.user.id, 'order'));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'order' });
    expect((await preferences(session.access)).body).toEqual({ saleEmails: true, orderEmails: false });
  });

  it('when the link is tampered with (another user, another kind, another secret), then 404 and nothing changes', async () => {
    const victim = await signup(ctx.app);
    const attacker = await signup(ctx.app);
    const own = signUnsubscribeToken(TEST_UNSUBSCRIBE_SECRET, attacker.user.id, 'sale');
    const signature = own.split('.')[2]!;

    for (const token of [
      `${victim.user.id}.sale.${signature}`,
      `${attacker.user.id}.order.${signature}`,
      signUnsubscribeToken('another-secret-of-at-least-32-characters', victim.user.id, 'sale'),
      `${victim.user.id}.sale.`,
      'not-a-token-at-all',
    ]) {
      const res = await unsubscribe(token);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    expect((await preferences(victim.access)).body).toEqual({ saleEmails: true, orderEmails: true });
    expect((await preferences(attacker.access)).body).toEqual({ saleEmails: true, orderEmails: true });
  });

  it('when the CSRF header is missing, then 403', async () => {
    const session = await signup(ctx.app);
    const res = await request(ctx.app)
      .post('/api/auth/unsubscribe')
      .send({ token: signUnsubscribeToken(TEST_UNSUBSCRIBE_SECRET, session.user.id, 'sale') });
    expect(res.status).toBe(403);
  });
});
