import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { createPool, runMigrations, type DatabaseSettings } from './db';
import type { Logger } from './logger';
import { createObservability } from './observability';
import { closeGracefully, type Closer } from './shutdown';
import { sagaStreams, startSagaMetrics } from './streams/saga-metrics';
import { closeServer, serveWorkerEndpoints } from './worker-endpoints';

export interface WorkerProcessOptions {
  /** The metrics' `service` label, e.g. `orders-worker`. */
  name: string;
  config: DatabaseSettings & {
    REDIS_URL: string;
    HOST: string;
    PORT: number;
    ORDERS_STREAM: string;
    INVENTORY_STREAM: string;
  };
  logger: Logger;
  migrationsFolder: string;
  /** Starts the worker's loops on its pool; returns what to close, in order, before Redis and the pool. */
  start: (pool: Pool, registry: Registry) => Closer[];
  /** Fields of the "started" log line. */
  describe: Record<string, unknown>;
}

/**
 * What every worker process does around its loops: its own pool (migrated first), readiness
 * checks of its database and Redis, /health, /ready and /metrics on PORT (with the saga's
 * streams, groups and this service's outbox: see startSagaMetrics), and a graceful close
 * on SIGTERM/SIGINT (endpoints, then the loops, then Redis and the pool).
 */
export async function runWorkerProcess(options: WorkerProcessOptions): Promise<void> {
  const { config, logger } = options;
  const pool = createPool(config, 4);
  await runMigrations(config.DATABASE_MIGRATION_URL ?? pool, options.migrationsFolder, { logger });
  const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const observability = createObservability(options.name, {
    postgres: () => pool.query('select 1'),
    redis: () => redis.ping(),
  });
  const closers = options.start(pool, observability.registry);
  const sagaMetrics = startSagaMetrics({
    registry: observability.registry,
    redisUrl: config.REDIS_URL,
    streams: sagaStreams(config),
    pool,
    logger,
  });
  const server = await serveWorkerEndpoints(observability, { host: config.HOST, port: config.PORT });
  logger.info({ port: (server.address() as AddressInfo).port, ...options.describe }, `${options.name} started`);
  closeGracefully(logger, [
    { name: 'http', close: () => closeServer(server) },
    ...closers,
    { name: 'saga-metrics', close: () => sagaMetrics.close() },
    { name: 'redis', close: async () => redis.disconnect() },
    { name: 'postgres', close: () => pool.end() },
  ]);
}
