import {
  InvalidMessageError,
  decodeInventoryMessage,
  encodeOrdersMessage,
  type InventoryReleased,
  type InventoryResult,
  type InventoryStreamMessage,
  type Order,
  type OrderStatus,
  type StreamFields,
} from '@market/contracts';
import { decodeBatch, type BatchFailures, type CommittedRow, type StreamEntry, newId } from '@market/kit';
import {
  confirmGiveBacks,
  findOrder,
  lockOrdersById,
  settleOrders,
  storeMissingCancelEvent,
  touchPublished,
  type ItemRecord,
  type OrderRecord,
  type Settlement,
  type SettledRow,
} from '../data/order-repository';
import { toOrder } from './order-shapes';
import { enqueue, enqueueMany, forgetProcessed, recordProcessedBatch } from '../data/outbox-repository';
import { statusChangedRow } from './order-events';
import type { Tx } from '../data/db';
import type { OrdersContext } from './context';
import { cancelledMessage } from './order-messages';
import { canTransition } from './order-status';

export type ResultOutcome = 'applied' | 'duplicate' | 'stale' | 'give-back' | 'unknown-order' | 'give-back-confirmed';

function checked(fields: StreamFields): InventoryStreamMessage {
  const result = decodeInventoryMessage(fields);
  if (result.type === 'inventory.released') return result;
  if (result.status === 'FAILED' && result.reason === '')
    throw new InvalidMessageError('a FAILED result needs a reason', ['reason: empty']);
  if (result.status === 'COMPLETED' && result.items.length === 0)
    throw new InvalidMessageError('a COMPLETED result needs its priced items', ['items: empty']);
  return result;
}

/**
 * The total is summed from the order's lines at the prices of the reply: a reply that leaves a
 * line out (its price would stay the buyer's) or names other lines or quantities is refused.
 */
function assertPricesEveryLine(order: OrderRecord, result: InventoryResult): void {
  const ordered = new Map(order.items.map((item) => [item.productId, item.quantity]));
  const issues: string[] = [];
  for (const item of result.items) {
    const quantity = ordered.get(item.product_id);
    if (quantity === undefined) issues.push(`items: ${item.product_id} is not a line of the order (or is named twice)`);
    else if (quantity !== item.quantity)
      issues.push(`items: ${item.product_id} has quantity ${item.quantity}, the order ${quantity}`);
    ordered.delete(item.product_id);
  }
  for (const productId of ordered.keys()) issues.push(`items: the order's line ${productId} is not priced`);
  if (issues.length > 0)
    throw new InvalidMessageError('a COMPLETED result must price every line of its order as ordered', issues);
}

/** The give-back: the buyer cancelled while products was taking the stock; ask for it back with the very same order.cancelled. */
async function askForGiveBack(tx: Tx, ctx: OrdersContext, order: OrderRecord, result: InventoryResult): Promise<void> {
  // products dedupes the order.cancelled by event id if its first copy got through.
  await storeMissingCancelEvent(tx, order.id, { eventId: newId(), correlationId: result.correlation_id });
  const cancelled = (await findOrder(tx, order.id))!;
  await enqueue(tx, ctx.ordersStream, encodeOrdersMessage(cancelledMessage(cancelled)));
  await touchPublished(tx, [order.id]);
}

const pricedLines = (result: InventoryResult): ItemRecord[] =>
  result.items.map((item) => ({
    productId: item.product_id,
    productName: item.product_name,
    sellerId: item.seller_id,
    quantity: item.quantity,
    unitPrice: item.unit_price,
  }));

/** The order as a read after the commit returns it: what the live views and the order event are given without reading it again. */
function settledRecord(before: OrderRecord, settlement: Settlement, row: SettledRow): OrderRecord {
  const priced = new Map(settlement.priced.map((item) => [item.productId, item]));
  return {
    ...before,
    status: settlement.status,
    reason: settlement.reason,
    total: row.total,
    updatedAt: row.updatedAt,
    items: before.items.map((item) => priced.get(item.productId) ?? item),
  };
}

interface Decided {
  /** The orders whose status changed, as they now are, and the status each left. */
  orders: { order: Order; from: OrderStatus }[];
  outcomes: ResultOutcome[];
  /** Replies that passed decoding but can never apply to their order (dead-lettered). */
  refused: Map<number, InvalidMessageError>;
  /** The order.status_changed rows of the settled orders, for a direct publish after the commit. */
  events: CommittedRow[];
}

/**
 * Decides each reply of the batch in stream order against the locked orders (a reply sees the
 * replies before it in the same batch) and writes the transitions in one statement; the answers
 * to give-backs (inventory.released) are recorded in one more.
 */
async function applyAll(
  tx: Tx,
  ctx: OrdersContext,
  stream: string,
  messages: InventoryStreamMessage[],
): Promise<Decided> {
  const fresh = await recordProcessedBatch(
    tx,
    messages.map((r) => r.event_id.toLowerCase()),
    stream,
  );
  const results = messages.filter((m): m is InventoryResult => m.type === 'inventory.result');
  const orders = await lockOrdersById(tx, [...new Set(results.map((r) => r.order_id))]);
  const committed = new Map([...orders].map(([id, order]) => [id, order.status]));
  const released: InventoryReleased[] = [];
  const settlements = new Map<string, Settlement>();
  const refused = new Map<number, InvalidMessageError>();
  const refusedEvents: string[] = [];
  const outcomes: ResultOutcome[] = [];
  for (const [i, result] of messages.entries()) {
    if (!fresh.delete(result.event_id.toLowerCase())) {
      outcomes.push('duplicate');
      continue;
    }
    if (result.type === 'inventory.released') {
      released.push(result);
      outcomes.push('give-back-confirmed');
      continue;
    }
    const order = orders.get(result.order_id);
    if (!order) {
      outcomes.push('unknown-order');
      continue;
    }
    const target = result.status === 'COMPLETED' ? 'COMPLETED' : 'FAILED';
    if (canTransition(order.status, target)) {
      if (target === 'COMPLETED') {
        try {
          assertPricesEveryLine(order, result);
        } catch (error) {
          if (!(error instanceof InvalidMessageError)) throw error;
          refused.set(i, error);
          refusedEvents.push(result.event_id.toLowerCase());
          outcomes.push('stale');
          continue;
        }
      }
      settlements.set(order.id, {
        id: order.id,
        status: target,
        reason: target === 'FAILED' ? result.reason || 'PRODUCT_UNAVAILABLE' : null,
        priced: target === 'COMPLETED' ? pricedLines(result) : [],
      });
      orders.set(order.id, { ...order, status: target });
      outcomes.push('applied');
    } else if (target === 'COMPLETED' && order.status === 'CANCELLED') {
      await askForGiveBack(tx, ctx, order, result);
      outcomes.push('give-back');
    } else {
      outcomes.push('stale');
    }
  }
  const settled = (await settleOrders(tx, [...settlements.values()])).map((row) => ({
    record: settledRecord(orders.get(row.id)!, settlements.get(row.id)!, row),
    from: committed.get(row.id)!,
  }));
  // One statement for the batch's order events, in the transaction that settled the orders.
  const events = await enqueueMany(
    tx,
    settled.map(({ record }) =>
      statusChangedRow(ctx.orderEventsStream, record, record.correlationId, record.updatedAt),
    ),
  );
  await confirmGiveBacks(
    tx,
    released.map((r) => ({ orderId: r.order_id, cancelEventId: r.cancel_event_id.toLowerCase() })),
  );
  // A refused reply leaves no trace in the inbox: replayed from the dead letters once fixed, it applies.
  await forgetProcessed(tx, refusedEvents);
  return {
    outcomes,
    refused,
    orders: settled.map(({ record, from }) => ({ order: toOrder(record), from })),
    events,
  };
}

export interface AppliedResults {
  failures: BatchFailures;
  /** Each reply that took part, by entry id. */
  outcomes: Map<string, ResultOutcome>;
}

/**
 * Applies a batch of inventory_stream entries (inventory.result, inventory.released) in ONE transaction: inbox dedupe of every event id
 * in one statement, the batch's orders locked in id order, each reply decided by the status
 * machine in code, the transitions written in one statement. Invalid replies are returned as
 * failures (the consumer dead-letters them); any other error rolls the whole batch back.
 */
export async function applyInventoryResults(
  ctx: OrdersContext,
  stream: string,
  entries: StreamEntry[],
): Promise<AppliedResults> {
  const { valid, failures } = decodeBatch(entries, checked);
  const outcomes = new Map<string, ResultOutcome>();
  if (valid.length === 0) return { failures, outcomes };
  const decided = await ctx.db.transaction((tx) =>
    applyAll(
      tx,
      ctx,
      stream,
      valid.map((v) => ({ ...v.message, order_id: v.message.order_id.toLowerCase() })),
    ),
  );
  for (const [i, { entryId }] of valid.entries()) {
    const refused = decided.refused.get(i);
    if (refused) {
      failures.set(entryId, refused);
      continue;
    }
    outcomes.set(entryId, decided.outcomes[i]!);
  }
  ctx.outboxCommitted(decided.events);
  for (const { order, from } of decided.orders) {
    ctx.statusChanged(order.id, order);
    ctx.finalized(order, from);
  }
  if (decided.outcomes.includes('give-back')) ctx.outboxWritten();
  return { failures, outcomes };
}
