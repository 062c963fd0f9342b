import { inArray } from 'drizzle-orm';
import { decodeBatch, type BatchFailures, type StreamEntry } from '@market/kit';
import { decodeUserEventsMessage } from '@market/contracts';
import type { Db } from '../data/db';
import { carts } from '../data/schema';

/**
 * user.deleted: what orders-service keeps about the person goes — the saved cart. Orders stay (the
 * sellers' records, the stock the saga took) under the user's id, which no longer names anyone once
 * auth-service has erased the account. Deleting is idempotent, so the batch needs no inbox.
 */
export async function applyUserEvents(db: Db, entries: StreamEntry[]): Promise<BatchFailures> {
  const { valid, failures } = decodeBatch(entries, decodeUserEventsMessage);
  const deleted = [...new Set(valid.map(({ message }) => message.user_id))];
  if (deleted.length > 0) await db.delete(carts).where(inArray(carts.userId, deleted));
  return failures;
}
