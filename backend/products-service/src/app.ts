import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import {
  requireJsonBody,
  createObservability,
  csrfProtection,
  expressErrorHandler,
  expressNotFound,
  jsonBody,
  observabilityRoutes,
  requestLogging,
  type Logger,
  type Observability,
  type TokenVerifier,
} from '@market/kit';
import type { ProductsConfig } from './config';
import type { Db } from './data/db';
import type { ImageStore } from './data/image-store';
import { createCatalog } from './domain/catalog';
import { createProductImages } from './domain/product-images';
import { imageRoutes } from './http/image-routes';
import { productRoutes } from './http/product-routes';
import { notSharedByDefault } from './http/shared-caching';

export interface AppDeps {
  logger: Logger;
  pool: Pool;
  db: Db;
  redis: Redis;
  verify: TokenVerifier;
  imageStore: ImageStore;
  config: Pick<
    ProductsConfig,
    'IMAGE_PUBLIC_BASE_URL' | 'IMAGE_MAX_BYTES' | 'IMAGE_MAX_PIXELS' | 'CATALOG_CACHE_SECONDS'
  >;
  /** Shared with the inventory worker so its stream metrics appear on /metrics; made here when absent. */
  observability?: Observability;
}

export function createProductsObservability(pool: Pool, redis: Redis): Observability {
  return createObservability('products-service', {
    postgres: () => pool.query('select 1'),
    redis: () => redis.ping(),
  });
}

export function buildApp(deps: AppDeps): Express {
  const { logger, pool, db, redis } = deps;
  const observability = deps.observability ?? createProductsObservability(pool, redis);
  const { router: observabilityRouter, measure } = observabilityRoutes(observability);
  const catalog = createCatalog(db, deps.config.IMAGE_PUBLIC_BASE_URL, deps.config.CATALOG_CACHE_SECONDS);
  const images = createProductImages({
    db,
    store: deps.imageStore,
    logger,
    imageBaseUrl: deps.config.IMAGE_PUBLIC_BASE_URL,
    maxPixels: deps.config.IMAGE_MAX_PIXELS,
  });

  const app = express();
  app.set('trust proxy', 'loopback, uniquelocal');
  app.set('query parser', 'simple');
  app.use(requestLogging(logger));
  app.use(helmet());
  app.use(measure);
  app.use(observabilityRouter);
  app.use(
    '/api/products',
    notSharedByDefault,
    cookieParser(),
    csrfProtection,
    // Before the JSON-only gate: an upload is multipart.
    imageRoutes({ db, images, verify: deps.verify, maxBytes: deps.config.IMAGE_MAX_BYTES }),
    requireJsonBody,
    jsonBody('100kb'),
    productRoutes({ catalog, verify: deps.verify, sharedCacheSeconds: deps.config.CATALOG_CACHE_SECONDS }),
  );
  app.use(expressNotFound);
  app.use(expressErrorHandler(logger));
  return app;
}
