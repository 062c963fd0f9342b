/**
 * The notifications worker (dist/worker-start.js): keeps its copy of the recipients from
 * USER_EVENTS_STREAM and mails buyers and sellers from ORDER_EVENTS_STREAM; /health, /ready and
 * /metrics on PORT (default 3006). Migrates its database on start; stops gracefully on SIGTERM/SIGINT.
 */
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import {
  closeGracefully,
  closeServer,
  createMailer,
  createObservability,
  createPool,
  runMigrations,
  runService,
  serveWorkerEndpoints,
  type Logger,
} from '@market/kit';
import { loadConfig, type NotificationsConfig } from './config';
import { createDb, MIGRATIONS_FOLDER } from './data/db';
import { startNotifications } from './messaging/start-notifications';

async function start(config: NotificationsConfig, logger: Logger): Promise<void> {
  const pool = createPool(config, 4);
  await runMigrations(config.DATABASE_MIGRATION_URL ?? pool, MIGRATIONS_FOLDER, { logger });
  const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const observability = createObservability('notifications-worker', {
    postgres: () => pool.query('select 1'),
    redis: () => redis.ping(),
  });
  const mailer = createMailer(config, logger);
  const notifications = startNotifications({
    pool,
    db: createDb(pool),
    mailer,
    config,
    logger,
    registry: observability.registry,
  });
  const server = await serveWorkerEndpoints(observability, { host: config.HOST, port: config.PORT });
  logger.info(
    {
      port: (server.address() as AddressInfo).port,
      orderEvents: config.ORDER_EVENTS_STREAM,
      userEvents: config.USER_EVENTS_STREAM,
      consumer: config.CONSUMER_NAME,
    },
    'notifications-worker started',
  );
  closeGracefully(logger, [
    { name: 'http', close: () => closeServer(server) },
    { name: 'notifications', close: () => notifications.stop() },
    { name: 'mailer', close: async () => mailer.close() },
    { name: 'redis', close: async () => redis.disconnect() },
    { name: 'postgres', close: () => pool.end() },
  ]);
}

runService({ name: 'notifications worker', service: 'notifications-worker', loadConfig, start });
