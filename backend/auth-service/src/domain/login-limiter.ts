import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { consumeAll, redisLimiter } from './rate-limits';

export interface LoginLimiter {
  /**
   * Counts one sign-in attempt against the address and against the account from that address
   * before the password is checked, and throws 429 RATE_LIMITED with Retry-After when either is
   * over its limit. Counting first (an atomic increment) means parallel attempts cannot all pass a
   * check made before any of them fails.
   */
  consumeAttempt(ip: string, email: string): Promise<void>;
  /** A successful sign-in: the account starts again from that address, and the attempt no longer counts against it. */
  recordSuccess(ip: string, email: string): Promise<void>;
}

// Keys hold a digest, so Redis never holds the address book of who tried to log in from where.
const accountAtAddress = (email: string, ip: string) =>
  createHash('sha256').update(`${email}\n${ip}`).digest('hex').slice(0, 32);

/**
 * Counts sign-in attempts per client address (password spraying across accounts) and per account
 * from one address (guessing one password). The account is never counted across addresses: failures
 * from elsewhere cannot lock its owner out, and a right password from an address without failures
 * always gets through (a success hands its attempt back, so in effect failures are counted).
 */
export function createLoginLimiter(options: {
  redis: Redis;
  prefix: string;
  perIp: number;
  perAccount: number;
  windowSeconds: number;
}): LoginLimiter {
  const { redis, prefix, windowSeconds } = options;
  const byIp = redisLimiter({ redis, prefix, name: 'login:ip', points: options.perIp, windowSeconds });
  const byAccount = redisLimiter({
    redis,
    prefix,
    name: 'login:account-ip',
    points: options.perAccount,
    windowSeconds,
  });

  return {
    consumeAttempt: (ip, email) =>
      consumeAll('failed sign-in attempts', [
        [byIp, ip],
        [byAccount, accountAtAddress(email, ip)],
      ]),
    async recordSuccess(ip, email) {
      await Promise.all([byAccount.delete(accountAtAddress(email, ip)), byIp.reward(ip, 1)]);
    },
  };
}
