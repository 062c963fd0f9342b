import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '@market/kit';

export interface LoginLimiter {
  /**
   * Counts one sign-in attempt against the IP and the account before the password is checked,
   * and throws 429 RATE_LIMITED with Retry-After when either is over its limit. Counting first
   * (an atomic increment) means parallel attempts cannot all pass a check made before any of them fails.
   */
  consumeAttempt(ip: string, email: string): Promise<void>;
  /** A successful sign-in: the account starts again and the attempt no longer counts against the IP. */
  recordSuccess(ip: string, email: string): Promise<void>;
}

// Keys hold a digest, so Redis never holds the address book of who tried to log in.
const accountKey = (email: string) => createHash('sha256').update(email).digest('hex').slice(0, 32);

/**
 * Counts sign-in attempts per client IP and per account in Redis (a success hands its attempt back,
 * so in effect failures are counted). If Redis is unreachable the
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

  const limited = (seconds: number) =>
    new AppError('RATE_LIMITED', `too many failed sign-in attempts; try again in ${seconds} seconds`, 429, undefined, {
      'Retry-After': String(seconds),
    });

  return {
    async consumeAttempt(ip, email) {
      const outcomes = await Promise.allSettled([byIp.consume(ip), byAccount.consume(accountKey(email))]);
      const waits: number[] = [];
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') continue;
        // Over the limit is a RateLimiterRes; anything else is a real failure.
        if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
        waits.push(Math.max(1, Math.ceil(outcome.reason.msBeforeNext / 1000)));
      }
      if (waits.length > 0) throw limited(Math.max(...waits));
    },
    async recordSuccess(ip, email) {
      await Promise.all([byAccount.delete(accountKey(email)), byIp.reward(ip, 1)]);
    },
  };
}
