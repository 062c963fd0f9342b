import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '@market/kit';

interface LimiterOptions {
  redis: Redis;
  prefix: string;
  name: string;
  points: number;
  windowSeconds: number;
}

/**
 * A counter in Redis; if Redis is unreachable the in-process insurance limiter keeps counting,
 * so an outage neither blocks the route nor lifts the limit.
 */
export function redisLimiter(options: LimiterOptions): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `${options.prefix}${options.name}`,
    points: options.points,
    duration: options.windowSeconds,
    insuranceLimiter: new RateLimiterMemory({
      keyPrefix: options.name,
      points: options.points,
      duration: options.windowSeconds,
    }),
  });
}

const rateLimited = (what: string, seconds: number) =>
  new AppError('RATE_LIMITED', `too many ${what}; try again in ${seconds} seconds`, 429, undefined, {
    'Retry-After': String(seconds),
  });

/**
 * Consumes one point from each limiter; throws 429 with the longest wait when any is over.
 * Over the limit is a RateLimiterRes; anything else is a real failure.
 */
export async function consumeAll(what: string, counts: [RateLimiterRedis, string][]): Promise<void> {
  const outcomes = await Promise.allSettled(counts.map(([limiter, key]) => limiter.consume(key)));
  const waits: number[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') continue;
    if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
    waits.push(Math.max(1, Math.ceil(outcome.reason.msBeforeNext / 1000)));
  }
  if (waits.length > 0) throw rateLimited(what, Math.max(...waits));
}

/** Counts requests per client address: sign-ups (each costs a bcrypt hash) and refreshes. */
export function createAddressLimiter(options: LimiterOptions & { what: string }) {
  const limiter = redisLimiter(options);
  return { consume: (address: string) => consumeAll(options.what, [[limiter, address]]) };
}

export type AddressLimiter = ReturnType<typeof createAddressLimiter>;
