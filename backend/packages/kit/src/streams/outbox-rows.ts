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

/** Adds a message for the relay to publish; committed (or not) with the caller's transaction. Returns the row. */
export async function enqueueOutboxRow(
  tx: OutboxTx,
  stream: string,
  fields: StreamFields,
): Promise<{ id: number; stream: string; fields: StreamFields }> {
  const [row] = await tx.insert(outbox).values({ stream, fields }).returning({ id: outbox.id });
  return { id: row!.id, stream, fields };
}

/** Adds several messages in one statement (a batch's events); returns the rows in the order given. */
export async function enqueueOutboxRows(
  tx: OutboxTx,
  rows: { stream: string; fields: StreamFields }[],
): Promise<{ id: number; stream: string; fields: StreamFields }[]> {
  if (rows.length === 0) return [];
  const inserted = await tx.insert(outbox).values(rows).returning({ id: outbox.id });
  // Ids come from one sequence in the order of the VALUES list.
  const ids = inserted.map((r) => r.id).sort((a, b) => a - b);
  return rows.map((row, i) => ({ id: ids[i]!, ...row }));
}

/** True while an outbox row carrying this event still waits for the relay (no need to add another). */
export async function isAwaitingRelay(tx: OutboxTx, eventId: string): Promise<boolean> {
  const { rows } = await tx.execute(sql`
    SELECT 1 FROM outbox WHERE published_at IS NULL AND fields->>'event_id' = ${eventId} LIMIT 1`);
  return rows.length > 0;
}

/** Inbox dedupe: true the first time an event id is recorded, false for a duplicate. */
export async function recordProcessed(tx: OutboxTx, eventId: string, stream: string): Promise<boolean> {
  const inserted = await tx
    .insert(processedMessages)
    .values({ eventId, stream })
    .onConflictDoNothing()
    .returning({ eventId: processedMessages.eventId });
  return inserted.length > 0;
}

/** The event ids among `eventIds` whose outbox row still waits for the relay. */
export async function awaitingRelayOf(tx: OutboxTx, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await tx.execute<{ event_id: string }>(sql`
    SELECT fields->>'event_id' AS event_id FROM outbox
    WHERE published_at IS NULL AND fields->>'event_id' = ANY(${sql.param(eventIds)}::text[])`);
  return new Set(rows.map((r) => r.event_id));
}

/**
 * Inbox dedupe for a batch in one statement: the ids recorded now (first deliveries). An id
 * named twice in the batch is recorded once; the caller treats its second entry as a duplicate.
 */
export async function recordProcessedBatch(tx: OutboxTx, eventIds: string[], stream: string): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await tx.execute<{ event_id: string }>(sql`
    INSERT INTO processed_messages (event_id, stream)
    SELECT DISTINCT id, ${stream} FROM unnest(${sql.param(eventIds)}::uuid[]) AS id
    ON CONFLICT DO NOTHING RETURNING event_id`);
  return new Set(rows.map((r) => r.event_id));
}

/** Removes inbox rows of events that were refused after all, so a corrected replay applies. */
export async function forgetProcessed(tx: OutboxTx, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await tx.execute(sql`DELETE FROM processed_messages WHERE event_id = ANY(${sql.param(eventIds)}::uuid[])`);
}
