import { encodeOrdersMessage, type Order, type OrderStatus, type StreamFields } from '@market/contracts';
import { lockOrdersById, lockOverdue, markTimedOut, type TimedOut } from '../data/order-repository';
import { enqueueMany } from '../data/outbox-repository';
import { statusChangedRow } from './order-events';
import type { OrdersContext } from './context';
import { cancelledMessage } from './order-messages';
import { toOrder } from './order-shapes';
import { newId } from '@market/kit';

/**
 * An end to PENDING: orders placed longer than `deadlineSeconds` ago with no answer become FAILED
 * (TIMED_OUT), and in the same transaction their give-back (an order.cancelled) goes into the
 * outbox (with the order.status_changed of the failure): whatever products did or will do with the order.placed, the stock comes back exactly
 * once (or a tombstone stops products from ever taking it), and the give-back is sent until
 * products answers (resendGiveBacks). The buyer's live views are told. Returns the orders changed.
 */
export async function timeOutOverdue(ctx: OrdersContext, deadlineSeconds: number, limit = 100): Promise<Order[]> {
  const changed = await ctx.db.transaction(async (tx) => {
    const overdue = await lockOrdersById(tx, await lockOverdue(tx, deadlineSeconds, limit));
    const timedOut: TimedOut[] = [...overdue.values()].map((order) => ({
      id: order.id,
      cancel: { eventId: newId(), correlationId: order.correlationId, at: new Date() },
    }));
    const cancels = new Map(timedOut.map((t) => [t.id, t.cancel]));
    const orders: { order: Order; from: OrderStatus }[] = [];
    const rows: { stream: string; fields: StreamFields }[] = [];
    for (const { id, updatedAt } of await markTimedOut(tx, timedOut)) {
      const cancel = cancels.get(id)!;
      const record = { ...overdue.get(id)!, status: 'FAILED' as const, reason: 'TIMED_OUT' as const, updatedAt };
      const giveBack = {
        ...record,
        cancelledEventId: cancel.eventId,
        cancelCorrelationId: cancel.correlationId,
        cancelledAt: cancel.at,
      };
      rows.push(
        { stream: ctx.ordersStream, fields: encodeOrdersMessage(cancelledMessage(giveBack)) },
        statusChangedRow(ctx.orderEventsStream, record, record.correlationId),
      );
      orders.push({ order: toOrder(record), from: overdue.get(id)!.status });
    }
    await enqueueMany(tx, rows);
    return orders;
  });
  if (changed.length > 0) ctx.outboxWritten();
  for (const { order, from } of changed) {
    ctx.statusChanged(order.id, order);
    ctx.finalized(order, from);
  }
  return changed.map(({ order }) => order);
}
