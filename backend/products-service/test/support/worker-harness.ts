import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Redis from 'ioredis';
import type { Pool } from 'pg';
import {
  MESSAGE_VERSION,
  PRODUCTS_GROUP,
  decodeInventoryMessage,
  encodeOrdersMessage,
  fieldsFromList,
  type InventoryReleased,
  type InventoryResult,
  type OrderLine,
  type StreamFields,
} from '@market/contracts';
import { createPool, deadLetterStream, runMigrations } from '@market/kit';
import {
  captureLogs,
  createTestDatabase,
  eventually,
  testRedisUrl,
  uniqueSuffix,
  type TestDatabase,
} from '@market/kit/testing';
import { createDb, MIGRATIONS_FOLDER, type Db } from '../../src/data/db';
import { findProduct, insertProduct, type NewProduct, type ProductRow } from '../../src/data/product-repository';
import {
  startInventoryWorker,
  type InventoryWorker,
  type InventoryWorkerConfig,
} from '../../src/messaging/inventory-worker';

export interface WorkerHarness {
  db: Db;
  pool: Pool;
  redis: Redis;
  database: TestDatabase;
  config: InventoryWorkerConfig;
  logs: string[];
  startWorker(consumer?: string): InventoryWorker;
  addProduct(overrides?: Partial<NewProduct>): Promise<ProductRow>;
  product(id: string): Promise<ProductRow>;
  /** XADDs raw fields to the orders stream, as orders-service's relay would. */
  publish(fields: StreamFields): Promise<string>;
  placed(order: {
    orderId?: string;
    buyerId?: string;
    lines: OrderLine[];
    eventId?: string;
  }): StreamFields & { order_id: string };
  cancelled(placed: StreamFields, eventId?: string): StreamFields;
  replies(orderId?: string): Promise<InventoryResult[]>;
  /** The inventory.released answers to cancels. */
  releases(orderId?: string): Promise<InventoryReleased[]>;
  waitForReplies(orderId: string, count?: number): Promise<InventoryResult[]>;
  /** Resolves once the group has read every entry, none is pending, and every reply left the outbox (sent). */
  drained(): Promise<void>;
  deadLetters(): Promise<StreamFields[]>;
  close(): Promise<void>;
}

/**
 * Node options that make a worker process SIGKILL itself right after its first batch committed,
 * before the XACK (see crash-before-ack.ts): the crash is injected by the test, not built into the worker.
 */
export const crashBeforeAckArgs = [
  '--import',
  'tsx',
  '--import',
  pathToFileURL(path.join(__dirname, 'crash-before-ack.ts')).href,
];

/** A migrated database, streams of its own (random names) and workers started on demand. */
export async function startWorkerHarness(overrides: Partial<InventoryWorkerConfig> = {}): Promise<WorkerHarness> {
  const database = await createTestDatabase('products_worker');
  const pool = createPool(database.url, 8);
  await runMigrations(pool, MIGRATIONS_FOLDER);
  const db = createDb(pool);
  const redis = new Redis(testRedisUrl());
  const suffix = uniqueSuffix();
  const config: InventoryWorkerConfig = {
    REDIS_URL: testRedisUrl(),
    ORDERS_STREAM: `test:orders:${suffix}`,
    INVENTORY_STREAM: `test:inventory:${suffix}`,
    USER_EVENTS_STREAM: `test:user_events:${suffix}`,
    CONSUMER_NAME: `worker-${suffix}`,
    STREAM_MAXLEN: 10_000,
    STREAM_BLOCK_MS: 100,
    STREAM_CLAIM_IDLE_MS: 1000,
    STREAM_MAX_DELIVERIES: 3,
    ...overrides,
  };
  const { logger, lines } = captureLogs('products-worker');
  const workers: InventoryWorker[] = [];

  const messages = async (orderId?: string) => {
    const entries = (await redis.xrange(config.INVENTORY_STREAM, '-', '+')) as [string, string[]][];
    return entries
      .map(([, list]) => decodeInventoryMessage(fieldsFromList(list)))
      .filter((r) => !orderId || r.order_id === orderId);
  };
  const replies = async (orderId?: string) =>
    (await messages(orderId)).filter((m): m is InventoryResult => m.type === 'inventory.result');
  const releases = async (orderId?: string) =>
    (await messages(orderId)).filter((m): m is InventoryReleased => m.type === 'inventory.released');

  const harness: WorkerHarness = {
    db,
    pool,
    redis,
    database,
    config,
    logs: lines,
    startWorker(consumer = config.CONSUMER_NAME) {
      const worker = startInventoryWorker({
        pool,
        db,
        config: { ...config, CONSUMER_NAME: consumer },
        logger,
        relayIdleDelayMs: 20,
      });
      workers.push(worker);
      return worker;
    },
    addProduct: (product = {}) =>
      insertProduct(db, {
        sellerId: randomUUID(),
        sellerName: 'a-seller',
        name: `Item ${uniqueSuffix()}`,
        description: '',
        category: 'home',
        price: '19.99',
        stock: 10,
        ...product,
      }),
    product: async (id) => (await findProduct(db, id)) as ProductRow,
    publish: (fields) => redis.xadd(config.ORDERS_STREAM, '*', ...Object.entries(fields).flat()) as Promise<string>,
    placed: ({ orderId = randomUUID(), buyerId = randomUUID(), lines, eventId = randomUUID() }) =>
      encodeOrdersMessage({
        type: 'order.placed',
        version: MESSAGE_VERSION,
        event_id: eventId,
        order_id: orderId,
        user_id: buyerId,
        correlation_id: `corr-${orderId}`,
        occurred_at: new Date().toISOString(),
        products: lines,
      }) as StreamFields & { order_id: string },
    cancelled: (placed, eventId = randomUUID()) => ({
      ...placed,
      type: 'order.cancelled',
      event_id: eventId,
      occurred_at: new Date().toISOString(),
    }),
    replies,
    releases,
    // Up to 20 s: a worker on a loaded machine has taken more than the usual 10 to answer.
    waitForReplies: (orderId, count = 1) =>
      eventually(
        async () => {
          const found = await replies(orderId);
          return found.length >= count ? found : undefined;
        },
        { intervalMs: 25, timeoutMs: 20_000, what: `${count} inventory.result for ${orderId}` },
      ),
    async drained() {
      await eventually(
        async () => {
          const [last] = (await redis.xrevrange(config.ORDERS_STREAM, '+', '-', 'COUNT', 1)) as [string, string[]][];
          const groups = (await redis.xinfo('GROUPS', config.ORDERS_STREAM)) as (string | number)[][];
          const group = groups.map((g) => fieldsFromList(g.map(String))).find((g) => g.name === PRODUCTS_GROUP);
          if (!group || !last || group['last-delivered-id'] !== last[0] || group.pending !== '0') return undefined;
          const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
          return rows[0]!.n === 0 ? true : undefined;
        },
        { intervalMs: 25, what: 'the products group to drain its stream and the outbox to empty' },
      );
    },
    async deadLetters() {
      const entries = (await redis.xrange(deadLetterStream(config.ORDERS_STREAM), '-', '+')) as [string, string[]][];
      return entries.map(([, list]) => fieldsFromList(list));
    },
    async close() {
      await Promise.all(workers.map((w) => w.stop()));
      await redis.del(
        config.ORDERS_STREAM,
        config.INVENTORY_STREAM,
        deadLetterStream(config.ORDERS_STREAM),
        config.USER_EVENTS_STREAM,
        deadLetterStream(config.USER_EVENTS_STREAM),
      );
      redis.disconnect();
      await pool.end();
      await database.drop();
    },
  };
  return harness;
}

export const line = (product: ProductRow, quantity: number, price = product.price): OrderLine => ({
  product_id: product.id,
  quantity,
  price,
});
