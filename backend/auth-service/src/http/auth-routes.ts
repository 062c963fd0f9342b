import express, { type RequestHandler, type Router } from 'express';
import { DEMO_USERS, type DemoLoginRequest, type LoginRequest, type SignupRequest } from '@market/contracts';
import { AppError, authenticate, validate } from '@market/kit';
import type { AccessTokens } from '../domain/access-tokens';
import type { Accounts } from '../domain/accounts';
import type { AddressLimiter } from '../domain/rate-limits';
import type { Sessions } from '../domain/sessions';
import { clientAddress } from './client-address';
import { clearSessionCookies, refreshTokenOf, setSessionCookies, type CookiePolicy } from './cookies';
import { validators } from './schemas';

export interface AuthRouteDeps {
  accounts: Accounts;
  sessions: Sessions;
  accessTokens: AccessTokens;
  cookies: CookiePolicy;
  limits: { signup: AddressLimiter; refresh: AddressLimiter };
  demoMode: boolean;
}

/** Sign-up, sign-in, rotation and sign-out. Tokens only ever leave in cookies. */
export function authRoutes(deps: AuthRouteDeps): Router {
  // Strict and case-sensitive: /LOGIN or /login/ must not reach a limited route under a spelling
  // nginx's limit_req locations might not know (they match any case and a trailing slash too).
  const router = express.Router({ caseSensitive: true, strict: true });
  const { accounts, sessions, cookies, limits } = deps;
  // Counted before validation and the bcrypt hash, so a flood costs neither.
  const limitedBy =
    (limiter: AddressLimiter): RequestHandler =>
    async (req, _res, next) => {
      await limiter.consume(clientAddress(req));
      next();
    };

  router.post('/signup', limitedBy(limits.signup), validate(validators.signup), async (req, res) => {
    const session = await accounts.signup(req.body as SignupRequest);
    setSessionCookies(res, session, cookies);
    res.status(201).json(session.user);
  });

  router.post('/login', validate(validators.login), async (req, res) => {
    const { email, password } = req.body as LoginRequest;
    const outcome = await accounts.login({ email, password, ip: clientAddress(req) });
    if ('secondStep' in outcome) {
      res.json(outcome.secondStep);
      return;
    }
    setSessionCookies(res, outcome.session, cookies);
    res.json(outcome.session.user);
  });

  router.post('/demo-login', (req, _res, next) => {
    if (!deps.demoMode) throw new AppError('NOT_FOUND', `no route ${req.method} ${req.path}`);
    next();
  });
  router.post('/demo-login', validate(validators.demoLogin), async (req, res) => {
    const session = await accounts.loginAs(DEMO_USERS[(req.body as DemoLoginRequest).who].id);
    setSessionCookies(res, session, cookies);
    res.json(session.user);
  });

  router.post('/refresh', limitedBy(limits.refresh), async (req, res) => {
    const token = refreshTokenOf(req, cookies);
    if (!token) throw new AppError('UNAUTHENTICATED', 'sign in first');
    try {
      const session = await sessions.rotate(token);
      setSessionCookies(res, session, cookies);
      res.json(session.user);
    } catch (error) {
      // A dead refresh token must not be sent again on every page load.
      clearSessionCookies(res, cookies);
      throw error;
    }
  });

  router.post('/logout', async (req, res) => {
    await sessions.end(refreshTokenOf(req, cookies));
    clearSessionCookies(res, cookies);
    res.status(204).end();
  });

  // Every device: the refresh families now, the access tokens everywhere within a second.
  router.post('/logout-everywhere', authenticate(deps.accessTokens.verify), async (req, res) => {
    await sessions.revokeUserSessions((req.user as { id: string }).id, 'logout-everywhere');
    clearSessionCookies(res, cookies);
    res.status(204).end();
  });

  router.get('/me', authenticate(deps.accessTokens.verify), async (req, res) => {
    res.json(await accounts.me((req.user as { id: string }).id));
  });

  return router;
}
