import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { LRUCache } from 'lru-cache';
import { ROLES, SESSION_COOKIES, type Role } from '@market/contracts';
import { AppError } from './errors';
import type { SessionRevocations } from './session-revocation';

export const JWT_ALGORITHM = 'ES256';

export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  /** The `email_verified` claim; a token without it (minted before the claim existed) counts as unverified. */
  emailVerified: boolean;
}

export interface VerifierOptions {
  issuer: string;
  audience: string;
  /** PEM public key; takes precedence over the JWKS. */
  publicKey?: string;
  jwksUrl?: string;
  /** Refuses tokens issued before the user's valid-after (logout everywhere, disabled, role changed). */
  revocations?: SessionRevocations;
  /**
   * Also read the unprefixed `access_token` cookie of plain-http development (outside production
   * only: in production a cookie without the `__Host-` prefix may have been planted by a sibling site).
   */
  acceptPlainCookie?: boolean;
}

export interface TokenVerifier {
  (token: string): Promise<AuthUser>;
  /** The cookies an access token is read from, in order. */
  readonly cookies: readonly string[];
}

/**
 * The times of a token signed now. `iat` to the millisecond (a NumericDate may be fractional, RFC 7519
 * section 2), so a token from the same second as a revocation is refused and a sign-in right after it
 * is not; `exp` in whole seconds, which jsonwebtoken compares with the current whole second.
 */
export function issuedNow(ttlSeconds: number): { iat: number; exp: number } {
  const now = Date.now();
  return { iat: now / 1000, exp: Math.floor(now / 1000) + ttlSeconds };
}

const invalid = () => new AppError('UNAUTHENTICATED', 'your session is not valid; sign in again');

/**
 * Verifies access tokens minted by auth-service: ES256 only (so `alg: none` and HMAC
 * confusion fail), issuer, audience and expiry checked, key from a PEM or a cached JWKS.
 */
export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  let keyFor: (kid: string | undefined) => Promise<KeyObject | string>;
  if (options.publicKey) {
    const key = createPublicKey(options.publicKey);
    keyFor = () => Promise.resolve(key);
  } else if (options.jwksUrl) {
    const client = new JwksClient({
      jwksUri: options.jwksUrl,
      cache: true,
      cacheMaxAge: 10 * 60_000,
      rateLimit: true,
      jwksRequestsPerMinute: 10,
    });
    keyFor = async (kid) => {
      if (!kid) throw invalid();
      const signingKey = await client.getSigningKey(kid).catch(() => {
        throw invalid();
      });
      return signingKey.getPublicKey();
    };
  } else {
    throw new Error('token verification needs JWT_PUBLIC_KEY or JWKS_URL');
  }

  // A browser sends the same access token with every request until it is refreshed: an ES256
  // verify per request was the largest CPU cost of placing an order. Verified tokens are
  // remembered (bounded) until their own expiry; a token that fails is never cached.
  // The revocation check runs on every request, cached token or not.
  const verified = new LRUCache<string, { user: AuthUser; issuedAtMs: number }>({ max: 10_000 });

  const verify = async (token: string) => {
    const known = verified.get(token) ?? (await verifySignature(token));
    await options.revocations?.assertCurrent(known.user, known.issuedAtMs);
    return known.user;
  };
  const cookies = options.acceptPlainCookie
    ? [SESSION_COOKIES.secure.access, SESSION_COOKIES.plain.access]
    : [SESSION_COOKIES.secure.access];
  return Object.assign(verify, { cookies });

  async function verifySignature(token: string): Promise<{ user: AuthUser; issuedAtMs: number }> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw invalid();
    const key = await keyFor(decoded.header.kid);
    let payload: JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: [JWT_ALGORITHM],
        issuer: options.issuer,
        audience: options.audience,
      }) as JwtPayload;
    } catch {
      throw invalid();
    }
    const { sub, username, role, exp, iat, email_verified } = payload as {
      email_verified?: unknown;
      sub?: unknown;
      username?: unknown;
      role?: unknown;
      exp?: unknown;
      iat?: unknown;
    };
    // jsonwebtoken checks `exp` only when present; an access token without one would never expire.
    if (
      typeof exp !== 'number' ||
      typeof iat !== 'number' ||
      typeof sub !== 'string' ||
      typeof username !== 'string' ||
      !ROLES.includes(role as Role)
    )
      throw invalid();
    const user = { id: sub, username, role: role as Role, emailVerified: email_verified === true };
    const entry = { user, issuedAtMs: Math.round(iat * 1000) };
    const ttl = exp * 1000 - Date.now();
    if (ttl > 0) verified.set(token, entry, { ttl });
    return entry;
  }
}

export function assertRole(user: AuthUser | undefined, roles: readonly Role[]): AuthUser {
  if (!user) throw new AppError('UNAUTHENTICATED', 'sign in first');
  if (!roles.includes(user.role)) throw new AppError('FORBIDDEN', `this needs the ${roles.join(' or ')} role`);
  return user;
}

/** Placing an order and listing a product: the account's email address must be verified. */
export function assertEmailVerified(user: AuthUser, action: string): void {
  if (!user.emailVerified)
    throw new AppError(
      'EMAIL_NOT_VERIFIED',
      `verify your email address to ${action}: open the link we mailed you, or send it again from the banner`,
    );
}
