import { Pool } from 'pg';
import { INBOX_RETENTION_MS, startInboxPruner } from '@market/kit';
import { captureLogs, createTestDatabase, eventually, type TestDatabase } from '@market/kit/testing';

const INBOX_DDL = `CREATE TABLE processed_messages (
  event_id uuid PRIMARY KEY,
  stream text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processed_messages_processed_at_idx ON processed_messages (processed_at)`;

const HOUR_MS = 3_600_000;

describe('inbox pruner', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase('inbox_pruner');
    pool = new Pool({ connectionString: database.url, max: 10 });
    await pool.query(INBOX_DDL);
  });
  beforeEach(() => pool.query('TRUNCATE processed_messages'));
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  /** Inserts `n` rows processed `ageHours` ago; returns their ids. */
  const addRows = async (n: number, ageHours: number): Promise<string[]> => {
    const { rows } = await pool.query<{ event_id: string }>(
      `INSERT INTO processed_messages (event_id, stream, processed_at)
       SELECT gen_random_uuid(), 'orders', now() - make_interval(hours => $2) FROM generate_series(1, $1)
       RETURNING event_id`,
      [n, ageHours],
    );
    return rows.map((row) => row.event_id);
  };
  const remaining = async () =>
    (await pool.query<{ event_id: string }>('SELECT event_id FROM processed_messages')).rows
      .map((row) => row.event_id)
      .sort();

  it('when rows are older than the retention, then they are deleted and recent rows are kept', async () => {
    await addRows(25, 24 * 8);
    const recent = await addRows(10, 24 * 6);
    const { logger } = captureLogs();
    const pruner = startInboxPruner({ pool, logger, retainMs: INBOX_RETENTION_MS, batchSize: 7, intervalMs: 60_000 });

    const deleted = await pruner.pruneOnce();
    await pruner.stop();

    expect(deleted).toBe(25);
    expect(await remaining()).toEqual(recent.sort());
  });

  it('when two pruners run at once, then together they delete every old row once and neither fails', async () => {
    await addRows(2000, 3);
    const recent = await addRows(5, 0);
    const { logger } = captureLogs();
    const pruners = [1, 2].map(() =>
      startInboxPruner({ pool, logger, retainMs: 2 * HOUR_MS, batchSize: 50, intervalMs: 60_000 }),
    );

    const counts = await Promise.all(pruners.map((pruner) => pruner.pruneOnce()));
    await Promise.all(pruners.map((pruner) => pruner.stop()));

    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(2000);
    expect(await remaining()).toEqual(recent.sort());
  });

  it('when started, then it prunes on its own every interval and logs what it deleted', async () => {
    await addRows(3, 2);
    const { logger, lines } = captureLogs();
    const pruner = startInboxPruner({ pool, logger, retainMs: HOUR_MS, intervalMs: 20 });

    const drained = { timeoutMs: 5000, intervalMs: 20, what: 'every old inbox row pruned' };
    await eventually(async () => (await remaining()).length === 0 || undefined, drained);
    await addRows(2, 2);
    await eventually(async () => (await remaining()).length === 0 || undefined, drained);
    await pruner.stop();

    expect(await remaining()).toEqual([]);
    expect(lines.filter((line) => line.includes('pruned processed event ids')).length).toBeGreaterThanOrEqual(2);
  });

  it('when the table or a column name is not a plain identifier, then it refuses to start', () => {
    const { logger } = captureLogs();
    expect(() => startInboxPruner({ pool, logger, table: 'inbox; DROP TABLE x' })).toThrow('bad table or column name');
    expect(() => startInboxPruner({ pool, logger, keyColumn: 'id; --' })).toThrow('bad table or column name');
    expect(() => startInboxPruner({ pool, logger, timeColumn: 'now()' })).toThrow('bad table or column name');
  });
});
