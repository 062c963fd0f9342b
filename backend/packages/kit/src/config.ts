import { hostname } from 'node:os';
import { z } from 'zod';
import { DB_TIMEOUT_DEFAULTS } from './db';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment against one schema and returns a frozen, typed object,
 * or throws a ConfigError naming every missing or bad key at once.
 */
export function parseConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<z.infer<z.ZodObject<S>>> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    input[key] = value === '' ? undefined : value;
  }
  const parsed = z.object(shape).safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path.join('.') || '(environment)';
        return input[key] === undefined ? `${key}: missing (${issue.message})` : `${key}: ${issue.message}`;
      }),
    );
  }
  return Object.freeze(parsed.data);
}

/** Building blocks shared by the services' config schemas. */
export const env = {
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  int: (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback),
  /** Any non-empty string (a name, a path); chain `.optional()` or `.default()`. */
  text: () => z.string().min(1),
  port: (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback),
  url: (protocols: string[]) =>
    z.string().refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol.replace(':', ''));
        } catch {
          return false;
        }
      },
      `must be a ${protocols.join(' or ')} URL`,
    ),
  pem: (kind: 'PUBLIC' | 'PRIVATE') =>
    z
      .string()
      .transform((value) => value.replace(/\\n/g, '\n'))
      .refine(
        (value) => value.includes(`-----BEGIN ${kind} KEY-----`) || value.includes(`-----BEGIN EC ${kind} KEY-----`),
        `must be a PEM ${kind.toLowerCase()} key`,
      ),
};

/**
 * Limits PostgreSQL sets on every pooled connection (createPool), so a stalled connection fails the
 * work on it instead of hanging it: a statement running longer is cancelled, a lock waited for
 * longer gives up, a transaction left idle longer is ended. Migrations run without them.
 */
export const databaseTimeoutConfigShape = {
  DB_STATEMENT_TIMEOUT_MS: env.int(DB_TIMEOUT_DEFAULTS.DB_STATEMENT_TIMEOUT_MS, 100, 3_600_000),
  DB_LOCK_TIMEOUT_MS: env.int(DB_TIMEOUT_DEFAULTS.DB_LOCK_TIMEOUT_MS, 10, 3_600_000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: env.int(DB_TIMEOUT_DEFAULTS.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS, 100, 86_400_000),
};

export const baseConfigShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  /**
   * The migration owner's connection (least privilege: DATABASE_URL's role may only read and write
   * rows). Unset: migrations run over DATABASE_URL, which then needs the right to create tables.
   */
  DATABASE_MIGRATION_URL: env.url(['postgres', 'postgresql']).optional(),
  ...databaseTimeoutConfigShape,
  REDIS_URL: env.url(['redis', 'rediss']),
  JWT_ISSUER: z.string().min(1).default('marketplace-auth'),
  JWT_AUDIENCE: z.string().min(1).default('marketplace'),
};

/** Keys of a service's migrate entry (dist/migrate.js): its database only. */
export const migrateConfigShape = {
  LOG_LEVEL: baseConfigShape.LOG_LEVEL,
  DATABASE_URL: baseConfigShape.DATABASE_URL,
  DATABASE_MIGRATION_URL: baseConfigShape.DATABASE_MIGRATION_URL,
};

/** Keys of services that verify tokens but never mint them. */
export const verifierConfigShape = {
  JWT_PUBLIC_KEY: env.pem('PUBLIC').optional(),
  JWKS_URL: env.url(['http', 'https']).optional(),
};

/** A verifier needs a key: refuses a config with neither JWT_PUBLIC_KEY nor JWKS_URL. */
export function assertVerifierKey(config: { JWT_PUBLIC_KEY?: string; JWKS_URL?: string }): void {
  if (!config.JWT_PUBLIC_KEY && !config.JWKS_URL) {
    throw new ConfigError(['JWT_PUBLIC_KEY or JWKS_URL: one of them is required to verify access tokens']);
  }
}

/** Keys of services that take part in the stock saga. */
export const streamConfigShape = {
  ORDERS_STREAM: z.string().min(1).default('orders_stream'),
  INVENTORY_STREAM: z.string().min(1).default('inventory_stream'),
  /** auth-service's account events (user.deleted); orders and products workers erase what they keep about the user. */
  USER_EVENTS_STREAM: z.string().min(1).default('user_events_stream'),
  /** Unique per replica: containers all run as pid 1, so the host name is part of the default. */
  CONSUMER_NAME: z.string().min(1).max(200).default(`${hostname()}-${process.pid}`),
  STREAM_MAXLEN: env.int(1_000_000, 1000, 100_000_000),
  STREAM_BLOCK_MS: env.int(2000, 10, 60_000),
  STREAM_CLAIM_IDLE_MS: env.int(30_000, 100, 3_600_000),
  /** Failed handlings (not redeliveries, not outages: see isTransientError) after which an entry is dead-lettered. */
  STREAM_MAX_DELIVERIES: env.int(5, 1, 100),
  /** Deadline of one batch's handling; past it the batch is retried later and shutdown stops waiting for it. */
  STREAM_HANDLER_TIMEOUT_MS: env.int(30_000, 100, 600_000),
  /** A consumer that has not read for this long and has nothing pending is removed from its group. */
  STREAM_CONSUMER_EXPIRY_MS: env.int(3_600_000, 10_000, 604_800_000),
  /** Entries a consumer reads at once and applies as one batch (set-based SQL, one XACK). */
  STREAM_BATCH_SIZE: env.int(64, 1, 1000),
  /**
   * After a batch smaller than STREAM_BATCH_SIZE, the consumer waits this long before reading
   * again, so entries gather into the next batch: a few ms of latency buy fewer transactions per order.
   */
  STREAM_BATCH_WAIT_MS: env.int(50, 0, 1000),
};
