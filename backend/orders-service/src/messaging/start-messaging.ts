import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { ORDERS_GROUP } from '@market/contracts';
import {
  DIRECT_GRACE_MS,
  consumerOptions,
  relayOptions,
  startInboxPruner,
  startOutboxRelay,
  startStreamConsumer,
  type InboxPruner,
  type Logger,
  type OutboxRelay,
  type StreamConnectionConfig,
  type StreamConsumer,
} from '@market/kit';
import type { OrdersConfig } from '../config';
import type { Db } from '../data/db';
import { applyInventoryResults } from '../domain/apply-inventory-result';
import { applyUserEvents } from '../domain/erase-user-data';
import type { OrdersContext } from '../domain/context';
import { countUnconfirmedGiveBacks } from '../data/order-repository';
import { openGate, type BacklogGate } from './backlog-gate';
import { orderMetrics } from './order-metrics';
import { startRepublisher, type Republisher } from './republisher';
import type { StatusNotifier } from './status-notifier';

export type MessagingConfig = StreamConnectionConfig &
  Pick<
    OrdersConfig,
    | 'ORDERS_STREAM'
    | 'INVENTORY_STREAM'
    | 'PENDING_REPUBLISH_AFTER_SECONDS'
    | 'REPUBLISH_BACKOFF_MAX_SECONDS'
    | 'ORDER_DEADLINE_SECONDS'
    | 'CART_TTL_DAYS'
    | 'USER_EVENTS_STREAM'
    | 'ORDER_EVENTS_STREAM'
    | 'ORDER_EVENTS_MAXLEN'
  >;

export interface MessagingDeps {
  pool: Pool;
  db: Db;
  config: MessagingConfig;
  logger: Logger;
  notifier: StatusNotifier;
  registry?: Registry;
  /** How often the republisher looks for stale PENDING and CANCELLED orders; default: every 5 s or half the grace. */
  republishIntervalMs?: number;
  /**
   * False for an API process whose replies are applied by orders workers (RUN_ORDERS_WORKER=false):
   * then only the relay runs here, publishing the orders this process accepts.
   */
  consume?: boolean;
  /** The bound on unsettled orders that POST checks; none for a worker. */
  backlog?: BacklogGate;
  /**
   * API processes publish the orders and cancels they commit themselves, right after the commit;
   * every relay on this outbox (API or worker) leaves rows this young to them in its timed passes,
   * or it would publish each one a second time. Default 2000.
   */
  directGraceMs?: number;
}

export interface Messaging {
  /** The context the HTTP use cases share, wired to wake the relay and notify SSE clients. */
  context: OrdersContext;
  relay: OutboxRelay;
  /** The consuming side; absent when `consume` is false. */
  worker?: {
    consumer: StreamConsumer;
    /** user.deleted from auth-service (same group name, its own stream). */
    userEvents: StreamConsumer;
    republisher: Republisher;
    inboxPruner: InboxPruner;
    cartPruner: InboxPruner;
  };
  stop(): Promise<void>;
}

/**
 * The orders side of the saga: the outbox relay (order.placed / order.cancelled →
 * ORDERS_STREAM, order.status_changed → ORDER_EVENTS_STREAM), the inventory.result consumer (group "orders" on INVENTORY_STREAM) and
 * the republisher (PENDING orders time out after ORDER_DEADLINE_SECONDS; order.placed of orders
 * still PENDING and unanswered give-backs are sent again with capped backoff); and the pruners of old inbox rows (safe: replies apply
 * through guarded transitions; see kit's inbox-pruner) and of expired carts.
 */
export function startMessaging(deps: MessagingDeps): Messaging {
  const { config, logger } = deps;
  const metrics = orderMetrics(deps.registry);
  const relay = startOutboxRelay(
    relayOptions(config, {
      pool: deps.pool,
      logger,
      directGraceMs: deps.directGraceMs ?? DIRECT_GRACE_MS,
      maxLenOf: { [config.ORDER_EVENTS_STREAM]: config.ORDER_EVENTS_MAXLEN },
    }),
  );
  const context: OrdersContext = {
    db: deps.db,
    ordersStream: config.ORDERS_STREAM,
    orderEventsStream: config.ORDER_EVENTS_STREAM,
    outboxWritten: () => relay.notify(),
    outboxCommitted: (rows) => relay.publishCommitted(rows),
    orderAccepted: (order, buyerId) => deps.notifier.remember(order, buyerId),
    statusChanged: (orderId, order) => deps.notifier.changed(orderId, order),
    finalized: (order, from) => metrics.finalized(order, from),
    backlog: deps.backlog ?? openGate,
  };
  if (deps.consume === false) return { context, relay, stop: () => relay.stop() };

  const consumer = startStreamConsumer(
    consumerOptions(config, {
      stream: config.INVENTORY_STREAM,
      group: ORDERS_GROUP,
      logger,
      registry: deps.registry,
      handleBatch: async (entries) => {
        const { failures, outcomes } = await applyInventoryResults(context, config.INVENTORY_STREAM, entries);
        for (const [entryId, outcome] of outcomes) {
          if (outcome === 'unknown-order') logger.warn({ entryId }, 'inventory result for an unknown order; skipped');
        }
        return failures;
      },
    }),
  );
  const userEvents = startStreamConsumer(
    consumerOptions(config, {
      stream: config.USER_EVENTS_STREAM,
      group: ORDERS_GROUP,
      logger,
      registry: deps.registry,
      handleBatch: (entries) => applyUserEvents(deps.db, entries),
    }),
  );
  const graceSeconds = config.PENDING_REPUBLISH_AFTER_SECONDS;
  const republisher = startRepublisher(context, {
    retry: { graceSeconds, capSeconds: Math.max(graceSeconds, config.REPUBLISH_BACKOFF_MAX_SECONDS) },
    deadlineSeconds: config.ORDER_DEADLINE_SECONDS,
    intervalMs: deps.republishIntervalMs ?? Math.min(5000, (graceSeconds * 1000) / 2),
    logger,
    afterPass: async () => metrics.setUnconfirmedGiveBacks(await countUnconfirmedGiveBacks(deps.db, 100_000)),
  });
  const inboxPruner = startInboxPruner({ pool: deps.pool, logger });
  // Carts nobody saved for CART_TTL_DAYS already read as empty; this keeps the table small.
  const cartPruner = startInboxPruner({
    pool: deps.pool,
    logger,
    table: 'carts',
    keyColumn: 'user_id',
    timeColumn: 'updated_at',
    retainMs: config.CART_TTL_DAYS * 86_400_000,
    intervalMs: 3_600_000,
    what: 'expired carts',
  });

  return {
    context,
    relay,
    worker: { consumer, userEvents, republisher, inboxPruner, cartPruner },
    async stop() {
      await republisher.stop();
      await inboxPruner.stop();
      await cartPruner.stop();
      await userEvents.stop();
      await consumer.stop();
      await relay.stop();
    },
  };
}
