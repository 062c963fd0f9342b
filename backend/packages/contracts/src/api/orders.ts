import { z } from 'zod';
import { DEAD_LETTER_ORDERS, FAILURE_REASONS, LIMITS, ORDER_STATUSES, PART_STATES, STREAM_ID_PATTERN } from '../http';
import { ShippingAddress } from './addresses';
import { asText, id, money, pageNumber, pageOf, pageSize, PageQuery, text, timestamp } from './common';

/** Idempotency keys: what a UUID, a ULID or a client's own token looks like; no spaces or quotes. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]+$/;
export const DEAD_LETTER_PAGE_SIZE = 20;

export const OrderItem = z.strictObject({
  productId: id(),
  productName: z.string().nullable(),
  sellerId: z.string().nullable(),
  quantity: z.number().int(),
  unitPrice: money(),
});
export type OrderItem = z.output<typeof OrderItem>;

/** One seller's part of a COMPLETED order: its fulfilment state and, once shipped, how. */
export const OrderPart = z.strictObject({
  sellerId: id(),
  state: z.enum(PART_STATES),
  carrier: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  shippedAt: timestamp().nullable(),
  deliveredAt: timestamp().nullable(),
});
export type OrderPart = z.output<typeof OrderPart>;

export const Order = z.strictObject({
  id: id(),
  status: z.enum(ORDER_STATUSES),
  reason: z.enum(FAILURE_REASONS).nullable(),
  total: money().nullable(),
  items: z.array(OrderItem),
  shippingAddress: ShippingAddress.nullable().meta({
    description: 'The address the order was placed with, as it was then; null for an order placed without one',
  }),
  parts: z
    .array(OrderPart)
    .meta({ description: 'One per seller once the order is COMPLETED; empty before and when it did not complete' }),
  buyer: z
    .strictObject({ id: id(), username: z.string().nullable() })
    .optional()
    .meta({ description: "Who placed the order: only in an admin's reads" }),
  createdAt: timestamp(),
  updatedAt: timestamp(),
});
export type Order = z.output<typeof Order>;
export const OrderPage = pageOf(Order);

/**
 * A UTC calendar day, `YYYY-MM-DD`, from the year 1000 (PostgreSQL has no year 0, and no sale is older);
 * a range's `to` is included.
 */
const day = () =>
  z.iso
    .date()
    .regex(/^[1-9]\d{3}-/, 'must be a day from the year 1000 on')
    .meta({ examples: ['2026-11-30'] });

/** An admin's list counts matching orders up to this many, then says "more" (`pagination.totalCapped`). */
export const ADMIN_ORDERS_COUNT_CAP = 10_000;
export const AdminOrdersQuery = z.strictObject({
  page: pageNumber(),
  pageSize: pageSize(),
  status: z.enum(ORDER_STATUSES).optional(),
  from: day().optional().meta({ description: 'First UTC day, `YYYY-MM-DD`' }),
  to: day().optional().meta({ description: 'Last UTC day, included' }),
  buyer: text()
    .trim()
    .max(Math.max(LIMITS.usernameMax, 36)) // a username or a UUID's 36 characters
    .optional()
    .meta({ description: "The buyer's id, or their username as it was when they ordered (any case)" }),
  sellerId: id().optional().meta({ description: 'Orders holding a line of this seller' }),
});
export type AdminOrdersQuery = z.output<typeof AdminOrdersQuery>;

export const Sale = z.strictObject({
  orderId: id(),
  productId: id(),
  productName: z.string().nullable(),
  quantity: z.number().int(),
  unitPrice: money(),
  status: z.enum(ORDER_STATUSES),
  shippingAddress: ShippingAddress.nullable().meta({ description: "Where the order's buyer wants it shipped" }),
  /** The fulfilment of the seller's part of the order this line belongs to. */
  partState: z.enum(PART_STATES),
  carrier: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  createdAt: timestamp(),
});
export type Sale = z.output<typeof Sale>;
export const SalePage = pageOf(Sale);

const dayRange = { from: day().optional(), to: day().optional() };
export const SalesQuery = z.strictObject({ page: pageNumber(), pageSize: pageSize(), ...dayRange });
export type SalesQuery = z.output<typeof SalesQuery>;
export const SalesRangeQuery = z.strictObject(dayRange);
export type SalesRangeQuery = z.output<typeof SalesRangeQuery>;

export const SALES_PERIODS = ['day', 'week', 'month'] as const;
export type SalesPeriod = (typeof SALES_PERIODS)[number];
/** At most this many periods come back, newest first: a year of days. */
export const SALES_TOTALS_MAX = 366;
export const SalesTotalsQuery = z.strictObject({ period: z.enum(SALES_PERIODS).default('day'), ...dayRange });
export type SalesTotalsQuery = z.output<typeof SalesTotalsQuery>;
export const SalesTotal = z.strictObject({
  periodStart: day().meta({ description: 'First day of the period (weeks start on Monday), UTC' }),
  orders: z.number().int(),
  quantity: z.number().int(),
  revenue: money(),
});
export type SalesTotal = z.output<typeof SalesTotal>;
export const SalesTotals = z.strictObject({
  data: z.array(SalesTotal),
  overall: z.strictObject({ orders: z.number().int(), quantity: z.number().int(), revenue: money() }),
});
export type SalesTotals = z.output<typeof SalesTotals>;
/** A CSV export holds at most this many lines; a narrower date range gets the rest. */
export const SALES_EXPORT_MAX = 10_000;

export const PlaceOrderRequest = z.strictObject({
  items: z
    .array(
      z.strictObject({
        productId: id(),
        quantity: z.number().int().min(LIMITS.quantityMin).max(LIMITS.quantityMax),
        unitPrice: money().meta({ description: 'The price the buyer saw; the catalog decides whether it still holds' }),
      }),
    )
    .min(1)
    .max(LIMITS.orderLinesMax),
  shippingAddressId: id().optional().meta({
    description:
      "One of the caller's saved addresses (GET /api/addresses); the order keeps a copy of it. The SPA always sends one; an API client may omit it.",
  }),
});
export type PlaceOrderRequest = z.input<typeof PlaceOrderRequest>;

export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(LIMITS.idempotencyKeyMax).regex(IDEMPOTENCY_KEY_PATTERN),
});

export const OrderIdParams = z.strictObject({ id: id() });
export const OrderPartParams = z.strictObject({ id: id(), sellerId: id() });

// Trimmed by the service, which refuses what is blank after trimming (JSON Schema cannot trim).
const shippingText = (max: number) => asText(text().min(1).max(max));
export const ShipPartRequest = z.strictObject({
  carrier: shippingText(LIMITS.carrierMax),
  trackingNumber: shippingText(LIMITS.trackingNumberMax),
});
export type ShipPartRequest = z.input<typeof ShipPartRequest>;
export const OrdersPageQuery = PageQuery;

const streamId = () =>
  z
    .string()
    .regex(STREAM_ID_PATTERN)
    .max(41)
    .meta({ examples: ['1733000000000-0'] });
const nullableText = () => z.string().nullable();

export const DeadLetter = z.strictObject({
  id: streamId().meta({ description: "The entry's id in `<stream>:dead`" }),
  stream: z.string(),
  originalId: z.string(),
  group: z.string().meta({ description: 'The consumer group that gave up on the entry' }),
  reason: z.string(),
  deliveries: z.number().int(),
  deadAt: z.string().meta({ description: 'ISO-8601 time it was dead-lettered' }),
  type: nullableText(),
  orderId: nullableText(),
  eventId: nullableText(),
  fields: z
    .record(z.string(), z.string())
    .meta({ description: "The original entry in the stream's wire format (snake_case)" }),
});
export type DeadLetter = z.output<typeof DeadLetter>;

export const DeadLetterStreamSummary = z.strictObject({ stream: z.string(), count: z.number().int() });
export type DeadLetterStreamSummary = z.output<typeof DeadLetterStreamSummary>;
export const DeadLetterStreams = z.strictObject({ data: z.array(DeadLetterStreamSummary) });

export const DeadLetterPage = z.strictObject({
  data: z.array(DeadLetter),
  pagination: z.strictObject({ pageSize: z.number().int(), total: z.number().int(), next: z.string().nullable() }),
});

/** A page of a list read by cursor (a Redis stream): `next` is the `cursor` of the following page, null on the last. */
export interface CursorPage<T> {
  data: T[];
  pagination: { pageSize: number; total: number; next: string | null };
}

export const ReplayedDeadLetter = z.strictObject({
  id: streamId().meta({ description: "The dead letter's id, now gone from `<stream>:dead`" }),
  stream: z.string(),
  replayedAs: streamId().meta({ description: 'The id of the entry the replay put back on the stream' }),
});
export type ReplayedDeadLetter = z.output<typeof ReplayedDeadLetter>;

/** The saga streams a service knows come from its config: anything else is refused with 400. */
export const deadLetterStreamParams = (streams: readonly string[]) =>
  z.strictObject({ stream: z.enum(streams as [string, ...string[]]) });
export const deadLetterParams = (streams: readonly string[]) =>
  z.strictObject({ stream: z.enum(streams as [string, ...string[]]), id: streamId() });

export const DeadLetterQuery = z.strictObject({
  order: z.enum(DEAD_LETTER_ORDERS).default('newest'),
  pageSize: pageSize(DEAD_LETTER_PAGE_SIZE),
  cursor: streamId().optional().meta({ description: 'The `next` of the previous page' }),
});
export type DeadLetterQuery = z.output<typeof DeadLetterQuery>;
