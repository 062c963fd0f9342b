/**
 * The inventory worker on its own (dist/worker-start.js): the products consumer group on
 * ORDERS_STREAM plus the relay of inventory.result replies to INVENTORY_STREAM, without the API;
 * /health, /ready and /metrics on PORT (default 3004). Run one or more beside products-service
 * started with RUN_INVENTORY_WORKER=false (as `npm start` and the compose stack do), so the
 * consumer never competes with catalog traffic; saga tests also SIGKILL it.
 * Migrates the database on start; stops gracefully on SIGTERM/SIGINT.
 */
import { runService, runWorkerProcess, type Logger } from '@market/kit';
import { loadWorkerConfig, type WorkerConfig } from './config';
import { createDb, MIGRATIONS_FOLDER } from './data/db';
import { startInventoryWorker } from './messaging/inventory-worker';

const start = (config: WorkerConfig, logger: Logger) =>
  runWorkerProcess({
    name: 'products-worker',
    config,
    logger,
    migrationsFolder: MIGRATIONS_FOLDER,
    describe: { stream: config.ORDERS_STREAM, consumer: config.CONSUMER_NAME },
    start: (pool, registry) => {
      const worker = startInventoryWorker({ pool, db: createDb(pool), config, logger, registry });
      return [{ name: 'inventory-worker', close: () => worker.stop() }];
    },
  });

runService({ name: 'inventory worker', service: 'products-worker', loadConfig: loadWorkerConfig, start });
