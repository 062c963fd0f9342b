import { Client, Pool, type ClientConfig, type PoolClient } from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Logger } from './logger';

/** Where the database is and how long PostgreSQL lets each pooled connection run or wait (the DB_* keys of the config). */
export interface DatabaseSettings {
  DATABASE_URL: string;
  /** The migration owner's connection; unset, migrations run over DATABASE_URL. */
  DATABASE_MIGRATION_URL?: string | undefined;
  DB_STATEMENT_TIMEOUT_MS: number;
  DB_LOCK_TIMEOUT_MS: number;
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: number;
}

export const DB_TIMEOUT_DEFAULTS = {
  DB_STATEMENT_TIMEOUT_MS: 15_000,
  DB_LOCK_TIMEOUT_MS: 5_000,
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 30_000,
} as const;

/**
 * The client stops waiting for an answer this long after the server should have cancelled the
 * statement: only a silent connection (a half-open socket, a frozen server) gets that far.
 */
export const QUERY_TIMEOUT_MARGIN_MS = 2_000;

/** pg keeps the query a timed-out client is still waiting for; internal, hence the optional call. */
const isMidQuery = (client: PoolClient) =>
  (client as unknown as { _getActiveQuery?: () => unknown })._getActiveQuery?.() != null;

/**
 * A pool whose every connection carries statement, lock and idle-in-transaction timeouts and a
 * client-side query timeout a little above the statement timeout. A URL alone gets the defaults.
 */
export function createPool(target: string | DatabaseSettings, max = 10): Pool {
  const settings = typeof target === 'string' ? { DATABASE_URL: target, ...DB_TIMEOUT_DEFAULTS } : target;
  const pool = new Pool({
    connectionString: settings.DATABASE_URL,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    statement_timeout: settings.DB_STATEMENT_TIMEOUT_MS,
    lock_timeout: settings.DB_LOCK_TIMEOUT_MS,
    idle_in_transaction_session_timeout: settings.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    query_timeout: settings.DB_STATEMENT_TIMEOUT_MS + QUERY_TIMEOUT_MARGIN_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Nor may a checked-out one (the server ending a transaction left idle, a dropped socket): the
  // holder's next query fails instead, and release() drops the broken client.
  pool.on('connect', (client) => client.on('error', () => undefined));
  // A client released while still waiting for a timed-out query would hand the next caller a
  // connection that may never answer: end it (pg destroys the socket) so the pool opens a new one.
  pool.on('release', (_error: Error | undefined, client: PoolClient) => {
    if (isMidQuery(client)) void client.end();
  });
  return pool;
}

/**
 * Key of the session-level advisory lock held while migrating. One fixed number: each service has
 * a database of its own, and advisory locks are per database.
 */
export const MIGRATION_LOCK_KEY = 4_212_150_013;

export interface MigrationReport {
  /** Migrations this run applied (0 when another process had already applied them). */
  applied: number;
  /** Migrations recorded in the database afterwards. */
  total: number;
  /** Time spent waiting for another process's migrations to finish. */
  waitedMs: number;
}

/** The pool's connection settings without its limits: a migration may outlast any request. */
function migrationConnection(target: Pool | string): ClientConfig {
  if (typeof target === 'string') return { connectionString: target, connectionTimeoutMillis: 5_000, keepAlive: true };
  const options = target.options;
  // pg keeps a given password non-enumerable, so it is copied by name.
  return {
    ...options,
    password: options.password,
    statement_timeout: undefined,
    lock_timeout: undefined,
    idle_in_transaction_session_timeout: undefined,
    query_timeout: undefined,
  };
}

async function appliedCount(client: Client): Promise<number> {
  const table = await client.query<{ exists: boolean }>(
    `SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS exists`,
  );
  if (!table.rows[0]?.exists) return 0;
  const { rows } = await client.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM drizzle.__drizzle_migrations',
  );
  return rows[0]?.count ?? 0;
}

/**
 * Whether every migration in the folder is recorded (drizzle's own test: none newer than the last
 * applied). Then nothing is handed to drizzle, whose CREATE SCHEMA IF NOT EXISTS a runtime role
 * without the right to create (see deploy/postgres/roles.sql) would be refused even with nothing to do.
 */
async function upToDate(client: Client, folder: string): Promise<boolean> {
  const table = await client.query<{ exists: boolean }>(
    `SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS exists`,
  );
  if (!table.rows[0]?.exists) return false;
  const { rows } = await client.query<{ last: string | null }>(
    'SELECT max(created_at)::text AS last FROM drizzle.__drizzle_migrations',
  );
  const last = Number(rows[0]?.last ?? -1);
  return readMigrationFiles({ migrationsFolder: folder }).every((migration) => migration.folderMillis <= last);
}

/**
 * Applies the committed drizzle-kit migrations in `folder` (idempotent) on a connection of its
 * own holding an advisory lock, so replicas and migrate jobs starting together apply them one at a
 * time: the first applies, the others wait, then find nothing left to do. No statement, lock or
 * idle timeout applies to that connection.
 */
export async function runMigrations(
  target: Pool | string,
  folder: string,
  options: { logger?: Logger } = {},
): Promise<MigrationReport> {
  const client = new Client(migrationConnection(target));
  // Errors reach the awaited queries; an 'error' event without a listener would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    // Server-side defaults (ALTER ROLE … SET) must not cut a long migration or the wait for the lock either.
    await client.query('SET statement_timeout = 0; SET lock_timeout = 0; SET idle_in_transaction_session_timeout = 0');
    const started = Date.now();
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      MIGRATION_LOCK_KEY,
    ]);
    if (!rows[0]?.locked) {
      options.logger?.info('another process is migrating this database; waiting for it to finish');
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    }
    const waitedMs = Date.now() - started;
    try {
      const before = await appliedCount(client);
      if (await upToDate(client, folder)) return { applied: 0, total: before, waitedMs };
      await migrate(drizzle(client), { migrationsFolder: folder });
      const total = await appliedCount(client);
      return { applied: total - before, total, waitedMs };
    } finally {
      // Ending the session below releases the lock too, should this fail.
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

/** An ILIKE pattern matching `text` anywhere, with LIKE's metacharacters (percent, underscore, backslash) taken literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
