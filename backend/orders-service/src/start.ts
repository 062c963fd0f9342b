import { Redis } from 'ioredis';
import {
  closeGracefully,
  createObservability,
  createPool,
  runMigrations,
  runService,
  sagaStreams,
  startSagaMetrics,
  type Logger,
} from '@market/kit';
import { buildApp } from './app';
import { loadConfig, type OrdersConfig } from './config';
import { createDb, MIGRATIONS_FOLDER } from './data/db';
import { startBacklogGate } from './messaging/backlog-gate';
import { startMessaging } from './messaging/start-messaging';
import { createStatusNotifier, statusChannel } from './messaging/status-notifier';

async function start(config: OrdersConfig, logger: Logger): Promise<void> {
  const pool = createPool(config);
  await runMigrations(config.DATABASE_MIGRATION_URL ?? pool, MIGRATIONS_FOLDER, { logger });
  const db = createDb(pool);

  // Readiness only: no offline queue, so a Redis outage answers "not ready" at once.
  const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const observability = createObservability('orders-service', {
    postgres: () => pool.query('select 1'),
    redis: () => redis.ping(),
  });
  const notifier = createStatusNotifier({
    redisUrl: config.REDIS_URL,
    channel: statusChannel(config.ORDERS_STREAM),
    logger,
  });
  const backlog = startBacklogGate({
    db,
    maxBacklog: config.ORDERS_MAX_BACKLOG,
    logger,
    registry: observability.registry,
  });
  // Messaging gets a pool of its own: a burst of POSTs and event streams never starves the relay or the consumer.
  const messagingPool = createPool(config, 4);
  const messaging = startMessaging({
    pool: messagingPool,
    db: createDb(messagingPool),
    config,
    logger,
    notifier,
    registry: observability.registry,
    consume: config.RUN_ORDERS_WORKER,
    backlog,
  });

  // Every process with an outbox relay shows the saga's state; Prometheus keeps each per instance.
  const sagaMetrics = startSagaMetrics({
    registry: observability.registry,
    redisUrl: config.REDIS_URL,
    streams: sagaStreams(config),
    pool,
    logger,
  });

  const app = await buildApp({
    config,
    logger,
    pool,
    redis,
    context: { ...messaging.context, db },
    notifier,
    observability,
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  logger.info(
    {
      host: config.HOST,
      port: config.PORT,
      ordersStream: config.ORDERS_STREAM,
      inventoryStream: config.INVENTORY_STREAM,
      worker: config.RUN_ORDERS_WORKER,
    },
    'orders-service listening',
  );

  closeGracefully(logger, [
    { name: 'http', close: () => app.close() },
    { name: 'messaging', close: () => messaging.stop() },
    { name: 'saga-metrics', close: () => sagaMetrics.close() },
    { name: 'backlog-gate', close: async () => backlog.stop() },
    { name: 'status-notifier', close: () => notifier.close() },
    { name: 'redis', close: async () => redis.disconnect() },
    { name: 'postgres', close: () => Promise.all([pool.end(), messagingPool.end()]) },
  ]);
}

runService({ name: 'orders-service', loadConfig, start });
