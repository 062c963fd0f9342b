import type { Order, OrderStatus } from '@market/contracts';
import type { CommittedRow } from '@market/kit';
import type { Db } from '../data/db';
import type { BacklogGate } from '../messaging/backlog-gate';

/** What the use cases need: the database, the stream they write to, and who to tell after a commit. */
export interface OrdersContext {
  db: Db;
  ordersStream: string;
  /** Where every status change of an order is published (order.status_changed), from the outbox. */
  orderEventsStream: string;
  /** Called after a commit that wrote an outbox row, so the relay publishes it without waiting. */
  outboxWritten(): void;
  /** Called with the outbox rows a commit wrote, to publish them at once (the relay is the safety net). */
  outboxCommitted(rows: CommittedRow[]): void;
  /** Called after a new order was committed, with its buyer: this replica's event streams may start from it. */
  orderAccepted(order: Order, buyerId: string): void;
  /** Called after a commit that changed an order's status, so live views refresh; with the order as it now is, they need not read it. */
  statusChanged(orderId: string, order?: Order): void;
  /** Called after a commit that moved an order into a final status (COMPLETED, FAILED, CANCELLED) from `from`: metrics. */
  finalized(order: Order, from: OrderStatus): void;
  /** Whether the pipeline has room for another order (ORDERS_MAX_BACKLOG). */
  backlog: BacklogGate;
}
