import type { Redis } from 'ioredis';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import jwt from 'jsonwebtoken';
import { Client, type Pool } from 'pg';
import type { Role } from '@market/contracts';
import { createPool, runMigrations } from './db';
import { createLogger, type Logger } from './logger';
import { issuedNow } from './jwt';

/** Helpers for integration tests against real PostgreSQL and Redis. Never used by services. */

export const testPgAdminUrl = () => process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const testRedisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const uniqueSuffix = () => randomBytes(5).toString('hex');

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates a fresh database whose name ends in `_test`; refuses any other name. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${uniqueSuffix()}_test`;
  if (!/^[a-z][a-z0-9_]*_test$/.test(name)) throw new Error(`refusing a test database named ${name}`);
  const admin = new Client({ connectionString: testPgAdminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testPgAdminUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: testPgAdminUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface MigratedTestDatabase {
  database: TestDatabase;
  pool: Pool;
  /** The keys every service's config needs in a test: this database, the test Redis, debug logs. */
  env: { NODE_ENV: 'test'; LOG_LEVEL: 'debug'; DATABASE_URL: string; REDIS_URL: string };
}

/** A fresh test database with the service's migrations applied and a pool on it. */
export async function createMigratedTestDatabase(
  prefix: string,
  migrationsFolder: string,
  poolMax = 5,
): Promise<MigratedTestDatabase> {
  const database = await createTestDatabase(prefix);
  const pool = createPool(database.url, poolMax);
  await runMigrations(pool, migrationsFolder);
  return {
    database,
    pool,
    env: { NODE_ENV: 'test', LOG_LEVEL: 'debug', DATABASE_URL: database.url, REDIS_URL: testRedisUrl() },
  };
}

/** A port the kernel just handed out and nobody listens on, for a service a test starts as its own process. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value (not undefined) or the deadline passes; a throwing check counts as not yet. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last instanceof Error ? String(last) : inspect(last)})` : ''}`,
      );
    await sleep(intervalMs);
  }
}

/**
 * One relay pass that went through: a relay's Redis connection may still be connecting (it
 * queues nothing offline, so a pass then fails and the rows wait), which a loaded machine
 * makes likely right after start. Resolves the number of rows the pass published.
 */
export const relayPass = (relay: { publishBatch(): Promise<number> }) =>
  eventually(() => relay.publishBatch(), { what: 'a relay pass with Redis connected' });

/** A logger whose lines are kept in memory, so tests can assert what was (not) logged. */
export function captureLogs(service = 'test'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ service, level: 'debug', destination }), lines };
}

export interface TestKeys {
  privateKey: string;
  publicKey: string;
  kid: string;
}

export function generateTestKeys(): TestKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    kid: uniqueSuffix(),
  };
}

/** Mints an access token the way auth-service does, for services that only verify. */
export function signTestToken(
  keys: TestKeys,
  user: { id: string; username: string; role: Role },
  /** `expiresIn: null` mints a token without `exp`, which verifiers must refuse. */
  options: { issuer?: string; audience?: string; expiresIn?: number | null } = {},
): string {
  // Timed as auth-service signs: the revocation check compares `iat` to the millisecond.
  const { iat, exp } = issuedNow(options.expiresIn ?? 900);
  const times = options.expiresIn === null ? { iat } : { iat, exp };
  return jwt.sign({ username: user.username, role: user.role, ...times }, keys.privateKey, {
    algorithm: 'ES256',
    keyid: keys.kid,
    subject: user.id,
    issuer: options.issuer ?? 'marketplace-auth',
    audience: options.audience ?? 'marketplace',
  });
}

/** Writes dead letter number `n` the way startStreamConsumer does (the original fields plus dead_*); returns its id. */
export async function writeDeadLetter(
  redis: Redis,
  stream: string,
  n: number,
  overrides: Record<string, string> = {},
): Promise<string> {
  const fields = {
    type: 'order.cancelled',
    event_id: `event-${n}`,
    order_id: `order-${n}`,
    dead_original_id: `${1000 + n}-0`,
    dead_group: 'products',
    dead_reason: `failed 5 times: database unavailable (${n})`,
    dead_deliveries: '5',
    dead_at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    ...overrides,
  };
  return (await redis.xadd(`${stream}:dead`, '*', ...Object.entries(fields).flat()))!;
}
export * from './test-smtp-server';
