import type { Order, OrderPart, ShipPartRequest } from '@market/contracts';
import { AppError, forbidden, notFound, type AuthUser } from '@market/kit';
import type { Tx } from '../data/db';
import { findOrder } from '../data/order-repository';
import { markDelivered, markShipped } from '../data/part-repository';
import type { OrdersContext } from './context';
import { toOrder } from './order-shapes';

/**
 * Fulfilment: each seller's part of a COMPLETED order goes CONFIRMED → SHIPPED → DELIVERED. It
 * never touches stock (the saga took it when the order completed) and never changes the order's
 * status; each change moves the order's update time and is announced like a status change, so
 * the buyer's open pages follow it.
 */

/** The text with its outer spaces trimmed; blank is refused as the contract's minimum length would be. */
function filled(field: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '')
    throw new AppError('VALIDATION_FAILED', `${field} must not be blank`, 400, [
      { field, message: 'must not be blank' },
    ]);
  return trimmed;
}

/** Why a part change matched nothing, told from the order as it is now (404 for what the user may not see). */
function refusal(order: Order | undefined, sellerId: string, action: 'shipped' | 'delivered'): AppError {
  const part = order?.parts.find((p) => p.sellerId === sellerId);
  if (!order || !order.items.some((item) => item.sellerId === sellerId)) return notFound('order part');
  if (order.status !== 'COMPLETED')
    return new AppError('CONFLICT', `an order that is ${order.status} cannot be ${action}`);
  if (part?.state === 'DELIVERED') return new AppError('CONFLICT', 'this part of the order was already delivered');
  return new AppError('CONFLICT', 'this part of the order has not shipped yet');
}

/**
 * Runs a guarded part change; when it matched nothing, the order as it is now tells why, shown
 * only to a user who may see it (`maySee`, given the order's buyer), else 404.
 */
async function changePart(
  ctx: OrdersContext,
  target: { orderId: string; sellerId: string; action: 'shipped' | 'delivered' },
  change: (tx: Tx) => Promise<boolean>,
  maySee: (buyerId: string) => boolean,
): Promise<OrderPart> {
  const order = await ctx.db.transaction(async (tx) => {
    const changed = await change(tx);
    const record = await findOrder(tx, target.orderId);
    // Thrown, the refusal also rolls back whatever the guarded statement wrote.
    if (!changed || !record)
      throw refusal(record && maySee(record.buyerId) ? toOrder(record) : undefined, target.sellerId, target.action);
    return toOrder(record);
  });
  ctx.statusChanged(order.id, order);
  return order.parts.find((p) => p.sellerId === target.sellerId)!;
}

/** The seller ships their own part of an order, with the carrier and tracking number. */
export async function shipPart(
  ctx: OrdersContext,
  user: AuthUser,
  orderId: string,
  sellerId: string,
  body: ShipPartRequest,
): Promise<OrderPart> {
  if (sellerId !== user.id) throw forbidden('only the seller of this part may ship it');
  const shipment = {
    orderId,
    sellerId,
    carrier: filled('carrier', body.carrier),
    trackingNumber: filled('trackingNumber', body.trackingNumber),
  };
  // The caller is the part's seller; refusal() answers 404 when the order holds no line of theirs.
  return changePart(
    ctx,
    { orderId, sellerId, action: 'shipped' },
    (tx) => markShipped(tx, shipment),
    () => true,
  );
}

/** The part's seller or the order's buyer marks a shipped part delivered. */
export async function deliverPart(
  ctx: OrdersContext,
  user: AuthUser,
  orderId: string,
  sellerId: string,
): Promise<OrderPart> {
  return changePart(
    ctx,
    { orderId, sellerId, action: 'delivered' },
    (tx) => markDelivered(tx, orderId, sellerId, user.id),
    (buyerId) => buyerId === user.id || sellerId === user.id,
  );
}
