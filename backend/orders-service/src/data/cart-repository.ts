import { eq, sql } from 'drizzle-orm';
import type { Db } from './db';
import { carts } from './schema';

export interface StoredCart {
  /** As stored: the cart contract validated them on the way in. */
  lines: unknown[];
  /** 0 when the buyer never saved a cart. */
  version: number;
  updatedAt: Date | null;
}

/** The buyer's cart; one not saved for `ttlDays` reads as empty (its version goes on, so the next save fits). */
export async function findCart(db: Db, userId: string, ttlDays: number): Promise<StoredCart> {
  const [row] = await db.select().from(carts).where(eq(carts.userId, userId));
  if (!row) return { lines: [], version: 0, updatedAt: null };
  const expired = row.updatedAt.getTime() < Date.now() - ttlDays * 86_400_000;
  return expired ? { lines: [], version: row.version, updatedAt: null } : row;
}

/**
 * Replaces the buyer's lines if the cart is still at `expectedVersion` (or was never saved) and
 * returns the new version; undefined when another save came first.
 */
export async function replaceCart(
  db: Db,
  userId: string,
  lines: unknown[],
  expectedVersion: number,
): Promise<{ version: number; updatedAt: Date } | undefined> {
  const [row] = await db
    .insert(carts)
    .values({ userId, lines, version: expectedVersion + 1, updatedAt: sql`now()` })
    .onConflictDoUpdate({
      target: carts.userId,
      set: { lines, version: sql`${carts.version} + 1`, updatedAt: sql`now()` },
      setWhere: eq(carts.version, expectedVersion),
    })
    .returning({ version: carts.version, updatedAt: carts.updatedAt });
  return row;
}
