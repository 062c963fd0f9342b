/**
 * The inventory worker on its own (dist/worker-start.js): the products consumer group on
 * ORDERS_STREAM plus the relay of inventory.result replies to INVENTORY_STREAM, without HTTP.
 * start.js runs the same worker in-process (unless RUN_INVENTORY_WORKER=false); this entry
 * exists for running more consumers and for saga tests that SIGKILL the worker.
 *
 * Env: DATABASE_URL, REDIS_URL (required); NODE_ENV, LOG_LEVEL, ORDERS_STREAM, INVENTORY_STREAM,
 * CONSUMER_NAME (unique per process), STREAM_MAXLEN, STREAM_BLOCK_MS, STREAM_CLAIM_IDLE_MS,
 * STREAM_MAX_DELIVERIES. Test only: CRASH_AFTER_COMMIT_ONCE=<file> - if the file does not
 * exist, the worker creates it and SIGKILLs itself right after the first committed message,
 * before XACK; restarted with the same env, it runs normally (refused when NODE_ENV=production).
 * Migrates the database on start; stops gracefully on SIGTERM/SIGINT.
 */
import { closeGracefully, createPool, runMigrations, runService, type Logger } from '@market/kit';
import { loadWorkerConfig, type WorkerConfig } from './config';
import { createDb, MIGRATIONS_FOLDER } from './data/db';
import { startInventoryWorker } from './messaging/inventory-worker';

async function start(config: WorkerConfig, logger: Logger): Promise<void> {
  const pool = createPool(config.DATABASE_URL);
  await runMigrations(pool, MIGRATIONS_FOLDER);
  const worker = startInventoryWorker({ pool, db: createDb(pool), config, logger });
  logger.info({ stream: config.ORDERS_STREAM, consumer: config.CONSUMER_NAME }, 'inventory worker started');
  closeGracefully(logger, [
    { name: 'inventory-worker', close: () => worker.stop() },
    { name: 'postgres', close: () => pool.end() },
  ]);
}

runService({ name: 'inventory worker', service: 'products-worker', loadConfig: loadWorkerConfig, start });
