import { createPrivateKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { generateTestKeys, signTestToken } from '@market/kit/testing';
import { CSRF, adminSession, me, signup, startTestApp, type TestApp } from './support/test-app';

describe('GET /api/auth/me', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  const expectUnauthenticated = (res: request.Response) => {
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  };

  it('when the access cookie is valid, then it answers 200 with the user', async () => {
    const session = await signup(ctx.app);

    const res = await me(ctx.app, session.access);

    expect(res.status).toBe(200);
    expect(res.body).toEqual(session.user);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('when a non-browser client sends the token as a Bearer header, then it answers 200', async () => {
    const session = await signup(ctx.app);

    const res = await request(ctx.app).get('/api/auth/me').set('Authorization', `Bearer ${session.access}`);

    expect(res.status).toBe(200);
  });

  it('when the access token carries the documented claims, then they name the user, role, issuer and audience', async () => {
    const session = await signup(ctx.app);

    const decoded = jwt.decode(session.access, { complete: true });

    expect(decoded?.header).toMatchObject({ alg: 'ES256', kid: ctx.keys.kid });
    expect(decoded?.payload).toMatchObject({
      sub: session.user.id,
      username: session.user.username,
      role: 'buyer',
      iss: 'marketplace-auth',
      aud: 'marketplace',
    });
    const { exp, iat } = decoded?.payload as { exp: number; iat: number };
    // iat to the millisecond (the revocation check compares it), exp in whole seconds.
    expect(exp - Math.floor(iat)).toBe(900);
    expect(Number.isInteger(exp)).toBe(true);
  });

  it('when there is no token, then it answers 401', async () => {
    expectUnauthenticated(await request(ctx.app).get('/api/auth/me'));
  });

  it('when the token is signed with another key (same kid), then it answers 401', async () => {
    const session = await signup(ctx.app);
    const forged = signTestToken(
      { ...generateTestKeys(), kid: ctx.keys.kid },
      { id: session.user.id, username: session.user.username, role: 'admin' },
    );

    expectUnauthenticated(await me(ctx.app, forged));
  });

  it('when the token uses alg none, then it answers 401', async () => {
    const session = await signup(ctx.app);
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'JWT', kid: ctx.keys.kid })}.${encode({
      sub: session.user.id,
      username: session.user.username,
      role: 'admin',
      iss: 'marketplace-auth',
      aud: 'marketplace',
      iat: now,
      exp: now + 600,
    })}.`;

    expectUnauthenticated(await me(ctx.app, unsigned));
  });

  it('when the token is HMAC-signed with the public key as secret, then it answers 401', async () => {
    const session = await signup(ctx.app);
    const publicPem = ctx.keys.publicKey;
    const confused = jwt.sign({ username: session.user.username, role: 'admin' }, Buffer.from(publicPem), {
      algorithm: 'HS256',
      keyid: ctx.keys.kid,
      subject: session.user.id,
      issuer: 'marketplace-auth',
      audience: 'marketplace',
    });

    expectUnauthenticated(await me(ctx.app, confused));
  });

  it('when the token has expired, then it answers 401', async () => {
    const session = await signup(ctx.app);

    expectUnauthenticated(await me(ctx.app, signTestToken(ctx.keys, session.user as never, { expiresIn: -10 })));
  });

  it('when the token is for another audience or issuer, then it answers 401', async () => {
    const session = await signup(ctx.app);

    expectUnauthenticated(
      await me(ctx.app, signTestToken(ctx.keys, session.user as never, { audience: 'another-app' })),
    );
    expectUnauthenticated(
      await me(ctx.app, signTestToken(ctx.keys, session.user as never, { issuer: 'someone-else' })),
    );
  });

  it('when a correctly signed token is minted with the service key, then it is accepted (the rejections above are not accidental)', async () => {
    const session = await signup(ctx.app);
    expect(createPrivateKey(ctx.config.JWT_PRIVATE_KEY).asymmetricKeyType).toBe('ec');

    const res = await me(ctx.app, signTestToken(ctx.keys, session.user as never));

    expect(res.status).toBe(200);
  });

  it('when the account was disabled after the token was issued, then it answers 401', async () => {
    const admin = await adminSession(ctx);
    const session = await signup(ctx.app);
    await request(ctx.app)
      .patch(`/api/auth/users/${session.user.id}`)
      .set(CSRF)
      .set('Cookie', `access_token=${admin.access}`)
      .send({ disabled: true })
      .expect(200);

    expectUnauthenticated(await me(ctx.app, session.access));
  });

  it('when the token is garbage, then it answers 401 without details', async () => {
    const res = await me(ctx.app, 'not.a.token');

    expectUnauthenticated(res);
    expect(res.body.error.message).toBe('your session is not valid; sign in again');
  });
});
