import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import request from 'supertest';
import { encodeInventoryMessage, MESSAGE_VERSION, type Order, type Role } from '@market/contracts';
import { createObservability } from '@market/kit';
import {
  captureLogs,
  createMigratedTestDatabase,
  eventually,
  generateTestKeys,
  signTestToken,
  uniqueSuffix,
  type TestKeys,
} from '@market/kit/testing';
import { buildApp } from '../../src/app';
import { loadConfig, type OrdersConfig } from '../../src/config';
import { createDb, MIGRATIONS_FOLDER, type Db } from '../../src/data/db';
import { startBacklogGate } from '../../src/messaging/backlog-gate';
import { startMessaging, type Messaging } from '../../src/messaging/start-messaging';
import { createStatusNotifier, statusChannel, type StatusNotifier } from '../../src/messaging/status-notifier';

export const CSRF = { 'X-Requested-With': 'marketplace' } as const;

export interface TestUser {
  id: string;
  username: string;
  role: Role;
  cookie: string;
}

export interface Replica {
  app: FastifyInstance;
  /** Absent on an HTTP-only replica. */
  messaging?: Messaging;
  notifier: StatusNotifier;
  close(): Promise<void>;
}

export interface TestApp extends Replica {
  messaging: Messaging;
  config: OrdersConfig;
  keys: TestKeys;
  pool: Pool;
  db: Db;
  /** A plain client for reading and writing the test's own streams. */
  redis: Redis;
  logs: string[];
  user(role?: Role): TestUser;
  /**
   * Another replica on the same database and streams with its own notifier; with `consume`
   * also its own relay, consumer (another consumer name) and republisher, else HTTP only.
   */
  startReplica(options?: { consume?: boolean }): Promise<Replica>;
}

async function startReplica(
  config: OrdersConfig,
  pool: Pool,
  db: Db,
  redis: Redis,
  logs: ReturnType<typeof captureLogs>,
  consume = true,
): Promise<Replica> {
  const notifier = createStatusNotifier({
    redisUrl: config.REDIS_URL,
    channel: statusChannel(config.ORDERS_STREAM),
    logger: logs.logger,
  });
  const observability = createObservability('orders-service', {
    postgres: () => pool.query('select 1'),
    redis: () => redis.ping(),
  });
  const backlog = startBacklogGate({
    db,
    maxBacklog: config.ORDERS_MAX_BACKLOG,
    intervalMs: 100,
    logger: logs.logger,
    registry: observability.registry,
  });
  const messaging = consume
    ? startMessaging({
        pool,
        db,
        config,
        logger: logs.logger,
        notifier,
        registry: observability.registry,
        republishIntervalMs: 200,
        backlog,
      })
    : undefined;
  const context = messaging?.context ?? {
    db,
    ordersStream: config.ORDERS_STREAM,
    orderEventsStream: config.ORDER_EVENTS_STREAM,
    outboxWritten: () => undefined,
    outboxCommitted: () => undefined,
    orderAccepted: (order: Order, buyerId: string) => notifier.remember(order, buyerId),
    statusChanged: (id: string) => notifier.changed(id),
    finalized: () => undefined,
    backlog,
  };
  const app = await buildApp({ config, logger: logs.logger, pool, redis, context, notifier, observability });
  await app.ready();
  return {
    app,
    messaging,
    notifier,
    async close() {
      backlog.stop();
      await app.close();
      await messaging?.stop();
      await notifier.close();
    },
  };
}

/**
 * A migrated throwaway database, stream names of its own on the real Redis, and one
 * orders-service replica (HTTP app, relay, inventory consumer, republisher) built on them.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { database, pool, env: testEnv } = await createMigratedTestDatabase('orders', MIGRATIONS_FOLDER, 10);
  const keys = generateTestKeys();
  const suffix = uniqueSuffix();
  const config = loadConfig({
    ...testEnv,
    JWT_PUBLIC_KEY: keys.publicKey,
    ORDERS_STREAM: `test:${suffix}:orders_stream`,
    INVENTORY_STREAM: `test:${suffix}:inventory_stream`,
    USER_EVENTS_STREAM: `test:${suffix}:user_events_stream`,
    ORDER_EVENTS_STREAM: `test:${suffix}:order_events_stream`,
    CONSUMER_NAME: `orders-test-${suffix}`,
    STREAM_BLOCK_MS: '200',
    STREAM_CLAIM_IDLE_MS: '5000',
    SSE_HEARTBEAT_SECONDS: '1',
    PENDING_REPUBLISH_AFTER_SECONDS: '3600',
    ...env,
  });
  const db = createDb(pool);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  const logs = captureLogs('orders-service');
  const replicas: Replica[] = [];
  const first = (await startReplica(config, pool, db, redis, logs)) as Replica & { messaging: Messaging };
  replicas.push(first);
  let replicaCount = 0;

  return {
    ...first,
    config,
    keys,
    pool,
    db,
    redis,
    logs: logs.lines,
    user(role: Role = 'buyer') {
      const user = { id: randomUUID(), username: `${role}-${uniqueSuffix()}`, role };
      return { ...user, cookie: `access_token=${signTestToken(keys, user)}` };
    },
    async startReplica(options = {}) {
      replicaCount += 1;
      const replica = await startReplica(
        { ...config, CONSUMER_NAME: `${config.CONSUMER_NAME}-r${replicaCount}` },
        pool,
        db,
        redis,
        logs,
        options.consume ?? true,
      );
      replicas.push(replica);
      return replica;
    },
    async close() {
      for (const replica of replicas.reverse()) await replica.close();
      await redis.del(
        config.ORDERS_STREAM,
        config.INVENTORY_STREAM,
        `${config.ORDERS_STREAM}:dead`,
        `${config.INVENTORY_STREAM}:dead`,
        config.USER_EVENTS_STREAM,
        `${config.USER_EVENTS_STREAM}:dead`,
        config.ORDER_EVENTS_STREAM,
      );
      redis.disconnect();
      await pool.end();
      await database.drop();
    },
  };
}

export { eventually };

export const api = (ctx: { app: FastifyInstance }) => request(ctx.app.server);

export interface Line {
  productId: string;
  quantity: number;
  unitPrice: string;
}

export const line = (overrides: Partial<Line> = {}): Line => ({
  productId: randomUUID(),
  quantity: 1,
  unitPrice: '10.00',
  ...overrides,
});

export function placeOrder(
  ctx: { app: FastifyInstance },
  user: TestUser,
  items: unknown[] = [line()],
  key: string = randomUUID(),
) {
  return api(ctx).post('/api/orders').set(CSRF).set('Cookie', user.cookie).set('Idempotency-Key', key).send({ items });
}

export async function placedOrder(
  ctx: { app: FastifyInstance },
  user: TestUser,
  items: Line[] = [line()],
): Promise<Order> {
  const res = await placeOrder(ctx, user, items);
  if (res.status !== 202) throw new Error(`placing an order answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as Order;
}

export async function getOrder(ctx: { app: FastifyInstance }, user: TestUser, id: string): Promise<request.Response> {
  return api(ctx).get(`/api/orders/${id}`).set('Cookie', user.cookie);
}

export type Entry = { id: string; fields: Record<string, string> };

export async function readStream(redis: Redis, stream: string): Promise<Entry[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.map(([id, list]) => {
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < list.length; i += 2) fields[list[i]!] = list[i + 1]!;
    return { id, fields };
  });
}

/** Waits until an entry of `stream` matches. */
export const waitForEntry = (
  redis: Redis,
  stream: string,
  match: (fields: Record<string, string>) => boolean,
  what = 'a stream entry',
) => eventually(async () => (await readStream(redis, stream)).find((e) => match(e.fields)), { what });

/** Publishes what products-service would answer for an order, straight onto the inventory stream. */
export async function publishReply(
  ctx: { redis: Redis; config: OrdersConfig },
  order: Order,
  outcome:
    | { status: 'COMPLETED'; sellerId?: string; unitPrice?: string; sellerIds?: string[] }
    | { status: 'FAILED'; reason: 'OUT_OF_STOCK' | 'PRICE_CHANGED' | 'PRODUCT_UNAVAILABLE' | 'OWN_PRODUCT' },
  eventId: string = randomUUID(),
): Promise<string> {
  const fields = encodeInventoryMessage({
    type: 'inventory.result',
    version: MESSAGE_VERSION,
    event_id: eventId,
    order_id: order.id,
    correlation_id: 'test-correlation',
    occurred_at: new Date().toISOString(),
    status: outcome.status,
    reason: outcome.status === 'FAILED' ? outcome.reason : '',
    items:
      outcome.status === 'COMPLETED'
        ? order.items.map((item, i) => ({
            product_id: item.productId,
            quantity: item.quantity,
            unit_price: outcome.unitPrice ?? item.unitPrice,
            product_name: `Product ${item.productId.slice(0, 8)}`,
            seller_id: outcome.sellerIds?.[i] ?? outcome.sellerId ?? randomUUID(),
          }))
        : [],
  });
  await ctx.redis.xadd(ctx.config.INVENTORY_STREAM, '*', ...Object.entries(fields).flat());
  return eventId;
}

/** Publishes products' answer to a give-back (inventory.released of the order.cancelled `cancelEventId`). */
export async function publishReleased(
  ctx: { redis: Redis; config: OrdersConfig },
  orderId: string,
  cancelEventId: string,
): Promise<void> {
  const fields = encodeInventoryMessage({
    type: 'inventory.released',
    version: MESSAGE_VERSION,
    event_id: randomUUID(),
    order_id: orderId,
    correlation_id: 'test-correlation',
    occurred_at: new Date().toISOString(),
    cancel_event_id: cancelEventId,
  });
  await ctx.redis.xadd(ctx.config.INVENTORY_STREAM, '*', ...Object.entries(fields).flat());
}

export async function waitForStatus(
  ctx: { app: FastifyInstance },
  user: TestUser,
  id: string,
  status: string,
): Promise<Order> {
  return eventually(
    async () => {
      const res = await getOrder(ctx, user, id);
      return res.body?.status === status ? (res.body as Order) : undefined;
    },
    { what: `order ${id} to be ${status}` },
  );
}
