import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Drizzle tables every saga participant shares: the transactional outbox the relay
 * publishes from, and the inbox of processed event ids that makes consumers idempotent.
 * Each service exports them from its own schema so its migrations create them.
 */
export const outboxTable = (name = 'outbox') =>
  pgTable(
    name,
    {
      id: bigserial('id', { mode: 'number' }).primaryKey(),
      stream: text('stream').notNull(),
      fields: jsonb('fields').$type<Record<string, string>>().notNull(),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
      publishedAt: timestamp('published_at', { withTimezone: true }),
    },
    (t) => [
      index(`${name}_unpublished_idx`)
        .on(t.id)
        .where(sql`published_at IS NULL`),
      index(`${name}_published_at_idx`)
        .on(t.publishedAt)
        .where(sql`published_at IS NOT NULL`),
    ],
  );

/** Rows are pruned by age (startInboxPruner), hence the index on processed_at. */
export const processedMessagesTable = (name = 'processed_messages') =>
  pgTable(
    name,
    {
      eventId: uuid('event_id').primaryKey(),
      stream: text('stream').notNull(),
      processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [index(`${name}_processed_at_idx`).on(t.processedAt)],
  );
