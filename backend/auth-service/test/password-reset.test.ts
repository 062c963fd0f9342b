import { sql } from 'drizzle-orm';
import request from 'supertest';
import { sleep } from '@market/kit/testing';
import { startMailHarness, tokenIn, type MailHarness } from './support/mail';
import {
  CSRF,
  PASSWORD,
  login,
  me,
  newCredentials,
  randomIp,
  refresh,
  signup,
  startTestApp,
  type TestApp,
} from './support/test-app';

const NEW_PASSWORD = 'a brand new horse';
const RESET_SUBJECT = /reset your marketplace password/i;

describe('password reset by mail', () => {
  let ctx: TestApp;
  let mail: MailHarness;
  beforeAll(async () => {
    ctx = await startTestApp({ RESET_MAIL_RATE_LIMIT_PER_EMAIL: '3', RESET_MAIL_RATE_LIMIT_PER_IP: '100' });
    mail = await startMailHarness(ctx);
  });
  afterAll(async () => {
    await mail.close();
    await ctx.close();
  });

  const requestReset = (email: string, ip = randomIp()) =>
    request(ctx.app).post('/api/auth/password-reset').set(CSRF).set('X-Forwarded-For', ip).send({ email });
  const completeReset = (token: string, password = NEW_PASSWORD) =>
    request(ctx.app).post('/api/auth/password-reset/complete').set(CSRF).send({ token, password });

  it('when a user resets the password from the mailed link, then the new password works and every old session is refused', async () => {
    const session = await signup(ctx.app);
    const { email } = session.credentials;

    const asked = await requestReset(email);
    const message = await mail.mailTo(email, RESET_SUBJECT);
    const done = await completeReset(tokenIn(message));

    expect(asked.status).toBe(202);
    expect(message.text).toContain(`${ctx.config.PUBLIC_BASE_URL}/reset-password?token=`);
    expect(message.html).toContain('href="http://localhost:8080/reset-password?token=');
    expect(message.from).toContain('no-reply@localhost');
    expect(done.status).toBe(204);
    expect((await me(ctx.app, session.access)).status).toBe(401);
    expect((await refresh(ctx.app, session.refresh)).status).toBe(401);
    expect((await login(ctx.app, email, PASSWORD)).status).toBe(401);
    expect((await login(ctx.app, email, NEW_PASSWORD)).status).toBe(200);
    // The token travelled by mail only: never in a log line.
    expect(ctx.logs.join('\n')).not.toContain(tokenIn(message));
  });

  it('when an unknown address and a known one ask, then both get the same answer and only the account gets mail', async () => {
    const known = (await signup(ctx.app)).credentials.email;
    const unknown = newCredentials().email;

    const forKnown = await requestReset(known);
    const forUnknown = await requestReset(unknown);
    await mail.mailTo(known, RESET_SUBJECT);
    await sleep(500);

    expect({ status: forUnknown.status, body: forUnknown.body }).toEqual({
      status: forKnown.status,
      body: forKnown.body,
    });
    expect(forUnknown.status).toBe(202);
    expect(mail.smtp.messages.filter((m) => m.to.includes(unknown))).toEqual([]);
  });

  it('when a link is used a second time, then it is refused and the password stays the one set first', async () => {
    const { email } = (await signup(ctx.app)).credentials;
    await requestReset(email);
    const token = tokenIn(await mail.mailTo(email, RESET_SUBJECT));

    const first = await completeReset(token);
    const second = await completeReset(token, 'yet another password');

    expect(first.status).toBe(204);
    expect(second.status).toBe(400);
    expect(second.body.error.code).toBe('INVALID_TOKEN');
    expect((await login(ctx.app, email, NEW_PASSWORD)).status).toBe(200);
  });

  it('when a link is older than 30 minutes, then it is refused and the old password still works', async () => {
    const { email } = (await signup(ctx.app)).credentials;
    await requestReset(email);
    const token = tokenIn(await mail.mailTo(email, RESET_SUBJECT));
    await ctx.db.execute(sql`UPDATE email_tokens SET expires_at = now() - interval '1 second' WHERE email = ${email}`);

    const res = await completeReset(token);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'INVALID_TOKEN', message: expect.stringContaining('not valid') } });
    expect((await login(ctx.app, email, PASSWORD)).status).toBe(200);
  });

  it('when a token is made up or the new password too short, then the reset is refused', async () => {
    expect((await completeReset('A'.repeat(43))).body.error.code).toBe('INVALID_TOKEN');
    expect((await completeReset('too-short')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await completeReset('A'.repeat(43), 'short')).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('when one address is asked for too often, then 429 with Retry-After, the same for an unknown address', async () => {
    const known = (await signup(ctx.app)).credentials.email;
    const unknown = newCredentials().email;

    const knownAnswers = [];
    const unknownAnswers = [];
    for (let i = 0; i < 4; i += 1) {
      knownAnswers.push((await requestReset(known)).status);
      unknownAnswers.push((await requestReset(unknown)).status);
    }
    const limited = await requestReset(known);

    expect(knownAnswers).toEqual([202, 202, 202, 429]);
    expect(unknownAnswers).toEqual(knownAnswers);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('when SMTP is down, then the mail waits and arrives once the server is back', async () => {
    const { email } = (await signup(ctx.app)).credentials;
    await mail.smtp.stop();

    await requestReset(email);
    await sleep(1500);
    const { rows } = await ctx.pool.query<{ attempts: number }>(
      "SELECT attempts FROM mail_outbox WHERE recipient = $1 AND kind = 'reset-password'",
      [email],
    );
    await mail.smtp.start();
    const message = await mail.mailTo(email, RESET_SUBJECT);

    expect(rows).toHaveLength(1);
    expect(rows[0]!.attempts).toBeGreaterThan(0);
    expect(message.subject).toMatch(RESET_SUBJECT);
    expect((await completeReset(tokenIn(message))).status).toBe(204);
    // Sent: the row holding the raw token is gone.
    const left = await ctx.pool.query("SELECT 1 FROM mail_outbox WHERE recipient = $1 AND kind = 'reset-password'", [
      email,
    ]);
    expect(left.rowCount).toBe(0);
  });
});
