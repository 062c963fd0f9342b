import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { ORDERS_GROUP } from '@market/contracts';
import {
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
import { applyInventoryResult } from '../domain/apply-inventory-result';
import type { OrdersContext } from '../domain/context';
import { startRepublisher, type Republisher } from './republisher';
import type { StatusNotifier } from './status-notifier';

export type MessagingConfig = StreamConnectionConfig & Pick<OrdersConfig, 'ORDERS_STREAM' | 'INVENTORY_STREAM' | 'PENDING_REPUBLISH_AFTER_SECONDS'>;

export interface MessagingDeps {
  pool: Pool;
  db: Db;
  config: MessagingConfig;
  logger: Logger;
  notifier: StatusNotifier;
  registry?: Registry;
  /** How often the republisher looks for stale PENDING and CANCELLED orders; default: every 5 s or half the grace. */
  republishIntervalMs?: number;
}

export interface Messaging {
  /** The context the HTTP use cases share, wired to wake the relay and notify SSE clients. */
  context: OrdersContext;
  relay: OutboxRelay;
  consumer: StreamConsumer;
  republisher: Republisher;
  inboxPruner: InboxPruner;
  stop(): Promise<void>;
}

/**
 * The orders side of the saga: the outbox relay (order.placed / order.cancelled →
 * ORDERS_STREAM), the inventory.result consumer (group "orders" on INVENTORY_STREAM) and
 * the republisher of order.placed for orders still PENDING and of order.cancelled for
 * CANCELLED orders after the grace period; and the pruner of old inbox rows (safe: replies apply
 * through guarded transitions; see kit's inbox-pruner).
 */
export function startMessaging(deps: MessagingDeps): Messaging {
  const { config, logger } = deps;
  const relay = startOutboxRelay(relayOptions(config, { pool: deps.pool, logger }));
  const context: OrdersContext = {
    db: deps.db,
    ordersStream: config.ORDERS_STREAM,
    outboxWritten: () => relay.notify(),
    statusChanged: (orderId) => deps.notifier.changed(orderId),
  };
  const consumer = startStreamConsumer(
    consumerOptions(config, {
      stream: config.INVENTORY_STREAM,
      group: ORDERS_GROUP,
      logger,
      registry: deps.registry,
      handle: async (entry) => {
        const outcome = await applyInventoryResult(context, config.INVENTORY_STREAM, entry.fields);
        if (outcome === 'unknown-order') logger.warn({ entryId: entry.id }, 'inventory result for an unknown order; skipped');
      },
    }),
  );
  const graceSeconds = config.PENDING_REPUBLISH_AFTER_SECONDS;
  const republisher = startRepublisher(context, {
    graceSeconds,
    intervalMs: deps.republishIntervalMs ?? Math.min(5000, (graceSeconds * 1000) / 2),
    logger,
  });
  const inboxPruner = startInboxPruner({ pool: deps.pool, logger });

  return {
    context,
    relay,
    consumer,
    republisher,
    inboxPruner,
    async stop() {
      await republisher.stop();
      await inboxPruner.stop();
      await consumer.stop();
      await relay.stop();
    },
  };
}
