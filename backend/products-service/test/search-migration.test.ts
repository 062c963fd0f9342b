import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPool, runMigrations } from '@market/kit';
import { createTestDatabase, type TestDatabase } from '@market/kit/testing';
import type { Pool } from 'pg';
import { createDb, MIGRATIONS_FOLDER } from '../src/data/db';
import { createCatalog } from '../src/domain/catalog';

/** The committed migrations up to (not including) `tag`, as a folder drizzle's migrator reads. */
function migrationsBefore(tag: string): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'products-migrations-'));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
  const stop = journal.entries.findIndex((entry) => entry.tag === tag);
  if (stop < 0) throw new Error(`no migration ${tag}`);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, stop) }));
  return folder;
}

describe('migration 0004_full_text_search on a database that already holds products', () => {
  let database: TestDatabase;
  let pool: Pool;
  let older: string;
  beforeAll(async () => {
    database = await createTestDatabase('products_upgrade');
    pool = createPool(database.url, 2);
    older = migrationsBefore('0004_full_text_search');
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
    rmSync(older, { recursive: true, force: true });
  });

  it('when the catalog had products before the migration, then they are found by word, by prefix and misspelt', async () => {
    await runMigrations(pool, older);
    await pool.query(
      `INSERT INTO products (seller_id, seller_name, name, description, category, price, stock)
       VALUES (gen_random_uuid(), 'old-seller', 'Vintage gramophone', 'Plays shellac records.', 'electronics', 120.00, 2),
              (gen_random_uuid(), 'old-seller', 'Record sleeve', 'Protects a gramophone record.', 'other', 2.00, 50)`,
    );

    await runMigrations(pool, MIGRATIONS_FOLDER);
    const catalog = createCatalog(createDb(pool), '/images');
    const names = async (q: string) => (await catalog.search({ q, page: 1, pageSize: 20 })).data.map((p) => p.name);

    expect(await names('gramophone')).toEqual(['Vintage gramophone', 'Record sleeve']);
    expect(await names('gramoph')).toEqual(['Vintage gramophone', 'Record sleeve']);
    expect(await names('shelac')).toEqual(['Vintage gramophone']);
  });
});

describe('migration 0006_search_postings on a database that already holds products', () => {
  let database: TestDatabase;
  let pool: Pool;
  let older: string;
  beforeAll(async () => {
    database = await createTestDatabase('products_postings_upgrade');
    pool = createPool(database.url, 2);
    older = migrationsBefore('0006_search_postings');
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
    rmSync(older, { recursive: true, force: true });
  });

  it('when the catalog had products before the migration, then its active ones are found by one word, best first, and archived ones are not', async () => {
    await runMigrations(pool, older);
    await pool.query(
      `INSERT INTO products (seller_id, seller_name, name, description, category, price, stock, status)
       VALUES (gen_random_uuid(), 'old-seller', 'Record sleeve', 'Protects a gramophone record.', 'other', 2.00, 50, 'active'),
              (gen_random_uuid(), 'old-seller', 'Vintage gramophone', 'Plays shellac records.', 'electronics', 120.00, 2, 'active'),
              (gen_random_uuid(), 'old-seller', 'Broken gramophone', 'For parts.', 'electronics', 10.00, 1, 'archived')`,
    );

    await runMigrations(pool, MIGRATIONS_FOLDER);
    const catalog = createCatalog(createDb(pool), '/images');
    const found = await catalog.search({ q: 'gramophone', page: 1, pageSize: 20 });

    expect(found.data.map((p) => p.name)).toEqual(['Vintage gramophone', 'Record sleeve']);
    expect(found.pagination).toMatchObject({ total: 2, totalCapped: false });
    expect(found.facets).toEqual({
      categories: [
        { category: 'electronics', count: 1 },
        { category: 'other', count: 1 },
      ],
      capped: false,
    });
    expect(await names(catalog, 'gramoph')).toEqual(['Vintage gramophone', 'Record sleeve']);
  });
});

async function names(catalog: ReturnType<typeof createCatalog>, q: string): Promise<string[]> {
  return (await catalog.search({ q, page: 1, pageSize: 20 })).data.map((p) => p.name);
}
