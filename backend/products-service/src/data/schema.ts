import { sql } from 'drizzle-orm';
import {
  check,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { PRODUCT_STATUSES, type StreamFields } from '@market/contracts';
import { outboxTable, processedMessagesTable } from '@market/kit';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * What the full-text search reads: the name's words weighted A, the description's B, English
 * stemming. Generated, so every insert and edit keeps it in step with no code to forget.
 */
export const SEARCH_VECTOR_SQL = sql`setweight(to_tsvector('english'::regconfig, name), 'A') || setweight(to_tsvector('english'::regconfig, description), 'B')`;

export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sellerId: uuid('seller_id').notNull(),
    /** Snapshot of the seller's username when the product was created. */
    sellerName: text('seller_name').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    category: text('category').notNull(),
    price: numeric('price', { precision: 12, scale: 2, mode: 'string' }).notNull(),
    stock: integer('stock').notNull(),
    status: text('status', { enum: PRODUCT_STATUSES }).notNull().default('active'),
    /** Why an admin unlisted the product (its seller reads it), when and who; null unless unlisted. */
    moderationReason: text('moderation_reason'),
    moderatedAt: timestamp('moderated_at', { withTimezone: true }),
    moderatedBy: uuid('moderated_by'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    searchVector: tsvector('search_vector').notNull().generatedAlwaysAs(SEARCH_VECTOR_SQL),
  },
  (t) => [
    check('products_stock_not_negative', sql`${t.stock} >= 0`),
    check('products_price_positive', sql`${t.price} > 0`),
    check('products_status_known', sql`${t.status} in ('active', 'archived', 'unlisted')`),
    check('products_unlisted_has_reason', sql`${t.status} <> 'unlisted' OR ${t.moderationReason} IS NOT NULL`),
    // The public list reads only active rows: one partial index per sort order, id as the tiebreak.
    // Ascending indexes serve the descending sorts by a backward scan (DESC NULLS FIRST, the default).
    index('products_active_created_idx')
      .on(t.createdAt, t.id)
      .where(sql`status = 'active'`),
    index('products_active_price_idx')
      .on(t.price, t.id)
      .where(sql`status = 'active'`),
    index('products_active_name_idx')
      .on(t.name, t.id)
      .where(sql`status = 'active'`),
    index('products_active_category_created_idx')
      .on(t.category, t.createdAt, t.id)
      .where(sql`status = 'active'`),
    index('products_active_category_price_idx')
      .on(t.category, t.price, t.id)
      .where(sql`status = 'active'`),
    index('products_active_category_name_idx')
      .on(t.category, t.name, t.id)
      .where(sql`status = 'active'`),
    index('products_seller_created_idx').on(t.sellerId, t.createdAt, t.id),
    // Full-text search (@@) over active products, prefixes included; GIN holds lexemes without weights.
    index('products_active_search_vector_idx')
      .using('gin', t.searchVector)
      .where(sql`status = 'active'`),
    // One- and two-character searches also match names beginning with them ("tv", "C#").
    index('products_active_name_prefix_idx')
      .on(sql`lower(${t.name}) text_pattern_ops`)
      .where(sql`status = 'active'`),
  ],
);

export interface StoredVariant {
  key: string;
  width: number;
  height: number;
}

/** A product's uploaded images; `position` orders them (0 first), the files live in the image store. */
export const productImages = pgTable(
  'product_images',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    alt: text('alt').notNull(),
    /** The stored sizes, smallest first: content-addressed keys in the image store. */
    variants: jsonb('variants').$type<StoredVariant[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('product_images_product_position_idx').on(t.productId, t.position)],
);

/**
 * Every word (letters and digits, 3 to 40 characters, at least one letter) that a product's name
 * or description ever held: a misspelt search word is looked up here by trigram similarity and
 * searched as its closest known words. Filled by statement triggers on products (migration 0004);
 * words are never removed, so an archived product's words may remain and simply match nothing.
 */
export const searchWords = pgTable(
  'search_words',
  {
    word: text('word').primaryKey(),
  },
  (t) => [index('search_words_trgm_idx').using('gin', t.word.op('gin_trgm_ops'))],
);

/**
 * The search's postings: one row per word (English lexeme, as in `search_vector`) of an active
 * product, and one per name beginning (" " and its first 1 to 3 characters, lower-case: a lexeme
 * never holds a space). `score` is what the word is worth to the product: 10 in the name, 4 only in
 * the description, +5 as the name's first word; 5 for a name beginning. Kept by triggers on
 * products (migration 0006) that fire on inserts, deletes and changes of name, description,
 * category or status — never on stock changes. Scanned backward, `search_postings_rank_idx` hands
 * over a word's products best first (score, then newest), so a page of results, a capped count
 * and capped facets read a bounded slice of it, however many products match.
 */
export const searchPostings = pgTable(
  'search_postings',
  {
    lexeme: text('lexeme').notNull(),
    productId: uuid('product_id').notNull(),
    score: smallint('score').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    category: text('category').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.lexeme] }),
    index('search_postings_rank_idx').on(t.lexeme, t.score, t.createdAt, t.productId, t.category),
  ],
);

/** Stock taken for an order, so a cancel gives back exactly what was taken. */
export const stockReservations = pgTable(
  'stock_reservations',
  {
    orderId: uuid('order_id').notNull(),
    productId: uuid('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: numeric('unit_price', { precision: 12, scale: 2, mode: 'string' }).notNull(),
    /** Set when a cancel gave the quantity back; a reservation is released at most once. */
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.productId] }),
    check('stock_reservations_quantity_positive', sql`${t.quantity} > 0`),
  ],
);

export const OUTCOME_STATUSES = ['RESERVED', 'REJECTED', 'CANCELLED'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/**
 * What this service decided for each order; the row is the per-order lock that makes
 * duplicate, republished and out-of-order messages harmless.
 */
export const orderOutcomes = pgTable(
  'order_outcomes',
  {
    orderId: uuid('order_id').primaryKey(),
    status: text('status', { enum: OUTCOME_STATUSES }).notNull(),
    reason: text('reason'),
    /**
     * The inventory.result sent for this order (wire fields, its event_id included), so a
     * republished order.placed gets the very same answer instead of a second decision.
     */
    reply: jsonb('reply').$type<StreamFields>(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('order_outcomes_status_known', sql`${t.status} in ('RESERVED', 'REJECTED', 'CANCELLED')`)],
);

export const outbox = outboxTable();
export const processedMessages = processedMessagesTable();
