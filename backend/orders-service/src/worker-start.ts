/**
 * The orders worker on its own (dist/worker-start.js): the consumer of inventory.result replies
 * (group "orders"), the republisher of stale order.placed / order.cancelled and the relay of the
 * give-backs it writes, without the API; /health, /ready and /metrics on PORT (default 3005).
 * Run one or more beside orders-service started with RUN_ORDERS_WORKER=false, so the consumer
 * never competes with HTTP traffic for the process or its pool. Stops gracefully on SIGTERM/SIGINT.
 */
import { runService, runWorkerProcess, type Logger } from '@market/kit';
import { loadWorkerConfig, type OrdersWorkerConfig } from './config';
import { createDb, MIGRATIONS_FOLDER } from './data/db';
import { startMessaging } from './messaging/start-messaging';
import { createStatusNotifier, statusChannel } from './messaging/status-notifier';

const start = (config: OrdersWorkerConfig, logger: Logger) =>
  runWorkerProcess({
    name: 'orders-worker',
    config,
    logger,
    migrationsFolder: MIGRATIONS_FOLDER,
    describe: { stream: config.INVENTORY_STREAM, consumer: config.CONSUMER_NAME },
    start: (pool, registry) => {
      // Status changes reach every API replica's event streams through Redis pub/sub.
      const notifier = createStatusNotifier({
        redisUrl: config.REDIS_URL,
        channel: statusChannel(config.ORDERS_STREAM),
        logger,
      });
      const messaging = startMessaging({ pool, db: createDb(pool), config, logger, notifier, registry });
      return [
        { name: 'messaging', close: () => messaging.stop() },
        { name: 'status-notifier', close: () => notifier.close() },
      ];
    },
  });

runService({ name: 'orders worker', service: 'orders-worker', loadConfig: loadWorkerConfig, start });
