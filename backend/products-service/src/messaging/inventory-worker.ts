import { existsSync, writeFileSync } from 'node:fs';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { PRODUCTS_GROUP } from '@market/contracts';
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
import type { WorkerConfig } from '../config';
import type { Db } from '../data/db';
import { applyOrdersMessage } from '../domain/stock-saga';

export type InventoryWorkerConfig = StreamConnectionConfig & Pick<WorkerConfig, 'ORDERS_STREAM' | 'INVENTORY_STREAM' | 'CRASH_AFTER_COMMIT_ONCE'>;

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
  relay: OutboxRelay;
  inboxPruner: InboxPruner;
  stop(): Promise<void>;
}

/** The test-only crash between COMMIT and XACK (see CRASH_AFTER_COMMIT_ONCE in config.ts). */
function crashAfterCommitOnce(marker: string | undefined, logger: Logger): () => void {
  if (!marker) return () => undefined;
  return () => {
    if (existsSync(marker)) return;
    writeFileSync(marker, `${process.pid}\n`);
    logger.warn({ marker }, 'CRASH_AFTER_COMMIT_ONCE: killing this process after COMMIT, before XACK');
    process.kill(process.pid, 'SIGKILL');
  };
}

/**
 * The products side of the stock saga: consumer group "products" on ORDERS_STREAM (kit
 * consumer: dedicated blocking connection, pending re-read, XAUTOCLAIM, dead letters),
 * the relay that publishes the inventory.result replies from the outbox, and the pruner of old
 * inbox rows (safe: a copy of a decided order is answered from order_outcomes; see kit's inbox-pruner).
 */
export function startInventoryWorker(deps: InventoryWorkerDeps): InventoryWorker {
  const { config, logger } = deps;
  const log = logger.child({ component: 'inventory-worker' });
  const relay = startOutboxRelay(relayOptions(config, { pool: deps.pool, logger, idleDelayMs: deps.relayIdleDelayMs }));
  const inboxPruner = startInboxPruner({ pool: deps.pool, logger });
  const crashHook = crashAfterCommitOnce(config.CRASH_AFTER_COMMIT_ONCE, log);
  const context = { db: deps.db, ordersStream: config.ORDERS_STREAM, inventoryStream: config.INVENTORY_STREAM };
  const consumer = startStreamConsumer(
    consumerOptions(config, {
      stream: config.ORDERS_STREAM,
      group: PRODUCTS_GROUP,
      logger,
      registry: deps.registry,
      handle: async (entry) => {
        const result = await applyOrdersMessage(context, entry.fields);
        log.info({ entryId: entry.id, orderId: result.orderId, type: result.type, outcome: result.outcome, correlationId: entry.fields.correlation_id }, 'orders message applied');
        if (result.replied) relay.notify();
        crashHook();
      },
    }),
  );
  return {
    consumer,
    relay,
    inboxPruner,
    async stop() {
      await consumer.stop();
      await relay.stop();
      await inboxPruner.stop();
    },
  };
}
