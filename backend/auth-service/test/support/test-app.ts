import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import Redis from 'ioredis';
import request from 'supertest';
import type { Pool } from 'pg';
import type { Logger } from '@market/kit';
import {
  captureLogs,
  createMigratedTestDatabase,
  generateTestKeys,
  uniqueSuffix,
  type TestKeys,
} from '@market/kit/testing';
import { buildApp } from '../../src/app';
import { loadConfig, type AuthConfig } from '../../src/config';
import { createDb, MIGRATIONS_FOLDER, type Db } from '../../src/data/db';
import { registerUserEventsStream } from '../../src/data/event-streams';
import { upsertAdmin } from '../../src/domain/admin-accounts';
import { createPasswordHasher } from '../../src/domain/passwords';

export const CSRF = { 'X-Requested-With': 'marketplace' } as const;
/** TOTP_ENCRYPTION_KEYS for the tests' configurations: one fresh key per test file. */
export const TEST_TOTP_KEYS = randomBytes(32).toString('base64');
export const PASSWORD = 'correct horse battery';
export const TEST_UNSUBSCRIBE_SECRET = 'test-unsubscribe-secret-0123456789abcdef';

export interface TestApp {
  app: Express;
  config: AuthConfig;
  keys: TestKeys;
  db: Db;
  pool: Pool;
  logger: Logger;
  logs: string[];
  close(): Promise<void>;
}

/** A migrated throwaway database, real Redis under a random key prefix, and the app built on them. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { database, pool, env: testEnv } = await createMigratedTestDatabase('auth', MIGRATIONS_FOLDER);
  const keys = generateTestKeys();
  const config = loadConfig({
    ...testEnv,
    JWT_PRIVATE_KEY: keys.privateKey,
    JWT_KEY_ID: keys.kid,
    TOTP_ENCRYPTION_KEYS: TEST_TOTP_KEYS,
    BCRYPT_COST: '4',
    RATE_LIMIT_PREFIX: `rl:test:${uniqueSuffix()}:`,
    // Test files sign many accounts up and refresh often from one address; limit tests set their own.
    SIGNUP_RATE_LIMIT_PER_IP: '100000',
    REFRESH_RATE_LIMIT_PER_IP: '100000',
    // Admin tests sign in with a password alone; the two-factor tests turn the admin rule back on.
    TOTP_REQUIRED_FOR_ADMINS: 'false',
    // User events of this file's own: the users table's trigger writes them to the outbox.
    USER_EVENTS_STREAM: `test:${uniqueSuffix()}:user_events_stream`,
    UNSUBSCRIBE_SECRET: TEST_UNSUBSCRIBE_SECRET,
    ...env,
  });
  const db = createDb(pool);
  await registerUserEventsStream(config.USER_EVENTS_STREAM, db);
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const { logger, lines } = captureLogs('auth-service');
  const app = buildApp({ config, logger, pool, db, redis });
  return {
    app,
    config,
    keys,
    db,
    pool,
    logger,
    logs: lines,
    async close() {
      const keysLeft = await redis.keys(`${config.RATE_LIMIT_PREFIX}*`);
      if (keysLeft.length > 0) await redis.del(...keysLeft);
      await redis.quit();
      await pool.end();
      await database.drop();
    },
  };
}

export interface Credentials {
  username: string;
  email: string;
  password: string;
  role: 'buyer' | 'seller';
}

export function newCredentials(overrides: Partial<Credentials> = {}): Credentials {
  const suffix = uniqueSuffix();
  return {
    username: `user-${suffix}`,
    email: `user-${suffix}@example.test`,
    password: PASSWORD,
    role: 'buyer',
    ...overrides,
  };
}

export interface SetCookie {
  value: string;
  attributes: string[];
}

/** Set-Cookie headers by cookie name, attributes lower-cased. */
export function setCookies(res: request.Response): Record<string, SetCookie> {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  const cookies: Record<string, SetCookie> = {};
  for (const line of header ?? []) {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    cookies[pair.slice(0, eq)] = {
      value: decodeURIComponent(pair.slice(eq + 1)),
      attributes: attributes.map((a) => a.toLowerCase()),
    };
  }
  return cookies;
}

export interface Session {
  user: { id: string; username: string; email: string; role: string };
  access: string;
  refresh: string;
}

function sessionFrom(res: request.Response): Session {
  const cookies = setCookies(res);
  // Unprefixed unless the test app runs with COOKIE_SECURE=true.
  const access = (cookies.access_token ?? cookies['__Host-access_token'])?.value;
  const refresh = (cookies.refresh_token ?? cookies['__Secure-refresh_token'])?.value;
  if (!access || !refresh)
    throw new Error(`expected session cookies, got status ${res.status}: ${JSON.stringify(res.body)}`);
  return { user: res.body, access, refresh };
}

export async function signup(
  app: Express,
  credentials: Credentials = newCredentials(),
): Promise<Session & { credentials: Credentials }> {
  const res = await request(app).post('/api/auth/signup').set(CSRF).send(credentials);
  if (res.status !== 201) throw new Error(`signup failed with ${res.status}: ${JSON.stringify(res.body)}`);
  return { ...sessionFrom(res), credentials };
}

export const login = (app: Express, email: string, password: string, ip = randomIp()) =>
  request(app).post('/api/auth/login').set(CSRF).set('X-Forwarded-For', ip).send({ email, password });

async function loginSession(app: Express, email: string, password: string): Promise<Session> {
  return sessionFrom(await login(app, email, password));
}

export const refresh = (app: Express, refreshToken: string) =>
  request(app).post('/api/auth/refresh').set(CSRF).set('Cookie', `refresh_token=${refreshToken}`);

export const me = (app: Express, accessToken: string) =>
  request(app).get('/api/auth/me').set('Cookie', `access_token=${accessToken}`);

/** An admin created the way an operator does it, then signed in through the API. */
export async function adminSession(ctx: TestApp, credentials: Credentials = newCredentials()): Promise<Session> {
  await upsertAdmin({ db: ctx.db, passwords: createPasswordHasher(4) }, credentials);
  return loginSession(ctx.app, credentials.email, credentials.password);
}

/**
 * A documentation address (2001:db8::/32) in a /64 of its own per call (the limiter counts IPv6
 * clients by /64), so tests do not share a per-IP budget.
 */
export function randomIp(): string {
  return `2001:db8:${uniqueSuffix().slice(0, 4)}:${uniqueSuffix().slice(0, 4)}::1`;
}
