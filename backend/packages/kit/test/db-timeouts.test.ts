import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, type Pool } from 'pg';
import {
  baseConfigShape,
  createPool,
  DB_TIMEOUT_DEFAULTS,
  parseConfig,
  QUERY_TIMEOUT_MARGIN_MS,
  type DatabaseSettings,
} from '@market/kit';
import { createTestDatabase, sleep, type TestDatabase } from '@market/kit/testing';

/** Tight limits, so each test sees them act within a second. */
const settings = (url: string, overrides: Partial<DatabaseSettings> = {}): DatabaseSettings => ({
  DATABASE_URL: url,
  DB_STATEMENT_TIMEOUT_MS: 400,
  DB_LOCK_TIMEOUT_MS: 300,
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 500,
  ...overrides,
});

/** Rejects with the error `work` fails with, and how long that took; fails the test if `work` succeeds. */
async function failure(work: () => Promise<unknown>): Promise<{ error: Error & { code?: string }; ms: number }> {
  const started = Date.now();
  try {
    await work();
  } catch (error) {
    return { error: error as Error & { code?: string }, ms: Date.now() - started };
  }
  throw new Error('expected the query to fail');
}

/**
 * A TCP proxy to PostgreSQL that can go silent: `freeze()` stops forwarding on every connection
 * open now, like a half-open socket or a frozen server; connections opened later work.
 */
async function startSilenceableProxy(target: URL): Promise<{ url: string; freeze(): void; close(): Promise<void> }> {
  let pairs: Array<[Socket, Socket]> = [];
  let frozen: Array<[Socket, Socket]> = [];
  const server: Server = createServer((downstream) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    downstream.pipe(upstream).pipe(downstream);
    const ignore = () => undefined;
    downstream.on('error', ignore);
    upstream.on('error', ignore);
    pairs.push([downstream, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target.toString());
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    freeze() {
      for (const [downstream, upstream] of pairs) {
        downstream.unpipe(upstream);
        upstream.unpipe(downstream);
        downstream.pause();
        upstream.pause();
      }
      frozen = frozen.concat(pairs);
      pairs = [];
    },
    async close() {
      for (const [downstream, upstream] of frozen.concat(pairs)) {
        downstream.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('database timeouts', () => {
  let database: TestDatabase;
  let pool: Pool;
  let holder: Client;

  beforeAll(async () => {
    database = await createTestDatabase('kit_timeouts');
    pool = createPool(settings(database.url), 3);
    await pool.query('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)');
  });
  beforeEach(async () => {
    await pool.query('TRUNCATE counters');
    await pool.query('INSERT INTO counters VALUES (1, 0)');
    holder = new Client({ connectionString: database.url });
    await holder.connect();
  });
  afterEach(() => holder.end());
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('when no DB_* key is set, then every service gets 15 s statements, 5 s locks and 30 s idle transactions', () => {
    const config = parseConfig(baseConfigShape, { DATABASE_URL: 'postgres://u@db/d', REDIS_URL: 'redis://r' });

    expect([
      config.DB_STATEMENT_TIMEOUT_MS,
      config.DB_LOCK_TIMEOUT_MS,
      config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    ]).toEqual([15_000, 5_000, 30_000]);
    expect(DB_TIMEOUT_DEFAULTS).toEqual({
      DB_STATEMENT_TIMEOUT_MS: 15_000,
      DB_LOCK_TIMEOUT_MS: 5_000,
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 30_000,
    });
    expect(() =>
      parseConfig(baseConfigShape, {
        DATABASE_URL: 'postgres://u@db/d',
        REDIS_URL: 'redis://r',
        DB_LOCK_TIMEOUT_MS: '-1',
      }),
    ).toThrow(/DB_LOCK_TIMEOUT_MS/);
  });

  it('when a pooled connection opens, then the server runs it with the configured limits', async () => {
    const { rows } = await pool.query<{ statement: string; lock: string; idle: string }>(
      `SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock,
              current_setting('idle_in_transaction_session_timeout') AS idle`,
    );

    expect(rows[0]).toEqual({ statement: '400ms', lock: '300ms', idle: '500ms' });
  });

  it('when a row is locked by another session, then an update through the pool fails with lock_timeout instead of hanging, and works once the lock is gone', async () => {
    await holder.query('BEGIN');
    await holder.query('SELECT * FROM counters WHERE id = 1 FOR UPDATE');

    const { error, ms } = await failure(() => pool.query('UPDATE counters SET n = n + 1 WHERE id = 1'));
    await holder.query('ROLLBACK');

    expect(error.code).toBe('55P03'); // lock_not_available
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(2_000);
    await pool.query('UPDATE counters SET n = n + 1 WHERE id = 1');
    expect((await pool.query<{ n: number }>('SELECT n FROM counters WHERE id = 1')).rows[0]?.n).toBe(1);
  });

  it('when a transaction is left idle, then the server ends it, its work is rolled back, its locks are freed and the pool goes on', async () => {
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query('UPDATE counters SET n = 42 WHERE id = 1');

    await sleep(1_000);
    const { error } = await failure(() => client.query('SELECT 1'));
    client.release();

    expect(error.message).toMatch(/terminat|not queryable|idle-in-transaction/i);
    // The row lock went with the session: another session updates at once.
    await holder.query('SET lock_timeout = 200');
    await holder.query('UPDATE counters SET n = n + 1 WHERE id = 1');
    expect((await pool.query<{ n: number }>('SELECT n FROM counters WHERE id = 1')).rows[0]?.n).toBe(1);
  });

  it('when a statement runs past statement_timeout, then the server cancels it', async () => {
    const { error, ms } = await failure(() => pool.query('SELECT pg_sleep(5)'));

    expect(error.code).toBe('57014'); // query_canceled
    expect(ms).toBeLessThan(2_000);
    await expect(pool.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });

  it('when the connection goes silent mid-transaction, then the query fails after query_timeout and the pool never hands that connection out again', async () => {
    const proxy = await startSilenceableProxy(new URL(database.url));
    const silentPool = createPool(settings(proxy.url), 1);
    try {
      const client = await silentPool.connect();
      await client.query('BEGIN');
      proxy.freeze();

      const { error, ms } = await failure(() => client.query('SELECT 1'));
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();

      expect(error.message).toMatch(/Query read timeout/);
      expect(ms).toBeGreaterThanOrEqual(400 + QUERY_TIMEOUT_MARGIN_MS - 100);
      expect(ms).toBeLessThan(400 + QUERY_TIMEOUT_MARGIN_MS + 2_000);
      // With one connection at most, a reused silent client would time out here too.
      await expect(silentPool.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
    } finally {
      await silentPool.end();
      await proxy.close();
    }
  });
});
