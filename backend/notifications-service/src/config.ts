import { z } from 'zod';
import {
  baseConfigShape,
  ConfigError,
  databaseTimeoutConfigShape,
  env,
  mailConfigShape,
  parseConfig,
  productionMailProblems,
  streamConfigShape,
} from '@market/kit';
import { ORDER_EVENTS_STREAM } from '@market/contracts';

/** Keys of the notifications worker: its database, the two streams it reads, SMTP, and the link secret. */
export const notificationsConfigShape = {
  NODE_ENV: baseConfigShape.NODE_ENV,
  LOG_LEVEL: baseConfigShape.LOG_LEVEL,
  HOST: baseConfigShape.HOST,
  DATABASE_URL: baseConfigShape.DATABASE_URL,
  DATABASE_MIGRATION_URL: baseConfigShape.DATABASE_MIGRATION_URL,
  ...databaseTimeoutConfigShape,
  /** /health, /ready and /metrics; 0 takes any free port (tests). */
  PORT: env.int(3006, 0, 65_535),
  REDIS_URL: baseConfigShape.REDIS_URL,
  USER_EVENTS_STREAM: streamConfigShape.USER_EVENTS_STREAM,
  /** orders-service's order.status_changed events (its ORDER_EVENTS_STREAM). */
  ORDER_EVENTS_STREAM: env.text().default(ORDER_EVENTS_STREAM),
  CONSUMER_NAME: streamConfigShape.CONSUMER_NAME,
  STREAM_BLOCK_MS: streamConfigShape.STREAM_BLOCK_MS,
  STREAM_CLAIM_IDLE_MS: streamConfigShape.STREAM_CLAIM_IDLE_MS,
  /**
   * Failed sends of an event (the SMTP server refused it) after which it is dead-lettered to
   * `<stream>:dead`; an SMTP server that cannot be reached is an outage, retried with backoff uncounted.
   */
  STREAM_MAX_DELIVERIES: streamConfigShape.STREAM_MAX_DELIVERIES,
  STREAM_HANDLER_TIMEOUT_MS: streamConfigShape.STREAM_HANDLER_TIMEOUT_MS,
  STREAM_CONSUMER_EXPIRY_MS: streamConfigShape.STREAM_CONSUMER_EXPIRY_MS,
  /** Events read at once; each mail is its own SMTP transaction, so a small batch keeps a retry small. */
  STREAM_BATCH_SIZE: env.int(16, 1, 1000),
  STREAM_BATCH_WAIT_MS: streamConfigShape.STREAM_BATCH_WAIT_MS,
  ...mailConfigShape,
  /** The secret auth-service checks the unsubscribe links with (its UNSUBSCRIBE_SECRET): at least 32 characters. */
  UNSUBSCRIBE_SECRET: z.string().min(32).max(512),
};

/** Parses the environment once; throws a ConfigError naming every bad key. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  const parsed = parseConfig(notificationsConfigShape, source);
  const problems = productionMailProblems(parsed.NODE_ENV, source);
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed;
}

export type NotificationsConfig = ReturnType<typeof loadConfig>;
