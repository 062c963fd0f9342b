import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import {
  bodiesKeepTheirJsonTypes,
  createDeadLetters,
  createSessionRevocations,
  createTokenVerifier,
  fastifyAuthenticate,
  fastifyCsrf,
  fastifyErrors,
  fastifyObservability,
  fastifySecurityHeaders,
  fastifyServerOptions,
  type Logger,
  type Observability,
} from '@market/kit';
import type { OrdersConfig } from './config';
import type { OrdersContext } from './domain/context';
import { addressRoutes } from './http/address-routes';
import { cartRoutes } from './http/cart-routes';
import { deadLetterRoutes } from './http/dead-letter-routes';
import { eventsRoute } from './http/events-route';
import { openApi, openApiRoute } from './http/openapi';
import { ordersRoutes } from './http/orders-routes';
import { salesReportRoutes } from './http/sales-report-routes';
import type { StatusNotifier } from './messaging/status-notifier';

export interface AppDeps {
  config: Pick<
    OrdersConfig,
    | 'NODE_ENV'
    | 'JWT_ISSUER'
    | 'JWT_AUDIENCE'
    | 'JWT_PUBLIC_KEY'
    | 'JWKS_URL'
    | 'SSE_HEARTBEAT_SECONDS'
    | 'ORDERS_STREAM'
    | 'INVENTORY_STREAM'
    | 'ORDER_EVENTS_STREAM'
    | 'CART_TTL_DAYS'
    | 'SELLER_ADDRESS_RETENTION_DAYS'
  >;
  logger: Logger;
  pool: Pool;
  /** The readiness check and the dead-letter admin routes. */
  redis: Redis;
  /** The use cases' context, wired by startMessaging to the relay and the notifier. */
  context: OrdersContext;
  notifier: StatusNotifier;
  observability: Observability;
}

/** The orders HTTP API; never listens, so tests build it freely. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, context } = deps;
  const verify = createTokenVerifier({
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    publicKey: config.JWT_PUBLIC_KEY,
    jwksUrl: config.JWKS_URL,
    revocations: createSessionRevocations({
      redis: deps.redis,
      logger: deps.logger,
      registry: deps.observability.registry,
    }),
    acceptPlainCookie: config.NODE_ENV !== 'production',
  });

  const { loggerInstance, ...options } = fastifyServerOptions(deps.logger);
  // Widened to Fastify's logger type, so the instance's type stays the plain FastifyInstance.
  const logger: FastifyBaseLogger = loggerInstance;
  const app = Fastify({ ...options, loggerInstance: logger });
  bodiesKeepTheirJsonTypes(app);
  await app.register(fastifyErrors);
  await app.register(fastifySecurityHeaders);
  await app.register(cookie);
  await app.register(openApi);
  await app.register(fastifyObservability(deps.observability));

  const noStore = async (_request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'no-store');
  };
  const authenticate = fastifyAuthenticate(verify);
  // Hooks run in order: the CSRF proof, then the caller; both before the body is even read.
  const secure = (scope: FastifyInstance) => {
    scope.addHook('onRequest', fastifyCsrf);
    scope.addHook('onRequest', authenticate);
  };

  await app.register(
    async (api) => {
      api.addHook('onRequest', noStore);
      await api.register(openApiRoute);
      await api.register(async (secured) => {
        secure(secured);
        await secured.register(ordersRoutes(context, { addressRetentionDays: config.SELLER_ADDRESS_RETENTION_DAYS }));
        await secured.register(salesReportRoutes(context));
        await secured.register(
          deadLetterRoutes(
            createDeadLetters(deps.redis, [config.ORDERS_STREAM, config.INVENTORY_STREAM, config.ORDER_EVENTS_STREAM]),
          ),
        );
        await secured.register(
          eventsRoute(context, { notifier: deps.notifier, heartbeatMs: config.SSE_HEARTBEAT_SECONDS * 1000 }),
        );
      });
    },
    { prefix: '/api/orders' },
  );
  await app.register(
    async (cart) => {
      cart.addHook('onRequest', noStore);
      secure(cart);
      await cart.register(cartRoutes(context.db, { ttlDays: config.CART_TTL_DAYS }));
    },
    { prefix: '/api/cart' },
  );
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', noStore);
      secure(scope);
      await scope.register(addressRoutes(context.db));
    },
    { prefix: '/api/addresses' },
  );
  return app;
}
