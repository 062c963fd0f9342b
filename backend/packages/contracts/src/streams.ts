import { z } from 'zod';
import { FAILURE_REASONS, LIMITS, MONEY_PATTERN, ORDER_STATUSES, STOCK_FAILURE_REASONS } from './http';

/**
 * Redis stream messages (DESIGN section 4). Entries are flat string maps in snake_case;
 * nested lists travel as JSON strings. Each schema below is the runtime validator and,
 * through z.infer, the TypeScript type: one definition, checked when published and when consumed.
 */

export const ORDERS_STREAM = 'orders_stream';
export const INVENTORY_STREAM = 'inventory_stream';
export const PRODUCTS_GROUP = 'products';
export const ORDERS_GROUP = 'orders';
/** auth-service's account events (user.deleted), read by every service that keeps data about a user. */
export const USER_EVENTS_STREAM = 'user_events_stream';
/** orders-service's order status changes, from its outbox; read by the notifications worker. */
export const ORDER_EVENTS_STREAM = 'order_events_stream';
export const MESSAGE_VERSION = '1';

const uuid = z.uuid();
const money = z.string().regex(MONEY_PATTERN, 'money must be a decimal string with two places');
const isoTime = z.iso.datetime({ offset: true });
const quantity = z.number().int().min(LIMITS.quantityMin).max(LIMITS.quantityMax);

/** A JSON-encoded field that must parse and then match `schema`. */
function jsonField<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const envelope = {
  version: z.literal(MESSAGE_VERSION),
  event_id: uuid,
  order_id: uuid,
  correlation_id: z.string().min(1).max(200),
  occurred_at: isoTime,
};

export const OrderLine = z.object({
  product_id: uuid,
  quantity,
  price: money,
});
export type OrderLine = z.infer<typeof OrderLine>;

const orderLines = z.array(OrderLine).min(1).max(LIMITS.orderLinesMax);

export const OrderPlaced = z.object({
  ...envelope,
  type: z.literal('order.placed'),
  user_id: uuid,
  products: orderLines,
});
export type OrderPlaced = z.infer<typeof OrderPlaced>;

export const OrderCancelled = z.object({
  ...envelope,
  type: z.literal('order.cancelled'),
  user_id: uuid,
  products: orderLines,
});
export type OrderCancelled = z.infer<typeof OrderCancelled>;

export const OrdersStreamMessage = z.discriminatedUnion('type', [OrderPlaced, OrderCancelled]);
export type OrdersStreamMessage = z.infer<typeof OrdersStreamMessage>;

export const ReservedItem = z.object({
  product_id: uuid,
  quantity,
  unit_price: money,
  product_name: z.string().max(LIMITS.productNameMax),
  seller_id: uuid,
});
export type ReservedItem = z.infer<typeof ReservedItem>;

export const InventoryResult = z.object({
  ...envelope,
  type: z.literal('inventory.result'),
  status: z.enum(['COMPLETED', 'FAILED']),
  /** Empty when COMPLETED. */
  reason: z.union([z.enum(STOCK_FAILURE_REASONS), z.literal('')]),
  /** Priced lines when COMPLETED; empty when FAILED. */
  items: z.array(ReservedItem).max(LIMITS.orderLinesMax),
});
export type InventoryResult = z.infer<typeof InventoryResult>;

/**
 * Products' answer to an order.cancelled (every copy of it): the give-back it asks for is done
 * (stock returned, or nothing was taken and never will be). orders-service sends the cancel again,
 * with backoff, until this arrives.
 */
export const InventoryReleased = z.object({
  ...envelope,
  type: z.literal('inventory.released'),
  /** The event_id of the order.cancelled answered. */
  cancel_event_id: uuid,
});
export type InventoryReleased = z.infer<typeof InventoryReleased>;

export const InventoryStreamMessage = z.discriminatedUnion('type', [InventoryResult, InventoryReleased]);
export type InventoryStreamMessage = z.infer<typeof InventoryStreamMessage>;

/**
 * An account was deleted: its personal data is erased in auth-service, and every service that
 * keeps some about the user (addresses, carts, order snapshots) erases it on this message.
 * Handling it is idempotent, so a copy delivered twice does no harm.
 */
export const UserDeleted = z.object({
  version: z.literal(MESSAGE_VERSION),
  event_id: uuid,
  type: z.literal('user.deleted'),
  user_id: uuid,
  occurred_at: isoTime,
});
export type UserDeleted = z.infer<typeof UserDeleted>;

const flag = z.enum(['true', 'false']);

const userSnapshot = {
  version: z.literal(MESSAGE_VERSION),
  event_id: uuid,
  user_id: uuid,
  email: z.string().min(3).max(LIMITS.emailMax),
  username: z.string().min(1).max(LIMITS.usernameMax),
  role: z.enum(['buyer', 'seller', 'admin']),
  /** The user's email preferences (wire strings "true" / "false"): sale emails, order-outcome emails. */
  sale_emails: flag,
  order_emails: flag,
  /** Whether the address is known to be the user's; absent from publishers that do not track it. */
  email_verified: flag.optional(),
  occurred_at: isoTime,
};

/**
 * An account was created, or what other services keep a copy of changed (email, name, role,
 * email preferences): each carries the whole copy, so a consumer keeps the latest it saw.
 * auth-service writes them to its outbox in the transaction of the change (a database trigger).
 */
export const UserCreated = z.object({ ...userSnapshot, type: z.literal('user.created') });
export type UserCreated = z.infer<typeof UserCreated>;
export const UserChanged = z.object({ ...userSnapshot, type: z.literal('user.changed') });
export type UserChanged = z.infer<typeof UserChanged>;

export const UserEventsStreamMessage = z.discriminatedUnion('type', [UserDeleted, UserCreated, UserChanged]);
export type UserEventsStreamMessage = z.infer<typeof UserEventsStreamMessage>;

/** One line of an order as the mailer shows it: what was bought, how many, at what price. */
export const OrderEventLine = z.object({
  product_id: uuid,
  product_name: z.string().max(LIMITS.productNameMax),
  quantity,
  unit_price: money,
});
export type OrderEventLine = z.infer<typeof OrderEventLine>;

/** The lines of one seller in an order: a sale of theirs. */
export const OrderEventSeller = z.object({
  seller_id: uuid,
  lines: z.array(OrderEventLine).min(1).max(LIMITS.orderLinesMax),
});
export type OrderEventSeller = z.infer<typeof OrderEventSeller>;

const orderEventSellers = z.array(OrderEventSeller).max(LIMITS.orderLinesMax);

/**
 * An order changed status (placed as PENDING, COMPLETED, FAILED with a reason, CANCELLED), written
 * to orders' outbox in the transaction that changed it. It carries what a mailer needs without
 * reading orders' database: the buyer, the total, and each seller's lines (empty while the order
 * is not priced: PENDING, or FAILED before the catalog answered).
 */
export const OrderStatusChanged = z.object({
  ...envelope,
  type: z.literal('order.status_changed'),
  buyer_id: uuid,
  status: z.enum(ORDER_STATUSES),
  /** A FailureReason when FAILED, else empty. */
  reason: z.union([z.enum(FAILURE_REASONS), z.literal('')]),
  /** Empty while the order is not priced. */
  total: z.union([money, z.literal('')]),
  sellers: orderEventSellers,
});
export type OrderStatusChanged = z.infer<typeof OrderStatusChanged>;

export const OrderEventsStreamMessage = z.discriminatedUnion('type', [OrderStatusChanged]);
export type OrderEventsStreamMessage = z.infer<typeof OrderEventsStreamMessage>;

const OrderEventsWire = z.discriminatedUnion('type', [
  OrderStatusChanged.extend({ sellers: jsonField(orderEventSellers) }),
]);

/** Wire form (flat string fields) of the orders_stream messages. */
const OrdersStreamWire = z.discriminatedUnion('type', [
  OrderPlaced.extend({ products: jsonField(orderLines) }),
  OrderCancelled.extend({ products: jsonField(orderLines) }),
]);
const InventoryWire = z.discriminatedUnion('type', [
  InventoryResult.extend({ items: jsonField(z.array(ReservedItem).max(LIMITS.orderLinesMax)) }),
  InventoryReleased,
]);

export type StreamFields = Record<string, string>;

export class InvalidMessageError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'InvalidMessageError';
  }
}

function describe(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

function toFields(message: Record<string, unknown>): StreamFields {
  const fields: StreamFields = {};
  for (const [key, value] of Object.entries(message)) {
    fields[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return fields;
}

/** Validates and flattens an orders_stream message; throws on an invalid one (a publisher bug). */
export function encodeOrdersMessage(message: OrdersStreamMessage): StreamFields {
  const checked = OrdersStreamMessage.safeParse(message);
  if (!checked.success) throw new InvalidMessageError('invalid orders_stream message', describe(checked.error));
  return toFields(checked.data);
}

export function decodeOrdersMessage(fields: StreamFields): OrdersStreamMessage {
  const parsed = OrdersStreamWire.safeParse(fields);
  if (!parsed.success) throw new InvalidMessageError('invalid orders_stream entry', describe(parsed.error));
  return parsed.data;
}

export function encodeInventoryMessage(message: InventoryStreamMessage): StreamFields {
  const checked = InventoryStreamMessage.safeParse(message);
  if (!checked.success) throw new InvalidMessageError('invalid inventory_stream message', describe(checked.error));
  return toFields(checked.data);
}

export function decodeInventoryMessage(fields: StreamFields): InventoryStreamMessage {
  const parsed = InventoryWire.safeParse(fields);
  if (!parsed.success) throw new InvalidMessageError('invalid inventory_stream entry', describe(parsed.error));
  return parsed.data;
}

export function encodeUserEventsMessage(message: UserEventsStreamMessage): StreamFields {
  const checked = UserEventsStreamMessage.safeParse(message);
  if (!checked.success) throw new InvalidMessageError('invalid user_events_stream message', describe(checked.error));
  return toFields(checked.data);
}

export function decodeUserEventsMessage(fields: StreamFields): UserEventsStreamMessage {
  const parsed = UserEventsStreamMessage.safeParse(fields);
  if (!parsed.success) throw new InvalidMessageError('invalid user_events_stream entry', describe(parsed.error));
  return parsed.data;
}

export function encodeOrderEventsMessage(message: OrderEventsStreamMessage): StreamFields {
  const checked = OrderEventsStreamMessage.safeParse(message);
  if (!checked.success) throw new InvalidMessageError('invalid order_events_stream message', describe(checked.error));
  return toFields(checked.data);
}

export function decodeOrderEventsMessage(fields: StreamFields): OrderEventsStreamMessage {
  const parsed = OrderEventsWire.safeParse(fields);
  if (!parsed.success) throw new InvalidMessageError('invalid order_events_stream entry', describe(parsed.error));
  return parsed.data;
}

/** Redis returns entry fields as a flat [k1, v1, k2, v2, …] list. */
export function fieldsFromList(list: string[]): StreamFields {
  const fields: StreamFields = {};
  for (let i = 0; i + 1 < list.length; i += 2) fields[list[i] as string] = list[i + 1] as string;
  return fields;
}
