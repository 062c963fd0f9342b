import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { LRUCache } from 'lru-cache';
import { ROLES, type Role } from '@market/contracts';
import { AppError } from './errors';

export const JWT_ALGORITHM = 'ES256';

export interface AuthUser {
  id: string;
  username: string;
  role: Role;
}

export interface VerifierOptions {
  issuer: string;
  audience: string;
  /** PEM public key; takes precedence over the JWKS. */
  publicKey?: string;
  jwksUrl?: string;
}

export type TokenVerifier = (token: string) => Promise<AuthUser>;

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
  const verified = new LRUCache<string, AuthUser>({ max: 10_000 });

  return async (token) => {
    const known = verified.get(token);
    if (known) return known;
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
    const { sub, username, role, exp } = payload as {
      sub?: unknown;
      username?: unknown;
      role?: unknown;
      exp?: unknown;
    };
    // jsonwebtoken checks `exp` only when present; an access token without one would never expire.
    if (
      typeof exp !== 'number' ||
      typeof sub !== 'string' ||
      typeof username !== 'string' ||
      !ROLES.includes(role as Role)
    )
      throw invalid();
    const user = { id: sub, username, role: role as Role };
    const ttl = exp * 1000 - Date.now();
    if (ttl > 0) verified.set(token, user, { ttl });
    return user;
  };
}

export function assertRole(user: AuthUser | undefined, roles: readonly Role[]): AuthUser {
  if (!user) throw new AppError('UNAUTHENTICATED', 'sign in first');
  if (!roles.includes(user.role)) throw new AppError('FORBIDDEN', `this needs the ${roles.join(' or ')} role`);
  return user;
}
