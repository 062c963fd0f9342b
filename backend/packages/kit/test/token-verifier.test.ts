import { randomUUID } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { authenticate, createTokenVerifier, expressErrorHandler } from '@market/kit';
import { captureLogs, generateTestKeys, signTestToken, sleep } from '@market/kit/testing';

describe('token verifier', () => {
  const keys = generateTestKeys();
  const verify = createTokenVerifier({
    issuer: 'marketplace-auth',
    audience: 'marketplace',
    publicKey: keys.publicKey,
  });
  const user = { id: randomUUID(), username: 'buyer-1', role: 'buyer' as const, emailVerified: true };

  it('when a token says the address is unverified, or predates the claim, then the user reads as unverified', async () => {
    const unverified = signTestToken(keys, { ...user, emailVerified: false });
    const { iat, exp } = { iat: Date.now() / 1000, exp: Math.floor(Date.now() / 1000) + 60 };
    const withoutClaim = jwt.sign({ username: user.username, role: user.role, iat, exp }, keys.privateKey, {
      algorithm: 'ES256',
      subject: user.id,
      issuer: 'marketplace-auth',
      audience: 'marketplace',
    });

    expect(await verify(unverified)).toEqual({ ...user, emailVerified: false });
    expect(await verify(withoutClaim)).toEqual({ ...user, emailVerified: false });
  });

  it('when the same token comes again, then it is answered from the cache with the same user', async () => {
    const token = signTestToken(keys, user);
    const first = await verify(token);
    expect(first).toEqual(user);
    expect(await verify(token)).toBe(first);
  });

  it('when a verified token expires, then it is refused although it was cached', async () => {
    const token = signTestToken(keys, user, { expiresIn: 1 });
    expect(await verify(token)).toEqual(user);
    await sleep(1100);
    await expect(verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('when a validly signed token has no iat, then it is refused: the revocation check could not place it', async () => {
    const undated = jwt.sign({ username: user.username, role: user.role }, keys.privateKey, {
      algorithm: 'ES256',
      subject: user.id,
      issuer: 'marketplace-auth',
      audience: 'marketplace',
      expiresIn: 900,
      noTimestamp: true,
    });
    await expect(verify(undated)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('when a token fails, then it fails again (a failure is never cached as a success)', async () => {
    const forged = `${signTestToken(keys, user).slice(0, -4)}AAAA`;
    await expect(verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('where the access token is read from', () => {
  const keys = generateTestKeys();
  const user = { id: randomUUID(), username: 'buyer-2', role: 'buyer' as const, emailVerified: true };
  const token = signTestToken(keys, user);
  const appWith = (acceptPlainCookie: boolean) => {
    const verify = createTokenVerifier({
      issuer: 'marketplace-auth',
      audience: 'marketplace',
      publicKey: keys.publicKey,
      acceptPlainCookie,
    });
    const app = express();
    // What cookie-parser does in the services.
    app.use((req, _res, next) => {
      req.cookies = Object.fromEntries((req.headers.cookie ?? '').split('; ').map((pair) => pair.split('=')));
      next();
    });
    app.get('/me', authenticate(verify), (req, res) => {
      res.json(req.user);
    });
    app.use(expressErrorHandler(captureLogs().logger));
    return app;
  };

  it('when in production, then only the __Host- cookie counts: an unprefixed one may have been planted by a sibling site', async () => {
    const production = appWith(false);
    expect((await request(production).get('/me').set('Cookie', `__Host-access_token=${token}`)).body).toEqual(user);
    expect((await request(production).get('/me').set('Cookie', `access_token=${token}`)).status).toBe(401);
  });

  it('when in plain-http development, then the unprefixed cookie is read too', async () => {
    const development = appWith(true);
    expect((await request(development).get('/me').set('Cookie', `theme=dark; access_token=${token}`)).body).toEqual(
      user,
    );
  });
});
