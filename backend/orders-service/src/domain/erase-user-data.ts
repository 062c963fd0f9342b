import { inArray, sql } from 'drizzle-orm';
import { decodeUserEventsMessage } from '@market/contracts';
import { decodeBatch, type BatchFailures, type StreamEntry } from '@market/kit';
import type { Db } from '../data/db';
import { addresses, carts } from '../data/schema';

/**
 * user.deleted: what orders-service keeps about the person goes — the saved cart and addresses, and
 * the name and address copied onto their orders once nothing is left to deliver (a part still on its
 * way keeps the address its seller ships to). The orders themselves stay (the sellers' records, the
 * stock the saga took) under the user's id, which names nobody once auth-service erased the account.
 * Idempotent, so the batch needs no inbox.
 */
export async function applyUserEvents(db: Db, entries: StreamEntry[]): Promise<BatchFailures> {
  const { valid, failures } = decodeBatch(entries, decodeUserEventsMessage);
  // user.created / user.changed are another reader's business (the mailer's copy of recipients).
  const deleted = [
    ...new Set(valid.filter(({ message }) => message.type === 'user.deleted').map(({ message }) => message.user_id)),
  ];
  if (deleted.length === 0) return failures;
  await db.transaction(async (tx) => {
    await tx.delete(carts).where(inArray(carts.userId, deleted));
    await tx.delete(addresses).where(inArray(addresses.userId, deleted));
    await tx.execute(sql`
      UPDATE orders o SET shipping_address = NULL, buyer_name = NULL
      WHERE o.buyer_id = ANY(${sql.param(deleted)}::uuid[])
        AND (o.shipping_address IS NOT NULL OR o.buyer_name IS NOT NULL)
        AND (o.status <> 'COMPLETED' OR NOT EXISTS (
          SELECT 1 FROM order_items i
          WHERE i.order_id = o.id AND NOT EXISTS (
            SELECT 1 FROM order_parts p WHERE p.order_id = o.id AND p.seller_id = i.seller_id AND p.state = 'DELIVERED')))`);
  });
  return failures;
}
