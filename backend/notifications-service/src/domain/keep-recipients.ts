import { decodeUserEventsMessage } from '@market/contracts';
import { decodeBatch, type BatchFailures, type StreamEntry } from '@market/kit';
import type { Db } from '../data/db';
import { deleteRecipients, upsertRecipients, type Recipient } from '../data/recipient-repository';

/**
 * Keeps this service's copy of the accounts from auth-service's user events: user.created and
 * user.changed carry the whole copy (the newest wins, so a replay or a late copy is harmless),
 * user.deleted removes it. Idempotent, so the batch needs no inbox.
 */
export async function keepRecipients(db: Db, entries: StreamEntry[]): Promise<BatchFailures> {
  const { valid, failures } = decodeBatch(entries, decodeUserEventsMessage);
  const latest = new Map<string, Recipient>();
  const deleted = new Set<string>();
  for (const { message } of valid) {
    if (message.type === 'user.deleted') {
      deleted.add(message.user_id);
      latest.delete(message.user_id);
      continue;
    }
    if (deleted.has(message.user_id)) continue;
    const copy: Recipient = {
      userId: message.user_id,
      email: message.email,
      username: message.username,
      saleEmails: message.sale_emails === 'true',
      orderEmails: message.order_emails === 'true',
      asOf: new Date(message.occurred_at),
    };
    const known = latest.get(copy.userId);
    if (!known || known.asOf <= copy.asOf) latest.set(copy.userId, copy);
  }
  if (latest.size > 0 || deleted.size > 0) {
    await db.transaction(async (tx) => {
      await upsertRecipients([...latest.values()], tx);
      await deleteRecipients([...deleted], tx);
    });
  }
  return failures;
}
