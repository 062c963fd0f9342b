import jwt from 'jsonwebtoken';
import request from 'supertest';
import { startMailHarness, tokenIn, type MailHarness } from './support/mail';
import { CSRF, me, refresh, setCookies, signup, startTestApp, type TestApp } from './support/test-app';

const VERIFY_SUBJECT = /confirm your email address/i;

describe('email verification by mail', () => {
  let ctx: TestApp;
  let mail: MailHarness;
  beforeAll(async () => {
    ctx = await startTestApp({ VERIFICATION_MAIL_RATE_LIMIT_PER_ACCOUNT: '2' });
    mail = await startMailHarness(ctx);
  });
  afterAll(async () => {
    await mail.close();
    await ctx.close();
  });

  const verify = (token: string) => request(ctx.app).post('/api/auth/verify-email').set(CSRF).send({ token });
  const resend = (access: string) =>
    request(ctx.app).post('/api/auth/verify-email/resend').set(CSRF).set('Cookie', `access_token=${access}`);
  const verifiedClaim = (access: string) => (jwt.decode(access) as { email_verified?: boolean }).email_verified;

  it('when a new user opens the mailed link, then the account is verified and the next refresh carries it', async () => {
    const session = await signup(ctx.app);
    const { email } = session.credentials;

    const message = await mail.mailTo(email, VERIFY_SUBJECT);
    const before = await me(ctx.app, session.access);
    const res = await verify(tokenIn(message));
    const renewed = await refresh(ctx.app, session.refresh);

    expect(session.user).toMatchObject({ email, emailVerified: false });
    expect(verifiedClaim(session.access)).toBe(false);
    expect(before.body.emailVerified).toBe(false);
    expect(message.text).toContain(`${ctx.config.PUBLIC_BASE_URL}/verify-email?token=`);
    expect(res.status).toBe(204);
    expect(renewed.status).toBe(200);
    expect(renewed.body.emailVerified).toBe(true);
    expect(verifiedClaim(setCookies(renewed).access_token?.value ?? '')).toBe(true);
  });

  it('when a verification link is used twice, then the second time is refused', async () => {
    const { email } = (await signup(ctx.app)).credentials;
    const token = tokenIn(await mail.mailTo(email, VERIFY_SUBJECT));

    expect((await verify(token)).status).toBe(204);
    const again = await verify(token);

    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('INVALID_TOKEN');
  });

  it('when an unverified user asks again, then a new link arrives, up to the limit and then 429', async () => {
    const session = await signup(ctx.app);
    const { email } = session.credentials;
    await mail.mailTo(email, VERIFY_SUBJECT);

    const answers = [(await resend(session.access)).status, (await resend(session.access)).status];
    const limited = await resend(session.access);
    const second = await mail.mailTo(email, VERIFY_SUBJECT, 1);

    expect(answers).toEqual([202, 202]);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect((await verify(tokenIn(second))).status).toBe(204);
  });

  it('when nobody is signed in, then sending the link again is refused', async () => {
    const res = await request(ctx.app).post('/api/auth/verify-email/resend').set(CSRF);

    expect(res.status).toBe(401);
  });
});
