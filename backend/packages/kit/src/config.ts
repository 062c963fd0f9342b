import { hostname } from 'node:os';
import { z } from 'zod';

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
    z.string().refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol.replace(':', ''));
      } catch {
        return false;
      }
    }, `must be a ${protocols.join(' or ')} URL`),
  pem: (kind: 'PUBLIC' | 'PRIVATE') =>
    z
      .string()
      .transform((value) => value.replace(/\\n/g, '\n'))
      .refine((value) => value.includes(`-----BEGIN ${kind} KEY-----`) || value.includes(`-----BEGIN EC ${kind} KEY-----`), `must be a PEM ${kind.toLowerCase()} key`),
};

export const baseConfigShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  REDIS_URL: env.url(['redis', 'rediss']),
  JWT_ISSUER: z.string().min(1).default('marketplace-auth'),
  JWT_AUDIENCE: z.string().min(1).default('marketplace'),
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
  /** Unique per replica: containers all run as pid 1, so the host name is part of the default. */
  CONSUMER_NAME: z.string().min(1).max(200).default(`${hostname()}-${process.pid}`),
  STREAM_MAXLEN: env.int(1_000_000, 1000, 100_000_000),
  STREAM_BLOCK_MS: env.int(2000, 10, 60_000),
  STREAM_CLAIM_IDLE_MS: env.int(30_000, 100, 3_600_000),
  STREAM_MAX_DELIVERIES: env.int(5, 1, 100),
  /** Entries of one read a consumer handles at once; safe because every handler dedupes and locks. */
  STREAM_CONCURRENCY: env.int(4, 1, 64),
};
