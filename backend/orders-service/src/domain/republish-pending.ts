import { encodeOrdersMessage } from '@market/contracts';
import { findOrder, lockStalePending, touchPlacedPublished, type Retry } from '../data/order-repository';
import { enqueue, isAwaitingRelay } from '../data/outbox-repository';
import type { OrdersContext } from './context';
import { placedMessage } from './order-messages';

/**
 * Orders still PENDING get the same order.placed event (same event_id) into the outbox again,
 * with capped exponential backoff (see backoffDue): covers a message Redis lost (AOF's last
 * second) or one dead-lettered downstream, without adding load in step with the backlog when the
 * system is behind. Consumers dedupe, so a slow answer costs nothing. Rows are locked with SKIP
 * LOCKED, so replicas share the work. Returns how many were queued.
 */
export async function republishStalePending(ctx: OrdersContext, retry: Retry, limit = 100): Promise<number> {
  const queued = await ctx.db.transaction(async (tx) => {
    const ids = await lockStalePending(tx, retry, limit);
    let count = 0;
    for (const id of ids) {
      const order = await findOrder(tx, id);
      // While Redis is down the first copy still waits in the outbox: no need for another.
      if (!order || (await isAwaitingRelay(tx, order.placedEventId))) continue;
      await enqueue(tx, ctx.ordersStream, encodeOrdersMessage(placedMessage(order)));
      count += 1;
    }
    await touchPlacedPublished(tx, ids);
    return count;
  });
  if (queued > 0) ctx.outboxWritten();
  return queued;
}
