import { inArray, sql } from 'drizzle-orm';
import { decodeUserEventsMessage } from '@market/contracts';
import { decodeBatch, type BatchFailures, type StreamEntry } from '@market/kit';
import type { Db } from '../data/db';
import { products } from '../data/schema';

/** What the catalog shows instead of a deleted account's username. */
export const DELETED_SELLER_NAME = 'former seller';

/**
 * user.deleted: a deleted seller's products leave the catalog (archived, so orders and sales that
 * name them still read) and stop carrying the seller's username. Idempotent, so no inbox.
 */
export async function applyUserEvents(db: Db, entries: StreamEntry[]): Promise<BatchFailures> {
  const { valid, failures } = decodeBatch(entries, decodeUserEventsMessage);
  // user.created / user.changed are another reader's business (the mailer's copy of recipients).
  const deleted = [
    ...new Set(valid.filter(({ message }) => message.type === 'user.deleted').map(({ message }) => message.user_id)),
  ];
  if (deleted.length > 0) {
    await db
      .update(products)
      .set({
        status: 'archived',
        sellerName: DELETED_SELLER_NAME,
        version: sql`${products.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(inArray(products.sellerId, deleted));
  }
  return failures;
}
