import type { Db } from '../data/db';

/** What the use cases need: the database, the stream they write to, and who to tell after a commit. */
export interface OrdersContext {
  db: Db;
  ordersStream: string;
  /** Called after a commit that wrote an outbox row, so the relay publishes it without waiting. */
  outboxWritten(): void;
  /** Called after a commit that changed an order's status, so live views refresh. */
  statusChanged(orderId: string): void;
}
