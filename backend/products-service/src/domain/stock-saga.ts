import { decodeOrdersMessage, type OrdersStreamMessage } from '@market/contracts';
import { decodeBatch, type BatchFailures, type CommittedRow, type StreamEntry } from '@market/kit';
import type { Db, Tx } from '../data/db';
import { lockProducts } from '../data/product-repository';
import {
  awaitingRelayOf,
  findOutcomes,
  findReservations,
  lockOrders,
  recordProcessedBatch,
  saveBatch,
} from '../data/saga-repository';
import { decideBatch, type SagaOutcome } from './stock-batch';

export type { SagaOutcome } from './stock-batch';

export interface SagaContext {
  db: Db;
  /** The stream the messages come from, recorded with each processed event id. */
  ordersStream: string;
  /** Where inventory.result replies go (through the outbox). */
  inventoryStream: string;
}

export interface AppliedMessage {
  entryId: string;
  orderId: string;
  type: OrdersStreamMessage['type'];
  outcome: SagaOutcome;
}

export interface BatchResult {
  /** Entries that can never apply (dead-lettered by the consumer). */
  failures: BatchFailures;
  applied: AppliedMessage[];
  /** The outbox rows the batch committed (its replies), for the relay to publish at once. */
  replies: CommittedRow[];
}

const sortedUnique = (ids: string[]) => [...new Set(ids)].sort();

/** Reads what the batch decides over, under its locks: per-order locks first, then products in id order. */
async function readState(tx: Tx, ctx: SagaContext, messages: OrdersStreamMessage[]) {
  const fresh = await recordProcessedBatch(
    tx,
    messages.map((m) => m.event_id.toLowerCase()),
    ctx.ordersStream,
  );
  const orderIds = sortedUnique(messages.map((m) => m.order_id));
  await lockOrders(tx, orderIds);
  const outcomes = await findOutcomes(tx, orderIds);
  const isFresh = (m: OrdersStreamMessage) => fresh.has(m.event_id.toLowerCase());
  const reservations = await findReservations(
    tx,
    messages
      .filter((m) => m.type === 'order.cancelled' && isFresh(m) && outcomes.get(m.order_id)?.status === 'RESERVED')
      .map((m) => m.order_id),
  );
  const productIds = sortedUnique([
    ...messages
      .filter((m) => m.type === 'order.placed' && isFresh(m))
      .flatMap((m) => m.products.map((line) => line.product_id)),
    ...[...reservations.values()].flat().map((r) => r.productId),
  ]);
  const products = new Map((await lockProducts(tx, productIds)).map((p) => [p.id, p]));
  // Copies of orders decided earlier are answered again, unless that answer still waits in the outbox.
  const earlierReplies = messages
    .filter((m) => m.type === 'order.placed')
    .flatMap((m) => outcomes.get(m.order_id)?.reply?.event_id ?? []);
  const awaitingRelay = await awaitingRelayOf(tx, earlierReplies);
  return { fresh, outcomes, reservations, products, awaitingRelay };
}

/**
 * Applies a batch of orders_stream entries in ONE transaction: inbox dedupe of every event id in
 * one statement, per-order locks, the batch's products locked in id order, then every decision
 * in code (each order all lines or none; see decideBatch) and all the writes in one statement.
 * Entries that fail validation are returned as failures and take no part; any other error rolls
 * the whole batch back (the consumer then retries its entries one by one).
 */
export async function applyOrdersBatch(ctx: SagaContext, entries: StreamEntry[]): Promise<BatchResult> {
  const { valid, failures } = decodeBatch(entries, decodeOrdersMessage);
  if (valid.length === 0) return { failures, applied: [], replies: [] };
  // Ids compared in code are compared as PostgreSQL stores them (lower case), as its uuid type compares them.
  const messages = valid.map(({ message }) => ({
    ...message,
    order_id: message.order_id.toLowerCase(),
    products: message.products.map((line) => ({ ...line, product_id: line.product_id.toLowerCase() })),
  }));
  const { outcomes, replies } = await ctx.db.transaction(async (tx) => {
    const decided = decideBatch(messages, await readState(tx, ctx, messages));
    const { writes } = decided;
    const replies = await saveBatch(tx, {
      ...writes,
      outcomes: [...writes.outcomes.values()],
      replies: writes.replies.map((fields) => ({ stream: ctx.inventoryStream, fields })),
    });
    return { outcomes: decided.outcomes, replies };
  });
  const applied = valid.map(({ entryId, message }, i) => ({
    entryId,
    orderId: message.order_id,
    type: message.type,
    outcome: outcomes[i]!,
  }));
  return { failures, applied, replies };
}
