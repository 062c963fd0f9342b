import { and, asc, eq, sql } from 'drizzle-orm';
import type { Address, ShippingAddress } from '@market/contracts';
import type { Db } from './db';
import { addresses } from './schema';

const columns = {
  id: addresses.id,
  name: addresses.name,
  line1: addresses.line1,
  line2: addresses.line2,
  city: addresses.city,
  postalCode: addresses.postalCode,
  region: addresses.region,
  country: addresses.country,
  phone: addresses.phone,
  createdAt: addresses.createdAt,
  updatedAt: addresses.updatedAt,
};

export type AddressRecord = Omit<Address, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };

/** The user's addresses, oldest first (the order the buyer saved them in). */
export async function listAddresses(db: Db, userId: string): Promise<AddressRecord[]> {
  return db
    .select(columns)
    .from(addresses)
    .where(eq(addresses.userId, userId))
    .orderBy(asc(addresses.createdAt), asc(addresses.id));
}

/**
 * Saves a new address unless the user already has `max`; undefined then. The user's own advisory
 * lock makes two concurrent saves count one after the other.
 */
export async function insertAddress(
  db: Db,
  userId: string,
  id: string,
  fields: ShippingAddress,
  max: number,
): Promise<AddressRecord | undefined> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`addresses:${userId}`}, 0))`);
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(addresses)
      .where(eq(addresses.userId, userId));
    if (n >= max) return undefined;
    const [row] = await tx
      .insert(addresses)
      .values({ id, userId, ...fields })
      .returning(columns);
    return row;
  });
}

/** Replaces the fields of the user's own address; undefined when the user has no such address. */
export async function updateAddress(
  db: Db,
  userId: string,
  id: string,
  fields: ShippingAddress,
): Promise<AddressRecord | undefined> {
  const [row] = await db
    .update(addresses)
    .set({ ...fields, updatedAt: sql`now()` })
    .where(and(eq(addresses.id, id), eq(addresses.userId, userId)))
    .returning(columns);
  return row;
}

/** Deletes the user's own address; false when the user has no such address. Orders keep their copies. */
export async function deleteAddress(db: Db, userId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(addresses)
    .where(and(eq(addresses.id, id), eq(addresses.userId, userId)))
    .returning({ id: addresses.id });
  return deleted.length > 0;
}
