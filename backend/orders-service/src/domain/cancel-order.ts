import { encodeOrdersMessage, type Order } from '@market/contracts';
import { AppError, notFound, type AuthUser, newId } from '@market/kit';
import { findOrder, markCancelled } from '../data/order-repository';
import { enqueueMany } from '../data/outbox-repository';
import { statusChangedRow } from './order-events';
import type { OrdersContext } from './context';
import { cancelledMessage } from './order-messages';
import { toOrder } from './order-shapes';

/**
 * The buyer cancels a PENDING or COMPLETED order none of whose parts has shipped: a guarded UPDATE that stores the
 * order.cancelled event and its outbox row commit together, so products is told exactly when
 * the status changed, and the republisher can send the very same event again if it is lost.
 */
export async function cancelOrder(
  ctx: OrdersContext,
  user: AuthUser,
  orderId: string,
  correlationId: string,
): Promise<Order> {
  const order = await ctx.db.transaction(async (tx) => {
    const current = await findOrder(tx, orderId);
    if (!current || current.buyerId !== user.id) throw notFound('order');
    if (!(await markCancelled(tx, orderId, user.id, { eventId: newId(), correlationId }))) {
      const latest = (await findOrder(tx, orderId)) ?? current;
      if (latest.parts?.length)
        throw new AppError('CONFLICT', 'part of this order has already shipped, so it can no longer be cancelled');
      throw new AppError('CONFLICT', `an order that is ${latest.status} cannot be cancelled`);
    }
    const cancelled = (await findOrder(tx, orderId))!;
    const rows = await enqueueMany(tx, [
      { stream: ctx.ordersStream, fields: encodeOrdersMessage(cancelledMessage(cancelled)) },
      statusChangedRow(ctx.orderEventsStream, cancelled, correlationId),
    ]);
    return { ...cancelled, rows, from: current.status };
  });
  ctx.outboxCommitted(order.rows);
  const result = toOrder(order);
  ctx.statusChanged(orderId, result);
  ctx.finalized(result, order.from);
  return result;
}
