import path from 'node:path';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Pool } from 'pg';
import * as schema from './schema';

export type Db = NodePgDatabase<typeof schema>;
/** A transaction or the database itself: repositories accept either. */
export type Tx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/** Resolved from the compiled file, so it works from src/, dist/ and inside a container. */
export const MIGRATIONS_FOLDER = path.resolve(__dirname, '../../drizzle');

export function createDb(pool: Pool): Db {
  return drizzle(pool, { schema });
}
