import type { CookieOptions, Request, Response } from 'express';
import { SESSION_COOKIES } from '@market/contracts';
import type { IssuedSession } from '../domain/sessions';

export interface CookiePolicy {
  /** Secure and prefixed (`__Host-`, `__Secure-`); false only for plain-http development. */
  secure: boolean;
  /** Outside production, the unprefixed refresh cookie of plain-http development is read too. */
  acceptPlain: boolean;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

/** The refresh token only ever travels to /api/auth; the access token goes to every API. */
const REFRESH_COOKIE_PATH = '/api/auth';

const namesFor = (policy: CookiePolicy) => (policy.secure ? SESSION_COOKIES.secure : SESSION_COOKIES.plain);

const base = (policy: CookiePolicy, path: string): CookieOptions => ({
  httpOnly: true,
  sameSite: 'strict',
  secure: policy.secure,
  path,
});

export function setSessionCookies(res: Response, session: IssuedSession, policy: CookiePolicy): void {
  const names = namesFor(policy);
  // `__Host-` also requires Path=/ and no Domain attribute: none is ever set.
  res.cookie(names.access, session.accessToken, { ...base(policy, '/'), maxAge: policy.accessTtlSeconds * 1000 });
  res.cookie(names.refresh, session.refreshToken, {
    ...base(policy, REFRESH_COOKIE_PATH),
    maxAge: policy.refreshTtlSeconds * 1000,
  });
}

export function clearSessionCookies(res: Response, policy: CookiePolicy): void {
  const names = namesFor(policy);
  res.clearCookie(names.access, base(policy, '/'));
  res.clearCookie(names.refresh, base(policy, REFRESH_COOKIE_PATH));
}

export function refreshTokenOf(req: Request, policy: CookiePolicy): string | undefined {
  // cookie-parser fills req.cookies; Express types it as any.
  const cookies = req.cookies as Record<string, string> | undefined;
  return (
    cookies?.[SESSION_COOKIES.secure.refresh] ??
    (policy.acceptPlain ? cookies?.[SESSION_COOKIES.plain.refresh] : undefined)
  );
}
