import cookieParser from 'cookie-parser';
import express, { type Express, type RequestHandler } from 'express';
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
import type { Db } from './data/db';
import { createCatalog } from './domain/catalog';
import { productRoutes } from './http/product-routes';

export interface AppDeps {
  logger: Logger;
  pool: Pool;
  db: Db;
  redis: Redis;
  verify: TokenVerifier;
  /** Shared with the inventory worker so its stream metrics appear on /metrics; made here when absent. */
  observability?: Observability;
}

export function createProductsObservability(pool: Pool, redis: Redis): Observability {
  return createObservability('products-service', {
    postgres: () => pool.query('select 1'),
    redis: () => redis.ping(),
  });
}

/** Reads may be cached by the browser only briefly; a seller's own view never. */
const noStoreUnlessGet: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' || req.path.startsWith('/mine')) res.set('Cache-Control', 'no-store');
  next();
};

export function buildApp(deps: AppDeps): Express {
  const { logger, pool, db, redis } = deps;
  const observability = deps.observability ?? createProductsObservability(pool, redis);
  const { router: observabilityRouter, measure } = observabilityRoutes(observability);
  const catalog = createCatalog(db);

  const app = express();
  app.set('trust proxy', 'loopback, uniquelocal');
  app.set('query parser', 'simple');
  app.use(requestLogging(logger));
  app.use(helmet());
  app.use(measure);
  app.use(observabilityRouter);
  app.use(
    '/api/products',
    noStoreUnlessGet,
    cookieParser(),
    csrfProtection,
    requireJsonBody,
    jsonBody('100kb'),
    productRoutes({ catalog, verify: deps.verify }),
  );
  app.use(expressNotFound);
  app.use(expressErrorHandler(logger));
  return app;
}
