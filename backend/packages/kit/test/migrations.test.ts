import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createPool, MIGRATION_LOCK_KEY, runMigrations, type DatabaseSettings } from '@market/kit';
import { captureLogs, createTestDatabase, eventually, sleep, type TestDatabase } from '@market/kit/testing';

const folders: string[] = [];

/** A drizzle-kit migrations folder (journal and SQL files) holding `migrations`, in order. */
function migrationsFolder(...migrations: string[][]): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'kit-migrations-'));
  folders.push(folder);
  mkdirSync(path.join(folder, 'meta'));
  const entries = migrations.map((statements, idx) => {
    const tag = `${String(idx).padStart(4, '0')}_step`;
    writeFileSync(path.join(folder, `${tag}.sql`), statements.join('\n--> statement-breakpoint\n'));
    return { idx, version: '7', when: 1_700_000_000_000 + idx, tag, breakpoints: true };
  });
  writeFileSync(
    path.join(folder, 'meta', '_journal.json'),
    JSON.stringify({ version: '7', dialect: 'postgresql', entries }),
  );
  return folder;
}

/** Not idempotent on purpose: a second application fails (the table exists) or leaves a second row. */
const FIRST = [
  'CREATE TABLE widgets (id int PRIMARY KEY)',
  'CREATE TABLE migration_runs (step int NOT NULL)',
  'INSERT INTO migration_runs VALUES (1)',
  'SELECT pg_sleep(0.3)',
];
const SECOND = ['INSERT INTO migration_runs VALUES (2)'];

/** Limits far below the time the migrations and the wait for the lock take. */
const tight = (url: string): DatabaseSettings => ({
  DATABASE_URL: url,
  DB_STATEMENT_TIMEOUT_MS: 100,
  DB_LOCK_TIMEOUT_MS: 50,
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 100,
});

describe('migrations', () => {
  let database: TestDatabase;
  let admin: Client;

  beforeEach(async () => {
    database = await createTestDatabase('kit_migrations');
    admin = new Client({ connectionString: database.url });
    await admin.connect();
  });
  afterEach(async () => {
    await admin.end();
    await database.drop();
  });
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  const rows = async (query: string) => (await admin.query(query)).rows as Array<Record<string, unknown>>;
  const advisoryLocksHeld = async () =>
    (
      await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      )
    ).rows[0]?.n;

  it('when several replicas migrate a fresh database at once, then all succeed and each migration is applied exactly once', async () => {
    const folder = migrationsFolder(FIRST, SECOND);
    const pools = Array.from({ length: 5 }, () => createPool(tight(database.url), 2));

    const reports = await Promise.all(pools.map((pool) => runMigrations(pool, folder))).finally(() =>
      Promise.all(pools.map((pool) => pool.end())),
    );

    expect(reports.map((report) => report.applied).sort()).toEqual([0, 0, 0, 0, 2]);
    expect(reports.map((report) => report.total)).toEqual([2, 2, 2, 2, 2]);
    expect(await rows('SELECT step FROM migration_runs ORDER BY step')).toEqual([{ step: 1 }, { step: 2 }]);
    expect(await rows('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')).toEqual([{ n: 2 }]);
    expect(await advisoryLocksHeld()).toBe(0);
  });

  it('when a migration runs longer than the pool statement timeout, then it still completes', async () => {
    const pool = createPool(tight(database.url), 1);

    const report = await runMigrations(
      pool,
      migrationsFolder(['SELECT pg_sleep(0.5)', 'CREATE TABLE slow_done (id int)']),
    ).finally(() => pool.end());

    expect(report).toMatchObject({ applied: 1, total: 1 });
    expect(await rows(`SELECT to_regclass('slow_done')::text AS t`)).toEqual([{ t: 'slow_done' }]);
  });

  it('when another process holds the migration lock, then runMigrations says it waits and applies once the lock is free', async () => {
    const other = new Client({ connectionString: database.url });
    await other.connect();
    await other.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const { logger, lines } = captureLogs();
    let settled = false;

    const running = runMigrations(
      database.url,
      migrationsFolder(['CREATE TABLE migration_runs (step int NOT NULL)', 'INSERT INTO migration_runs VALUES (7)']),
      { logger },
    ).finally(() => {
      settled = true;
    });
    await eventually(async () => (lines.some((line) => line.includes('waiting for it to finish')) ? true : undefined), {
      what: 'the waiting line',
    });
    await sleep(300);
    const settledWhileHeld = settled;
    await other.end();
    const report = await running;

    expect(settledWhileHeld).toBe(false);
    expect(report.applied).toBe(1);
    expect(report.waitedMs).toBeGreaterThanOrEqual(300);
    expect(await rows('SELECT step FROM migration_runs')).toEqual([{ step: 7 }]);
  });

  it('when a migration fails, then runMigrations rejects, nothing of it stays, the lock is released and a fixed folder applies', async () => {
    await expect(
      runMigrations(database.url, migrationsFolder(['CREATE TABLE half_done (id int)', 'SELECT no_such_function()'])),
    ).rejects.toThrow();

    expect(await rows(`SELECT to_regclass('half_done') AS t`)).toEqual([{ t: null }]);
    expect(await advisoryLocksHeld()).toBe(0);
    const report = await runMigrations(database.url, migrationsFolder(FIRST));
    expect(report).toMatchObject({ applied: 1, total: 1 });
  });
});
