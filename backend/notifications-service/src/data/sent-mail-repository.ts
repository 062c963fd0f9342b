import { inArray, sql } from 'drizzle-orm';
import type { Tx } from './db';
import { processedMessages, sentMails } from './schema';

/** The event ids among these this service has handled already (inbox). */
export async function handledEvents(eventIds: string[], tx: Tx): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await tx
    .select({ eventId: processedMessages.eventId })
    .from(processedMessages)
    .where(inArray(processedMessages.eventId, eventIds));
  return new Set(rows.map((r) => r.eventId));
}

export async function isSent(messageId: string, tx: Tx): Promise<boolean> {
  const rows = await tx
    .select({ messageId: sentMails.messageId })
    .from(sentMails)
    .where(sql`${sentMails.messageId} = ${messageId}`);
  return rows.length > 0;
}

export async function recordSent(messageId: string, tx: Tx): Promise<void> {
  await tx.insert(sentMails).values({ messageId }).onConflictDoNothing();
}
