import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { PRODUCTS_GROUP } from '@market/contracts';
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
import type { WorkerConfig } from '../config';
import type { Db } from '../data/db';
import { applyUserEvents } from '../domain/erase-seller';
import { applyOrdersBatch } from '../domain/stock-saga';

export type InventoryWorkerConfig = StreamConnectionConfig &
  Pick<WorkerConfig, 'ORDERS_STREAM' | 'INVENTORY_STREAM' | 'USER_EVENTS_STREAM'>;

export interface InventoryWorkerDeps {
  pool: Pool;
  db: Db;
  config: InventoryWorkerConfig;
  logger: Logger;
  registry?: Registry;
  /** Relay poll interval when idle (tests shorten it). */
  relayIdleDelayMs?: number;
}

export interface InventoryWorker {
  consumer: StreamConsumer;
  /** user.deleted from auth-service: a deleted seller's products leave the catalog. */
  userEvents: StreamConsumer;
  relay: OutboxRelay;
  inboxPruner: InboxPruner;
  stop(): Promise<void>;
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/**
 * The products side of the stock saga: consumer group "products" on ORDERS_STREAM (kit
 * consumer: dedicated blocking connection, pending re-read, XAUTOCLAIM, dead letters),
 * the relay that publishes the inventory.result replies from the outbox, and the pruner of old
 * inbox rows (safe: a copy of a decided order is answered from order_outcomes; see kit's inbox-pruner);
 * and, in the same group on USER_EVENTS_STREAM, user.deleted.
 */
export function startInventoryWorker(deps: InventoryWorkerDeps): InventoryWorker {
  const { config, logger } = deps;
  const log = logger.child({ component: 'inventory-worker' });
  // Replies are published right after their batch commits; the relay's passes send what that missed.
  const relay = startOutboxRelay(
    relayOptions(config, {
      pool: deps.pool,
      logger,
      idleDelayMs: deps.relayIdleDelayMs,
      directGraceMs: DIRECT_GRACE_MS,
    }),
  );
  const inboxPruner = startInboxPruner({ pool: deps.pool, logger });
  const context = { db: deps.db, ordersStream: config.ORDERS_STREAM, inventoryStream: config.INVENTORY_STREAM };
  const consumer = startStreamConsumer(
    consumerOptions(config, {
      stream: config.ORDERS_STREAM,
      group: PRODUCTS_GROUP,
      logger,
      registry: deps.registry,
      handleBatch: async (entries) => {
        const result = await applyOrdersBatch(context, entries);
        for (const m of result.applied) {
          log.debug(
            { entryId: m.entryId, orderId: m.orderId, type: m.type, outcome: m.outcome },
            'orders message applied',
          );
        }
        log.info(
          { applied: result.applied.length, outcomes: countBy(result.applied.map((m) => m.outcome)) },
          'orders batch applied',
        );
        relay.publishCommitted(result.replies);
        return result.failures;
      },
    }),
  );
  const userEvents = startStreamConsumer(
    consumerOptions(config, {
      stream: config.USER_EVENTS_STREAM,
      group: PRODUCTS_GROUP,
      logger,
      registry: deps.registry,
      handleBatch: (entries) => applyUserEvents(deps.db, entries),
    }),
  );
  return {
    consumer,
    userEvents,
    relay,
    inboxPruner,
    async stop() {
      await userEvents.stop();
      await consumer.stop();
      await relay.stop();
      await inboxPruner.stop();
    },
  };
}
