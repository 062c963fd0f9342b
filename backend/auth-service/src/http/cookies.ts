import type { CookieOptions, Response } from 'express';
import { ACCESS_COOKIE, REFRESH_COOKIE } from '@market/contracts';
import type { IssuedSession } from '../domain/sessions';

export interface CookiePolicy {
  secure: boolean;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

/** The refresh token only ever travels to /api/auth; the access token goes to every API. */
const REFRESH_COOKIE_PATH = '/api/auth';

const base = (policy: CookiePolicy, path: string): CookieOptions => ({
  httpOnly: true,
  sameSite: 'strict',
  secure: policy.secure,
  path,
});

export function setSessionCookies(res: Response, session: IssuedSession, policy: CookiePolicy): void {
  res.cookie(ACCESS_COOKIE, session.accessToken, { ...base(policy, '/'), maxAge: policy.accessTtlSeconds * 1000 });
  res.cookie(REFRESH_COOKIE, session.refreshToken, {
    ...base(policy, REFRESH_COOKIE_PATH),
    maxAge: policy.refreshTtlSeconds * 1000,
  });
}

export function clearSessionCookies(res: Response, policy: CookiePolicy): void {
  res.clearCookie(ACCESS_COOKIE, base(policy, '/'));
  res.clearCookie(REFRESH_COOKIE, base(policy, REFRESH_COOKIE_PATH));
}
