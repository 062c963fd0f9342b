import { encodeOrdersMessage } from '@market/contracts';
import { findOrder, lockStaleCancels, touchCancelPublished } from '../data/order-repository';
import { enqueue, isAwaitingRelay } from '../data/outbox-repository';
import type { OrdersContext } from './context';
import { cancelledMessage } from './order-messages';

/**
 * CANCELLED orders get their very same order.cancelled (same event_id, same fields) into the
 * outbox again once `graceSeconds` passed since it was last queued, the wait doubling after each
 * republish, at most CANCEL_REPUBLISH_LIMIT times: covers a cancel Redis lost (AOF's last second),
 * which would otherwise keep the stock taken for good. Products dedupes by event id, so a copy
 * after the first one got through gives nothing back twice. Rows are locked with SKIP LOCKED,
 * so replicas share the work. Returns how many were queued.
 */
export async function republishStaleCancels(ctx: OrdersContext, graceSeconds: number, limit = 100): Promise<number> {
  const queued = await ctx.db.transaction(async (tx) => {
    const ids = await lockStaleCancels(tx, graceSeconds, limit);
    let count = 0;
    for (const id of ids) {
      const order = await findOrder(tx, id);
      if (!order?.cancelledEventId) continue;
      // While Redis is down the last copy still waits in the outbox: wait again, without counting.
      if (await isAwaitingRelay(tx, order.cancelledEventId)) {
        await touchCancelPublished(tx, id, { counted: false });
        continue;
      }
      await enqueue(tx, ctx.ordersStream, encodeOrdersMessage(cancelledMessage(order)));
      await touchCancelPublished(tx, id, { counted: true });
      count += 1;
    }
    return count;
  });
  if (queued > 0) ctx.outboxWritten();
  return queued;
}
