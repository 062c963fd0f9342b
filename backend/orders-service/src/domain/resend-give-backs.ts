import { encodeOrdersMessage } from '@market/contracts';
import { findOrder, lockUnconfirmedGiveBacks, touchPublished, type Retry } from '../data/order-repository';
import { enqueue, isAwaitingRelay } from '../data/outbox-repository';
import type { OrdersContext } from './context';
import { cancelledMessage } from './order-messages';

/**
 * Give-backs products has not answered (no inventory.released yet) — of CANCELLED orders and of
 * orders that TIMED_OUT — get their very same order.cancelled (same event_id, same fields) into the
 * outbox again, with capped exponential backoff and no limit: a cancel Redis lost, or one that
 * waited out a long outage of products, is sent until products says the stock is back. Products
 * dedupes by event id, so a copy after the first one got through gives nothing back twice. Rows
 * are locked with SKIP LOCKED, so replicas share the work. Returns how many were queued.
 */
export async function resendGiveBacks(ctx: OrdersContext, retry: Retry, limit = 100): Promise<number> {
  const queued = await ctx.db.transaction(async (tx) => {
    const ids = await lockUnconfirmedGiveBacks(tx, retry, limit);
    let count = 0;
    for (const id of ids) {
      const order = await findOrder(tx, id);
      // While Redis is down the last copy still waits in the outbox: wait again.
      if (!order?.cancelledEventId || (await isAwaitingRelay(tx, order.cancelledEventId))) continue;
      await enqueue(tx, ctx.ordersStream, encodeOrdersMessage(cancelledMessage(order)));
      count += 1;
    }
    await touchPublished(tx, ids);
    return count;
  });
  if (queued > 0) ctx.outboxWritten();
  return queued;
}
