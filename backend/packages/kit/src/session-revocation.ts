import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { Counter, type Registry } from 'prom-client';
import { AppError } from './errors';
import type { AuthUser } from './jwt';
import type { Logger } from './logger';

/**
 * `auth:valid-after:<user id>` holds the instant (milliseconds since the epoch) at or before which
 * the user's access tokens are refused. auth-service writes it (SET … EX); every verifier reads it (GET).
 */
export const VALID_AFTER_KEY_PREFIX = 'auth:valid-after:';
/** The longest access-token lifetime auth-service accepts: past it, every older token has expired anyway. */
const KEY_TTL_SECONDS = 86_400;

export interface SessionRevocationOptions {
  redis: Redis;
  logger: Logger;
  /** Where `session_revocation_check_unavailable_total` is counted. */
  registry?: Registry;
  /** How long an answer from Redis is reused; below a second, so a revocation bites within one. */
  cacheMs?: number;
  /** A read slower than this counts as Redis being unreachable. */
  timeoutMs?: number;
}

export interface SessionRevocations {
  /** Every access token issued until now for this user is refused from now on (refresh tokens are auth-service's). */
  revokeAccessTokens(userId: string): Promise<void>;
  /** Throws UNAUTHENTICATED when the token was issued at or before the user's valid-after. */
  assertCurrent(user: AuthUser, issuedAtMs: number): Promise<void>;
}

interface Known {
  validAfterMs: number | undefined;
  fetchedAtMs: number;
}

/**
 * While Redis is unreachable the check fails open for buyers and sellers, with the last value this
 * process read (a valid-after only ever grows, so an old one still refuses what it refused): orders
 * keep being placed through a Redis outage. Admin tokens fail closed (503): an admin disabled during
 * the outage must not keep their powers. Each fallback is counted and logged (README, Security).
 */
export function createSessionRevocations(options: SessionRevocationOptions): SessionRevocations {
  const { redis, logger } = options;
  const cacheMs = options.cacheMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 1000;
  const known = new LRUCache<string, Known>({ max: 50_000 });
  const unavailable = new Counter({
    name: 'session_revocation_check_unavailable_total',
    help: 'Access-token revocation checks made without Redis: mode open (buyers, sellers: last known value) or closed (admins: 503)',
    labelNames: ['mode'] as const,
    registers: options.registry ? [options.registry] : [],
  });
  let lastWarnedAt = 0;

  async function read(userId: string): Promise<number | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from redis within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const value = await Promise.race([redis.get(VALID_AFTER_KEY_PREFIX + userId), timeout]);
      return value === null ? undefined : Number(value);
    } finally {
      clearTimeout(timer);
    }
  }

  async function validAfter(user: AuthUser): Promise<number | undefined> {
    const cached = known.get(user.id);
    if (cached && Date.now() - cached.fetchedAtMs < cacheMs) return cached.validAfterMs;
    try {
      const validAfterMs = await read(user.id);
      known.set(user.id, { validAfterMs, fetchedAtMs: Date.now() });
      return validAfterMs;
    } catch (err) {
      const mode = user.role === 'admin' ? 'closed' : 'open';
      unavailable.inc({ mode });
      if (Date.now() - lastWarnedAt > 10_000) {
        lastWarnedAt = Date.now();
        logger.warn({ err, mode }, 'session revocation check without redis');
      }
      if (mode === 'closed')
        throw new AppError('SERVICE_UNAVAILABLE', 'admin sessions cannot be checked right now; try again in a moment');
      return cached?.validAfterMs;
    }
  }

  return {
    async revokeAccessTokens(userId) {
      const now = Date.now();
      await redis.set(VALID_AFTER_KEY_PREFIX + userId, String(now), 'EX', KEY_TTL_SECONDS);
      known.set(userId, { validAfterMs: now, fetchedAtMs: now });
    },
    async assertCurrent(user, issuedAtMs) {
      const after = await validAfter(user);
      if (after !== undefined && issuedAtMs <= after)
        throw new AppError('UNAUTHENTICATED', 'your session has ended; sign in again');
    },
  };
}
