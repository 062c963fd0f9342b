import {
  MESSAGE_VERSION,
  encodeInventoryMessage,
  type InventoryResult,
  type OrderCancelled,
  type OrderPlaced,
  type OrdersStreamMessage,
  type StreamFields,
} from '@market/contracts';
import type { ProductRow } from '../data/product-repository';
import type { Reservation, SagaWrites, StoredOutcome } from '../data/saga-repository';
import type { OutcomeStatus } from '../data/schema';
import { decideStock } from './stock-decision';
import { newId } from '@market/kit';

export type SagaOutcome =
  | 'reserved'
  | 'rejected'
  | 'replied-again'
  | 'duplicate'
  | 'placed-after-cancel'
  | 'released'
  | 'cancelled-before-placed'
  | 'already-settled';

/** What the batch read before deciding, all under the locks of its transaction. */
export interface BatchState {
  /** Event ids recorded in the inbox by this batch (lower case): their first delivery. */
  fresh: Set<string>;
  /** Stored outcomes of the batch's orders. */
  outcomes: Map<string, StoredOutcome>;
  /** Unreleased reservations of the orders the batch cancels. */
  reservations: Map<string, Reservation[]>;
  /** The locked products the batch may take stock from or give stock back to. */
  products: Map<string, ProductRow>;
  /** Reply event ids still waiting in the outbox: a copy of their order needs no second reply. */
  awaitingRelay: Set<string>;
}

/** The writes a batch decided on (see saveBatch); outcomes by order, so each order has one row. */
export type BatchWrites = Omit<SagaWrites, 'outcomes' | 'replies'> & {
  outcomes: Map<string, SagaWrites['outcomes'][number]>;
  replies: StreamFields[];
};

function resultMessage(order: OrderPlaced, fields: Pick<InventoryResult, 'status' | 'reason' | 'items'>): StreamFields {
  return encodeInventoryMessage({
    type: 'inventory.result',
    version: MESSAGE_VERSION,
    event_id: newId(),
    order_id: order.order_id,
    correlation_id: order.correlation_id,
    occurred_at: new Date().toISOString(),
    ...fields,
  });
}

/** The answer to an order.cancelled: the give-back is done (or nothing was, nor will be, taken). */
function releasedMessage(cancel: OrderCancelled): StreamFields {
  return encodeInventoryMessage({
    type: 'inventory.released',
    version: MESSAGE_VERSION,
    event_id: newId(),
    order_id: cancel.order_id,
    correlation_id: cancel.correlation_id,
    occurred_at: new Date().toISOString(),
    cancel_event_id: cancel.event_id,
  });
}

/**
 * Decides a batch of orders_stream messages in stream order, in code, over what the batch read:
 * each order placed takes all its lines or nothing from the running stock, each cancel gives back
 * exactly what its order took (and every copy of a cancel is answered with inventory.released),
 * and a message about an order decided earlier in the same batch
 * sees that decision. The result is the set of writes; nothing here touches the database.
 */
export function decideBatch(
  messages: OrdersStreamMessage[],
  state: BatchState,
): { outcomes: SagaOutcome[]; writes: BatchWrites } {
  const writes: BatchWrites = { stock: new Map(), outcomes: new Map(), reservations: [], released: [], replies: [] };
  const outcomes = new Map(state.outcomes);
  const fresh = new Set(state.fresh);
  const awaiting = new Set(state.awaitingRelay);
  /** The first entry of an event id in the batch is its first delivery; later copies are duplicates. */
  const takeFresh = (eventId: string) => fresh.delete(eventId.toLowerCase());

  const settle = (
    orderId: string,
    status: OutcomeStatus,
    reason: string | null = null,
    reply: StreamFields | null = null,
  ) => {
    const earlier = writes.outcomes.get(orderId);
    const known = outcomes.get(orderId);
    // A row that exists (or is written by this batch) keeps its first reason and reply.
    const row = known
      ? { orderId, status, reason: earlier?.reason ?? null, reply: known.reply }
      : { orderId, status, reason, reply };
    writes.outcomes.set(orderId, row);
    outcomes.set(orderId, { status, reply: row.reply });
  };
  const changeStock = (productId: string, delta: number) => {
    const product = state.products.get(productId)!;
    state.products.set(productId, { ...product, stock: product.stock + delta });
    writes.stock.set(productId, (writes.stock.get(productId) ?? 0) + delta);
  };

  function place(order: OrderPlaced): SagaOutcome {
    const first = takeFresh(order.event_id);
    const existing = outcomes.get(order.order_id);
    if (existing?.status === 'CANCELLED') return 'placed-after-cancel';
    if (existing) {
      // A republished order.placed gets the very same answer, unless that answer still waits to be sent.
      const reply = existing.reply;
      if (reply?.event_id && !awaiting.has(reply.event_id)) {
        writes.replies.push(reply);
        awaiting.add(reply.event_id);
      }
      return first ? 'replied-again' : 'duplicate';
    }
    if (!first) return 'duplicate';
    const ids = [...new Set(order.products.map((line) => line.product_id))];
    const locked = ids.flatMap((id) => state.products.get(id) ?? []);
    const decision = decideStock(order.products, locked, order.user_id);
    if (!decision.ok) {
      const reply = resultMessage(order, { status: 'FAILED', reason: decision.reason, items: [] });
      settle(order.order_id, 'REJECTED', decision.reason, reply);
      writes.replies.push(reply);
      awaiting.add(reply.event_id!);
      return 'rejected';
    }
    for (const r of decision.reservations) {
      changeStock(r.productId, -r.quantity);
      writes.reservations.push({ ...r, orderId: order.order_id, released: false });
    }
    const reply = resultMessage(order, { status: 'COMPLETED', reason: '', items: decision.items });
    settle(order.order_id, 'RESERVED', null, reply);
    writes.replies.push(reply);
    awaiting.add(reply.event_id!);
    return 'reserved';
  }

  /** Every copy of a cancel is answered (orders sends it again until it is), once per batch. */
  const answered = new Set<string>();
  function cancel(order: OrderCancelled): SagaOutcome {
    const outcome = giveBack(order);
    if (!answered.has(order.event_id.toLowerCase())) {
      answered.add(order.event_id.toLowerCase());
      writes.replies.push(releasedMessage(order));
    }
    return outcome;
  }

  function giveBack(order: OrderCancelled): SagaOutcome {
    if (!takeFresh(order.event_id)) return 'duplicate';
    const existing = outcomes.get(order.order_id);
    if (!existing) {
      // The cancel overtook its order.placed: a tombstone, so the placed never takes stock.
      settle(order.order_id, 'CANCELLED');
      return 'cancelled-before-placed';
    }
    if (existing.status !== 'RESERVED') return 'already-settled';
    const takenInBatch = writes.reservations.filter((r) => r.orderId === order.order_id && !r.released);
    if (takenInBatch.length > 0) {
      for (const r of takenInBatch) r.released = true;
    } else {
      writes.released.push(order.order_id);
    }
    const given = takenInBatch.length > 0 ? takenInBatch : (state.reservations.get(order.order_id) ?? []);
    for (const r of given) changeStock(r.productId, r.quantity);
    settle(order.order_id, 'CANCELLED');
    return 'released';
  }

  const results = messages.map((message) => (message.type === 'order.placed' ? place(message) : cancel(message)));
  return { outcomes: results, writes };
}
