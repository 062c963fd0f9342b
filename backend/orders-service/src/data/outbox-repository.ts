import { sql } from 'drizzle-orm';
import type { StreamFields } from '@market/contracts';
import type { Tx } from './db';
import { outbox, processedMessages } from './schema';

export async function enqueue(tx: Tx, stream: string, fields: StreamFields): Promise<void> {
  await tx.insert(outbox).values({ stream, fields });
}

/** True while an outbox row carrying this event still waits for the relay (no need to add another). */
export async function isAwaitingRelay(tx: Tx, eventId: string): Promise<boolean> {
  const { rows } = await tx.execute(sql`
    SELECT 1 FROM outbox WHERE published_at IS NULL AND fields->>'event_id' = ${eventId} LIMIT 1`);
  return rows.length > 0;
}

/** Inbox dedupe: true the first time an event id is recorded, false for a duplicate. */
export async function recordProcessed(tx: Tx, eventId: string, stream: string): Promise<boolean> {
  const inserted = await tx.insert(processedMessages).values({ eventId, stream }).onConflictDoNothing().returning({ eventId: processedMessages.eventId });
  return inserted.length > 0;
}
