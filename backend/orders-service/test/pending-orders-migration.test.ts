import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMigrations } from '@market/kit';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@market/kit/testing';
import { MIGRATIONS_FOLDER } from '../src/data/db';

/** The migrations as they were before pending_orders (0000–0004), in a folder of their own. */
function migrationsBeforePendingOrders(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'orders-migrations-'));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((entry) => entry.idx <= 4);
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

describe('migration 0005 (pending_orders)', () => {
  let older: string;
  let db: MigratedTestDatabase;
  beforeAll(async () => {
    older = migrationsBeforePendingOrders();
    db = await createMigratedTestDatabase('orders_pending_migration', older);
  });
  afterAll(async () => {
    await db.pool.end();
    await db.database.drop();
    rmSync(older, { recursive: true, force: true });
  });

  it('when a database with PENDING and settled orders is migrated, then exactly the PENDING ones are in pending_orders with their times', async () => {
    await db.pool.query(`
      INSERT INTO orders (id, buyer_id, idempotency_key, request_hash, placed_event_id, correlation_id, status, reason, created_at, last_published_at)
      VALUES ('00000000-0000-7000-8000-000000000001', gen_random_uuid(), 'a', 'h', gen_random_uuid(), 'c', 'PENDING', NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:05:00Z'),
             ('00000000-0000-7000-8000-000000000002', gen_random_uuid(), 'b', 'h', gen_random_uuid(), 'c', 'COMPLETED', NULL, now(), now()),
             ('00000000-0000-7000-8000-000000000003', gen_random_uuid(), 'c', 'h', gen_random_uuid(), 'c', 'FAILED', 'OUT_OF_STOCK', now(), now())`);

    await runMigrations(db.pool, MIGRATIONS_FOLDER);

    const { rows } = await db.pool.query<{ order_id: string; created_at: Date; last_published_at: Date }>(
      'SELECT order_id, created_at, last_published_at FROM pending_orders',
    );
    expect(rows).toEqual([
      {
        order_id: '00000000-0000-7000-8000-000000000001',
        created_at: new Date('2026-01-01T00:00:00Z'),
        last_published_at: new Date('2026-01-01T00:05:00Z'),
      },
    ]);
  });
});
