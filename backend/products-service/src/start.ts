import Redis from 'ioredis';
import {
  answerClientErrors,
  closeGracefully,
  createPool,
  createSessionRevocations,
  createTokenVerifier,
  runMigrations,
  runService,
  sagaStreams,
  startSagaMetrics,
  type Closer,
  type Logger,
} from '@market/kit';
import { buildApp, createProductsObservability } from './app';
import { loadConfig, type ProductsConfig } from './config';
import { createDb, MIGRATIONS_FOLDER } from './data/db';
import { imageStoreFor } from './data/image-store';
import { seedDemoCatalog } from './domain/demo-catalog';
import { startInventoryWorker } from './messaging/inventory-worker';

async function start(config: ProductsConfig, logger: Logger): Promise<void> {
  const pool = createPool(config);
  await runMigrations(config.DATABASE_MIGRATION_URL ?? pool, MIGRATIONS_FOLDER, { logger });
  const db = createDb(pool);
  const imageStore = imageStoreFor(config);
  if (config.DEMO_MODE) await seedDemoCatalog(db, logger, imageStore);

  // Readiness only: the worker and the relay open their own connections. Connects in the
  // background, so the catalog serves (and /ready says not ready) while Redis is down at start.
  const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', (err) => logger.warn({ err }, 'redis connection problem'));

  const observability = createProductsObservability(pool, redis);
  const verify = createTokenVerifier({
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    publicKey: config.JWT_PUBLIC_KEY,
    jwksUrl: config.JWKS_URL,
    revocations: createSessionRevocations({ redis, logger, registry: observability.registry }),
    acceptPlainCookie: config.NODE_ENV !== 'production',
  });
  // In-process, the worker still gets a pool of its own: catalog traffic never starves the consumer.
  const workerPool = config.RUN_INVENTORY_WORKER ? createPool(config, 4) : undefined;
  const worker = workerPool
    ? startInventoryWorker({
        pool: workerPool,
        db: createDb(workerPool),
        config,
        logger,
        registry: observability.registry,
      })
    : undefined;
  // Saga metrics where this process does stream work; otherwise the inventory workers serve them.
  const sagaMetrics = worker
    ? startSagaMetrics({
        registry: observability.registry,
        redisUrl: config.REDIS_URL,
        streams: sagaStreams(config),
        pool,
        logger,
      })
    : undefined;

  const app = buildApp({ logger, pool, db, redis, verify, observability, imageStore, config });
  // Refusals of Node's parser (headers over 16 kB, a broken request line) get the envelope too.
  const server = answerClientErrors(
    app.listen(config.PORT, config.HOST, () => {
      logger.info(
        { host: config.HOST, port: config.PORT, demoMode: config.DEMO_MODE, worker: Boolean(worker) },
        'products-service listening',
      );
    }),
  );
  const closers: Closer[] = [
    {
      name: 'http',
      close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
    },
  ];
  if (worker) closers.push({ name: 'inventory-worker', close: () => worker.stop() });
  if (sagaMetrics) closers.push({ name: 'saga-metrics', close: () => sagaMetrics.close() });
  closers.push(
    { name: 'redis', close: () => redis.quit() },
    { name: 'postgres', close: () => Promise.all([pool.end(), workerPool?.end()]) },
  );
  closeGracefully(logger, closers);
}

runService({ name: 'products-service', loadConfig, start });
