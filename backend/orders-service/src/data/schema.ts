import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { FAILURE_REASONS, type ShippingAddress } from '@market/contracts';
import { outboxTable, processedMessagesTable } from '@market/kit';

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    buyerId: uuid('buyer_id').notNull(),
    /** The buyer's username when the order was placed (a snapshot, as products keep seller_name); null before it was kept. */
    buyerName: text('buyer_name'),
    status: text('status', { enum: ['PENDING', 'COMPLETED', 'FAILED', 'CANCELLED'] })
      .notNull()
      .default('PENDING'),
    reason: text('reason', { enum: FAILURE_REASONS }),
    /** Known once the catalog priced the order; exact decimal. */
    total: numeric('total', { precision: 14, scale: 2 }),
    idempotencyKey: text('idempotency_key').notNull(),
    /** Hash of the placing request's lines: the same key with another body is refused. */
    requestHash: text('request_hash').notNull(),
    /** event_id of order.placed, reused by every republish so consumers dedupe it. */
    placedEventId: uuid('placed_event_id').notNull(),
    correlationId: text('correlation_id').notNull(),
    /**
     * When the give-back's order.cancelled was last queued for publishing (a PENDING order's
     * order.placed keeps this in pending_orders). Each resend waits as long as the event had
     * already been out (at least the grace, at most the backoff cap): the waits double without a counter.
     */
    lastPublishedAt: timestamp('last_published_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * event_id of the give-back's order.cancelled — set when the buyer cancels, or when the order
     * times out (FAILED, TIMED_OUT) — reused by every copy so products gives stock back once.
     */
    cancelledEventId: uuid('cancelled_event_id'),
    /** The give-back's correlation id and time: every copy of order.cancelled carries the very same fields. */
    cancelCorrelationId: text('cancel_correlation_id'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** When products answered the give-back (inventory.released); until then it is sent again, with backoff. */
    giveBackConfirmedAt: timestamp('give_back_confirmed_at', { withTimezone: true }),
    /** A copy of the buyer's saved address taken when the order was placed; null for orders placed without one. */
    shippingAddress: jsonb('shipping_address').$type<ShippingAddress>(),
    /**
     * When a first part of the order shipped. Cancelling is guarded by it being NULL on this very
     * row, so a ship and a cancel racing on one order cannot both succeed (the later UPDATE
     * re-checks the row the earlier one committed).
     */
    firstShippedAt: timestamp('first_shipped_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orders_buyer_idempotency_key_unique').on(t.buyerId, t.idempotencyKey),
    index('orders_buyer_created_idx').on(t.buyerId, t.createdAt),
    index('orders_created_idx').on(t.createdAt),
    index('orders_give_back_unconfirmed_idx')
      .on(t.lastPublishedAt)
      .where(sql`cancelled_event_id IS NOT NULL AND give_back_confirmed_at IS NULL`),
    check('orders_status_known', sql`${t.status} in ('PENDING', 'COMPLETED', 'FAILED', 'CANCELLED')`),
    check('orders_reason_only_when_failed', sql`(${t.status} = 'FAILED') = (${t.reason} IS NOT NULL)`),
    check(
      'orders_give_back_only_when_cancelled_or_timed_out',
      sql`${t.cancelledEventId} IS NULL OR ${t.status} = 'CANCELLED' OR ${t.reason} = 'TIMED_OUT'`,
    ),
  ],
);

/**
 * The orders still PENDING, one row each, inserted with the order and deleted by the statement
 * that moves it on. The republisher and the deadline find their work here, a table no bigger
 * than the backlog. No index on `orders` mentions the status, so settling an order rewrites its
 * row in place (a HOT update: no index entry, usually the same page; the table keeps room on each
 * page for that, see migration 0005) instead of adding a version to every index.
 */
export const pendingOrders = pgTable('pending_orders', {
  orderId: uuid('order_id').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  /** When order.placed was last queued for publishing; republishes back off from it. */
  lastPublishedAt: timestamp('last_published_at', { withTimezone: true }).notNull(),
});

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

/**
 * A buyer's cart, one row per user: the lines as the buyer last saw them (validated by the cart
 * contract before they are stored) and a version that each save increments, so two devices saving
 * at once cannot silently overwrite each other. A cart not saved for CART_TTL_DAYS reads as empty
 * and is pruned.
 */
export const carts = pgTable('carts', {
  userId: uuid('user_id').primaryKey(),
  lines: jsonb('lines').$type<unknown[]>().notNull(),
  version: integer('version').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** A user's saved shipping addresses (at most LIMITS.addressesPerUserMax); orders copy one when placed. */
export const addresses = pgTable(
  'addresses',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    name: text('name').notNull(),
    line1: text('line1').notNull(),
    line2: text('line2'),
    city: text('city').notNull(),
    postalCode: text('postal_code').notNull(),
    region: text('region'),
    country: text('country').notNull(),
    phone: text('phone'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('addresses_user_idx').on(t.userId, t.createdAt),
    check('addresses_country_alpha2', sql`${t.country} ~ '^[A-Z]{2}$'`),
  ],
);

/**
 * The fulfilment of one seller's part of a COMPLETED order, once it moved past CONFIRMED. A part
 * without a row is CONFIRMED: the saga's settlement writes nothing here, the parts are derived
 * from the order's lines when it is read, and a row appears when the seller ships.
 */
export const orderParts = pgTable(
  'order_parts',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    sellerId: uuid('seller_id').notNull(),
    state: text('state', { enum: ['SHIPPED', 'DELIVERED'] }).notNull(),
    carrier: text('carrier').notNull(),
    trackingNumber: text('tracking_number').notNull(),
    shippedAt: timestamp('shipped_at', { withTimezone: true }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.sellerId] }),
    check('order_parts_state_known', sql`${t.state} in ('SHIPPED', 'DELIVERED')`),
    check('order_parts_delivered_at', sql`(${t.state} = 'DELIVERED') = (${t.deliveredAt} IS NOT NULL)`),
  ],
);

export const outbox = outboxTable();
export const processedMessages = processedMessagesTable();
