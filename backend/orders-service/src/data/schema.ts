import { sql } from 'drizzle-orm';
import { check, index, integer, numeric, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { outboxTable, processedMessagesTable } from '@market/kit';

/** How many times an order.cancelled is published again at most (each after a longer wait). */
export const CANCEL_REPUBLISH_LIMIT = 3;

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    buyerId: uuid('buyer_id').notNull(),
    status: text('status', { enum: ['PENDING', 'COMPLETED', 'FAILED', 'CANCELLED'] }).notNull().default('PENDING'),
    reason: text('reason', { enum: ['OUT_OF_STOCK', 'PRICE_CHANGED', 'PRODUCT_UNAVAILABLE', 'OWN_PRODUCT'] }),
    /** Known once the catalog priced the order; exact decimal. */
    total: numeric('total', { precision: 14, scale: 2 }),
    idempotencyKey: text('idempotency_key').notNull(),
    /** Hash of the placing request's lines: the same key with another body is refused. */
    requestHash: text('request_hash').notNull(),
    /** event_id of order.placed, reused by every republish so consumers dedupe it. */
    placedEventId: uuid('placed_event_id').notNull(),
    correlationId: text('correlation_id').notNull(),
    /** When the order's latest event (order.placed, then order.cancelled) was last queued for publishing. */
    lastPublishedAt: timestamp('last_published_at', { withTimezone: true }).notNull().defaultNow(),
    /** event_id of order.cancelled, set with the cancel and reused by every republish and give-back. */
    cancelledEventId: uuid('cancelled_event_id'),
    /** The cancel request's correlation id and time: a republished order.cancelled carries the very same fields. */
    cancelCorrelationId: text('cancel_correlation_id'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** How many times order.cancelled was published again; bounded by CANCEL_REPUBLISH_LIMIT. */
    cancelRepublishes: smallint('cancel_republishes').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orders_buyer_idempotency_key_unique').on(t.buyerId, t.idempotencyKey),
    index('orders_buyer_created_idx').on(t.buyerId, t.createdAt),
    index('orders_created_idx').on(t.createdAt),
    index('orders_pending_published_idx').on(t.lastPublishedAt).where(sql`status = 'PENDING'`),
    index('orders_cancel_republish_idx')
      .on(t.lastPublishedAt)
      .where(sql`status = 'CANCELLED' AND cancelled_event_id IS NOT NULL AND cancel_republishes < ${sql.raw(String(CANCEL_REPUBLISH_LIMIT))}`),
    check('orders_status_known', sql`${t.status} in ('PENDING', 'COMPLETED', 'FAILED', 'CANCELLED')`),
    check('orders_reason_only_when_failed', sql`(${t.status} = 'FAILED') = (${t.reason} IS NOT NULL)`),
    check('orders_cancel_event_only_when_cancelled', sql`${t.cancelledEventId} IS NULL OR ${t.status} = 'CANCELLED'`),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    line: smallint('line').notNull(),
    productId: uuid('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    /** The price the buyer saw, replaced by the catalog's once priced (they are equal unless the order failed). */
    unitPrice: numeric('unit_price', { precision: 12, scale: 2 }).notNull(),
    productName: text('product_name'),
    sellerId: uuid('seller_id'),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.productId] }),
    index('order_items_seller_idx').on(t.sellerId),
    check('order_items_quantity_range', sql`${t.quantity} between 1 and 99`),
    check('order_items_price_positive', sql`${t.unitPrice} >= 0`),
  ],
);

export const outbox = outboxTable();
export const processedMessages = processedMessagesTable();
