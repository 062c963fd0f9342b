import { Redis } from 'ioredis';
import { closeGracefully, createObservability, createPool, runMigrations, runService, type Logger } from '@market/kit';
import { buildApp } from './app';
import { loadConfig, type OrdersConfig } from './config';
import { createDb, MIGRATIONS_FOLDER } from './data/db';
import { startMessaging } from './messaging/start-messaging';
import { createStatusNotifier, statusChannel } from './messaging/status-notifier';

async function start(config: OrdersConfig, logger: Logger): Promise<void> {
  const pool = createPool(config.DATABASE_URL);
  await runMigrations(pool, MIGRATIONS_FOLDER);
  const db = createDb(pool);

  // Readiness only: no offline queue, so a Redis outage answers "not ready" at once.
  const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const observability = createObservability('orders-service', {
    postgres: () => pool.query('select 1'),
    redis: () => redis.ping(),
  });
  const notifier = createStatusNotifier({ redisUrl: config.REDIS_URL, channel: statusChannel(config.ORDERS_STREAM), logger });
  const messaging = startMessaging({ pool, db, config, logger, notifier, registry: observability.registry });

  const app = await buildApp({ config, logger, pool, redis, context: messaging.context, notifier, observability });
  await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ host: config.HOST, port: config.PORT, ordersStream: config.ORDERS_STREAM, inventoryStream: config.INVENTORY_STREAM }, 'orders-service listening');

  closeGracefully(logger, [
    { name: 'http', close: () => app.close() },
    { name: 'messaging', close: () => messaging.stop() },
    { name: 'status-notifier', close: () => notifier.close() },
    { name: 'redis', close: async () => redis.disconnect() },
    { name: 'postgres', close: () => pool.end() },
  ]);
}

runService({ name: 'orders-service', loadConfig, start });
