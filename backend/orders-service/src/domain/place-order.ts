import { createHash } from 'node:crypto';
import { encodeOrdersMessage, type Order, type PlaceOrderRequest } from '@market/contracts';
import { AppError, newId } from '@market/kit';
import { findByIdempotencyKey, findOrder, insertOrderIfNew, type OrderRecord } from '../data/order-repository';
import type { OrdersContext } from './context';
import { assertDistinctProducts } from './distinct-lines';
import { statusChangedRow } from './order-events';
import { placedMessage } from './order-messages';
import { toOrder } from './order-shapes';

export interface PlaceOrderInput {
  buyerId: string;
  /** The buyer's username, kept on the order for admins' lists. */
  buyerName: string;
  idempotencyKey: string;
  correlationId: string;
  items: PlaceOrderRequest['items'];
  shippingAddressId?: string | undefined;
}

/**
 * What makes two requests "the same body" for one idempotency key. The address joins the hash
 * only when sent, so an order placed without one keeps the hash it always had.
 */
function requestHash(input: PlaceOrderInput): string {
  const canonical: unknown[] = input.items.map((item) => [item.productId.toLowerCase(), item.quantity, item.unitPrice]);
  if (input.shippingAddressId) canonical.push({ shippingAddressId: input.shippingAddressId.toLowerCase() });
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The PENDING order as it is inserted: built here, so accepting it needs no read back. */
function newRecord(input: PlaceOrderInput): OrderRecord {
  const createdAt = new Date();
  return {
    id: newId(),
    buyerId: input.buyerId,
    buyerName: input.buyerName,
    status: 'PENDING',
    reason: null,
    total: null,
    placedEventId: newId(),
    correlationId: input.correlationId,
    cancelledEventId: null,
    cancelCorrelationId: null,
    cancelledAt: null,
    shippingAddress: null,
    createdAt,
    updatedAt: createdAt,
    items: input.items.map((item) => ({
      productId: item.productId.toLowerCase(),
      productName: null,
      sellerId: null,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
    })),
  };
}

const unknownAddress = () =>
  new AppError('VALIDATION_FAILED', 'some fields are not valid', 400, [
    {
      field: 'shippingAddressId',
      message: 'shippingAddressId is not one of your saved addresses; choose or add an address again',
    },
  ]);

/** The order that first used the buyer's key, if the body is the same; another body is refused. */
async function replayed(ctx: OrdersContext, input: PlaceOrderInput, hash: string): Promise<OrderRecord | undefined> {
  const existing = await findByIdempotencyKey(ctx.db, input.buyerId, input.idempotencyKey);
  if (!existing) return undefined;
  if (existing.requestHash !== hash) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used for another order; use a new key',
    );
  }
  const order = await findOrder(ctx.db, existing.id);
  if (!order) throw new Error('the order holding this idempotency key vanished');
  return order;
}

/**
 * Writes the PENDING order, its lines and its outbox rows (order.placed for products,
 * order.status_changed for the order-events stream) in one statement. The
 * unique (buyer, key) index makes a replay — even a concurrent one, which waits on the first
 * insert and then does nothing — return the first order; another body is refused. While the
 * pipeline is behind by more than its bound, a new order is refused with 503 OVERLOADED (a
 * replay is still answered).
 */
export async function placeOrder(
  ctx: OrdersContext,
  input: PlaceOrderInput,
): Promise<{ order: Order; created: boolean }> {
  assertDistinctProducts(input.items, 'items');
  const hash = requestHash(input);
  if (ctx.backlog.overloaded()) {
    const first = await replayed(ctx, input, hash);
    if (first) return { order: toOrder(first), created: false };
    throw ctx.backlog.refusal();
  }
  const record = newRecord(input);
  const outbox = [
    { stream: ctx.ordersStream, fields: encodeOrdersMessage(placedMessage(record)) },
    statusChangedRow(ctx.orderEventsStream, record, record.correlationId, record.createdAt),
  ];
  const inserted = await insertOrderIfNew(
    ctx.db,
    {
      ...record,
      idempotencyKey: input.idempotencyKey,
      requestHash: hash,
      shippingAddressId: input.shippingAddressId,
    },
    outbox,
  );
  if (inserted) {
    ctx.outboxCommitted(outbox.map((row, i) => ({ id: inserted.outboxIds[i]!, ...row })));
    const order = toOrder({ ...record, shippingAddress: inserted.shippingAddress });
    ctx.orderAccepted(order, record.buyerId);
    return { order, created: true };
  }
  const first = await replayed(ctx, input, hash);
  if (!first) {
    // Nothing inserted and no earlier order with this key: the address named is not one of the buyer's.
    if (input.shippingAddressId) throw unknownAddress();
    throw new Error('the order holding this idempotency key vanished');
  }
  return { order: toOrder(first), created: false };
}
