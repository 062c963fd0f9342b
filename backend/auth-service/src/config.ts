import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { LIMITS } from '@market/contracts';
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
import { passwordProblem } from './domain/passwords';

function isP256PrivateKey(pem: string): boolean {
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  } catch {
    return false;
  }
}

const password = z
  .string()
  .refine(
    (value) => passwordProblem(value) === undefined,
    `must be ${LIMITS.passwordMinBytes} to ${LIMITS.passwordMaxBytes} bytes`,
  );

const optionalBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1' || v === 'yes'));

/** Keys every entry point (server and CLI) needs to reach the database and hash passwords. */
export const databaseShape = {
  NODE_ENV: baseConfigShape.NODE_ENV,
  LOG_LEVEL: baseConfigShape.LOG_LEVEL,
  DATABASE_URL: baseConfigShape.DATABASE_URL,
  DATABASE_MIGRATION_URL: baseConfigShape.DATABASE_MIGRATION_URL,
  ...databaseTimeoutConfigShape,
  BCRYPT_COST: env.int(12, 4, 16),
};

export const authConfigShape = {
  ...baseConfigShape,
  ...databaseShape,
  PORT: env.port(3001),
  JWT_PRIVATE_KEY: env.pem('PRIVATE').refine(isP256PrivateKey, 'must be an EC P-256 private key (ES256)'),
  /** Defaults to the key's RFC 7638 thumbprint, so it changes exactly when the key does. */
  JWT_KEY_ID: z.string().min(1).max(128).optional(),
  ACCESS_TOKEN_TTL_SECONDS: env.int(900, 30, 86_400),
  REFRESH_TOKEN_TTL_SECONDS: env.int(1_209_600, 300, 31_536_000),
  /** A refresh family (one sign-in) ends this many days after the sign-in, however often it was rotated. */
  REFRESH_FAMILY_MAX_DAYS: env.int(30, 1, 365),
  /** How often expired and revoked refresh rows are deleted. */
  SESSION_PRUNE_INTERVAL_SECONDS: env.int(3600, 10, 86_400),
  COOKIE_SECURE: optionalBoolean,
  DEMO_MODE: env.boolean(false),
  DEMO_BUYER_PASSWORD: password.default('demo-buyer-pass'),
  DEMO_SELLER_PASSWORD: password.default('demo-seller-pass'),
  ADMIN_EMAIL: z
    .email()
    .max(LIMITS.emailMax)
    .default('admin@demo.local')
    .transform((v) => v.toLowerCase()),
  ADMIN_PASSWORD: password.optional(),
  LOGIN_RATE_LIMIT_PER_IP: env.int(20, 1, 100_000),
  LOGIN_RATE_LIMIT_PER_ACCOUNT: env.int(5, 1, 10_000),
  LOGIN_RATE_LIMIT_WINDOW_SECONDS: env.int(900, 1, 86_400),
  SIGNUP_RATE_LIMIT_PER_IP: env.int(10, 1, 100_000),
  SIGNUP_RATE_LIMIT_WINDOW_SECONDS: env.int(3600, 1, 86_400),
  REFRESH_RATE_LIMIT_PER_IP: env.int(60, 1, 100_000),
  REFRESH_RATE_LIMIT_WINDOW_SECONDS: env.int(60, 1, 86_400),
  /** A refresh token presented again this soon after its rotation gets a sibling instead of revoking its family. */
  REFRESH_REUSE_GRACE_SECONDS: env.int(10, 0, 60),
  RATE_LIMIT_PREFIX: z.string().min(1).max(100).default('rl:'),
  /** Admins must sign in with TOTP; one without it can only set it up (README, Security). */
  TOTP_REQUIRED_FOR_ADMINS: env.boolean(true),
  /** The demo admin of `npm start`, which signs in without TOTP; only with DEMO_MODE. */
  TOTP_EXEMPT_ADMIN_EMAIL: z
    .union([z.literal(''), z.email().max(LIMITS.emailMax)])
    .default('')
    .transform((v) => v.toLowerCase()),
  /** The issuer an authenticator app shows beside the account. */
  TOTP_ISSUER: z.string().min(1).max(100).default('Marketplace'),
  /**
   * AES-256 keys sealing the TOTP secrets at rest: base64 of 32 random bytes each, comma-separated.
   * The first seals; every one opens, so a key rotates by putting the new one first (the secrets are
   * re-sealed at the next start) and dropping the old one a release later.
   */
  TOTP_ENCRYPTION_KEYS: z
    .string()
    .transform((value) => value.split(',').map((key) => key.trim()))
    .refine((keys) => keys.length >= 1 && keys.length <= 5, 'give one to five keys, comma-separated')
    .refine(
      (keys) => keys.every((key) => /^[A-Za-z0-9+/]{43}=$/.test(key)),
      'each key must be base64 of 32 random bytes (openssl rand -base64 32)',
    )
    .transform((keys) => keys.map((key) => Buffer.from(key, 'base64'))),
  /**
   * Signs the unsubscribe links of notification emails (HMAC-SHA256); the notifications worker
   * holds the same secret. At least 32 characters; required in production, empty turns the links off.
   */
  UNSUBSCRIBE_SECRET: z.union([z.literal(''), z.string().min(32).max(512)]).default(''),
  /** Where user.created / user.changed / user.deleted are published (through the outbox); the workers read it. */
  USER_EVENTS_STREAM: streamConfigShape.USER_EVENTS_STREAM,
  STREAM_MAXLEN: streamConfigShape.STREAM_MAXLEN,
  /** Password-reset and verification mail leaves through this relay (the outbox's mail rows). */
  ...mailConfigShape,
  /** Password-reset requests per client address, and per email address asked for (known or not), per window. */
  RESET_MAIL_RATE_LIMIT_PER_IP: env.int(20, 1, 100_000),
  RESET_MAIL_RATE_LIMIT_PER_EMAIL: env.int(3, 1, 1000),
  /** Verification mails a signed-in account may ask for again per window. */
  VERIFICATION_MAIL_RATE_LIMIT_PER_ACCOUNT: env.int(3, 1, 1000),
  /** The window of the two mail limits above. */
  MAIL_RATE_LIMIT_WINDOW_SECONDS: env.int(3600, 1, 86_400),
};

function keyThumbprint(privateKeyPem: string): string {
  const jwk = createPublicKey(createPrivateKey(privateKeyPem)).export({ format: 'jwk' });
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function checkBcryptCost(nodeEnv: string, cost: number): string[] {
  return nodeEnv === 'production' && cost < 12 ? [`BCRYPT_COST: must be at least 12 in production (got ${cost})`] : [];
}

/** Production services read only the prefixed cookies, which browsers keep only when Secure. */
const checkCookieSecure = (nodeEnv: string, secure: boolean | undefined): string[] =>
  nodeEnv === 'production' && secure === false
    ? ['COOKIE_SECURE: must not be false in production (the __Host- and __Secure- cookies need HTTPS)']
    : [];

/** Parses the environment once; throws a ConfigError naming every bad key. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  const parsed = parseConfig(authConfigShape, source);
  const problems = [
    ...checkBcryptCost(parsed.NODE_ENV, parsed.BCRYPT_COST),
    ...checkCookieSecure(parsed.NODE_ENV, parsed.COOKIE_SECURE),
    ...productionMailProblems(parsed.NODE_ENV, source),
  ];
  if (parsed.NODE_ENV === 'production' && !parsed.UNSUBSCRIBE_SECRET)
    problems.push('UNSUBSCRIBE_SECRET: required in production (the unsubscribe links of notification emails)');
  if (parsed.TOTP_EXEMPT_ADMIN_EMAIL && !parsed.DEMO_MODE)
    problems.push('TOTP_EXEMPT_ADMIN_EMAIL: only the demo admin may be exempt, so it needs DEMO_MODE=true');
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    ...parsed,
    JWT_KEY_ID: parsed.JWT_KEY_ID ?? keyThumbprint(parsed.JWT_PRIVATE_KEY),
    COOKIE_SECURE: parsed.COOKIE_SECURE ?? parsed.NODE_ENV === 'production',
  });
}

export type AuthConfig = ReturnType<typeof loadConfig>;
