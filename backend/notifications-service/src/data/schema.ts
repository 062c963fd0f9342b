import { boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { processedMessagesTable } from '@market/kit';

/**
 * This service's own copy of each account it may write to, kept from auth-service's user events
 * (no service reads another's database): the latest copy by the event's time wins.
 */
export const recipients = pgTable('recipients', {
  userId: uuid('user_id').primaryKey(),
  email: text('email').notNull(),
  username: text('username').notNull(),
  saleEmails: boolean('sale_emails').notNull(),
  orderEmails: boolean('order_emails').notNull(),
  /** occurred_at of the event the copy came from: an older event arriving late never overwrites it. */
  asOf: timestamp('as_of', { withTimezone: true }).notNull(),
});

/**
 * One row per mail sent, by its Message-ID (derived from the event id and the recipient): an event
 * handled again after a failure part-way (one seller's mail sent, the next one refused) sends only
 * the mails still missing.
 */
export const sentMails = pgTable('sent_mails', {
  messageId: text('message_id').primaryKey(),
  sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Inbox: order and user events already handled (kit's shared table; pruned after a retention). */
export const processedMessages = processedMessagesTable();
