import { Pool } from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';

export function createPool(connectionString: string, max = 10): Pool {
  const pool = new Pool({ connectionString, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

/** Applies the committed drizzle-kit migrations in `folder` (idempotent). */
export async function runMigrations(pool: Pool, folder: string): Promise<void> {
  await migrate(drizzle(pool), { migrationsFolder: folder });
}

/** An ILIKE pattern matching `text` anywhere, with LIKE's metacharacters (percent, underscore, backslash) taken literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
