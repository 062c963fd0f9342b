import { sql } from 'drizzle-orm';
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type { StreamFields } from '@market/contracts';
import { outboxTable, processedMessagesTable } from './tables';

/** A service's database or an open transaction on it, whose schema holds the shared outbox and inbox tables. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any service's schema
export type OutboxTx = PgDatabase<NodePgQueryResultHKT, any, any>;

const outbox = outboxTable();
const processedMessages = processedMessagesTable();

/** Adds a message for the relay to publish; committed (or not) with the caller's transaction. */
export async function enqueueOutboxRow(tx: OutboxTx, stream: string, fields: StreamFields): Promise<void> {
  await tx.insert(outbox).values({ stream, fields });
}

/** True while an outbox row carrying this event still waits for the relay (no need to add another). */
export async function isAwaitingRelay(tx: OutboxTx, eventId: string): Promise<boolean> {
  const { rows } = await tx.execute(sql`
    SELECT 1 FROM outbox WHERE published_at IS NULL AND fields->>'event_id' = ${eventId} LIMIT 1`);
  return rows.length > 0;
}

/** Inbox dedupe: true the first time an event id is recorded, false for a duplicate. */
export async function recordProcessed(tx: OutboxTx, eventId: string, stream: string): Promise<boolean> {
  const inserted = await tx.insert(processedMessages).values({ eventId, stream }).onConflictDoNothing().returning({ eventId: processedMessages.eventId });
  return inserted.length > 0;
}
