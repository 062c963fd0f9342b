import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '@market/kit';

export interface LoginLimiter {
  /** Throws 429 RATE_LIMITED with Retry-After when the IP or the account has failed too often. */
  assertAllowed(ip: string, email: string): Promise<void>;
  recordFailure(ip: string, email: string): Promise<void>;
  recordSuccess(email: string): Promise<void>;
}

// Keys hold a digest, so Redis never holds the address book of who tried to log in.
const accountKey = (email: string) => createHash('sha256').update(email).digest('hex').slice(0, 32);

/**
 * Counts failed logins per client IP and per account in Redis. If Redis is unreachable the
 * in-process insurance limiter keeps counting, so an outage neither blocks logins nor lifts the limit.
 */
export function createLoginLimiter(options: {
  redis: Redis;
  prefix: string;
  perIp: number;
  perAccount: number;
  windowSeconds: number;
}): LoginLimiter {
  const make = (name: string, points: number) =>
    new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${options.prefix}login:${name}`,
      points,
      duration: options.windowSeconds,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: `login:${name}`, points, duration: options.windowSeconds }),
    });
  const byIp = make('ip', options.perIp);
  const byAccount = make('account', options.perAccount);

  function retryAfter(res: RateLimiterRes | null, limit: number): number | undefined {
    if (!res || res.consumedPoints < limit) return undefined;
    return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  }

  return {
    async assertAllowed(ip, email) {
      const [ipRes, accountRes] = await Promise.all([byIp.get(ip), byAccount.get(accountKey(email))]);
      const waits = [retryAfter(ipRes, options.perIp), retryAfter(accountRes, options.perAccount)].filter(
        (s): s is number => s !== undefined,
      );
      if (waits.length > 0) {
        const seconds = Math.max(...waits);
        throw new AppError('RATE_LIMITED', `too many failed sign-in attempts; try again in ${seconds} seconds`, 429, undefined, {
          'Retry-After': String(seconds),
        });
      }
    },
    async recordFailure(ip, email) {
      const swallowLimit = (error: unknown) => {
        // Going over the limit is answered on the next attempt; anything else is a real failure.
        if (!(error instanceof RateLimiterRes)) throw error;
      };
      await Promise.all([byIp.consume(ip).catch(swallowLimit), byAccount.consume(accountKey(email)).catch(swallowLimit)]);
    },
    async recordSuccess(email) {
      await byAccount.delete(accountKey(email));
    },
  };
}
