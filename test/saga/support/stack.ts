import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Order, Product } from '@market/contracts';
import {
  createTestDatabase,
  generateTestKeys,
  signTestToken,
  testRedisUrl,
  uniqueSuffix,
  type TestDatabase,
} from '@market/kit/testing';
import { eventually, freePort, repoRoot, startChild, type Child } from './processes';

const CSRF = { 'X-Requested-With': 'marketplace' } as const;

export interface User {
  id: string;
  username: string;
  role: 'buyer' | 'seller' | 'admin';
  cookie: string;
}

export interface Line {
  productId: string;
  quantity: number;
  unitPrice: string;
}

export interface StackOptions {
  redisUrl?: string;
  /** Run the inventory worker as its own process (dist/worker-start.js) instead of inside products-service. */
  separateWorker?: boolean;
  /** Extra environment of the separate worker (e.g. its own REDIS_URL through a proxy). */
  workerEnv?: Record<string, string>;
  ordersEnv?: Record<string, string>;
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

const entry = (service: string, file: string) => path.join(repoRoot, 'backend', service, 'dist', file);

async function http<T>(
  method: string,
  url: string,
  user?: User,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(user ? { Cookie: user.cookie } : {}),
      ...(method === 'GET' ? {} : CSRF),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function waitReady(child: Child, url: string): Promise<void> {
  await eventually(
    `${child.name} to be ready`,
    async () => {
      if (child.process.exitCode !== null || child.process.signalCode !== null) {
        throw new Error(`${child.name} exited:\n${child.tail()}`);
      }
      const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    },
    30_000,
    100,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n--- ${child.name} log ---\n${child.tail()}`);
  });
}

/**
 * products-service and orders-service from their built entries, each on a fresh test
 * database, sharing stream names of their own, a key pair for access tokens, and Redis.
 */
export async function startStack(options: StackOptions = {}) {
  const suffix = uniqueSuffix();
  const keys = generateTestKeys();
  const redisUrl = options.redisUrl ?? testRedisUrl();
  const [productsDb, ordersDb]: TestDatabase[] = await Promise.all([
    createTestDatabase('saga_products'),
    createTestDatabase('saga_orders'),
  ]);
  const streams = {
    ORDERS_STREAM: `test:saga:${suffix}:orders_stream`,
    INVENTORY_STREAM: `test:saga:${suffix}:inventory_stream`,
  };
  const common = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    REDIS_URL: redisUrl,
    JWT_PUBLIC_KEY: keys.publicKey,
    ...streams,
    STREAM_BLOCK_MS: '500',
    STREAM_CLAIM_IDLE_MS: '5000',
  };
  const [productsPort, ordersPort] = [await freePort(), await freePort()];
  const productsUrl = `http://127.0.0.1:${productsPort}`;
  const ordersUrl = `http://127.0.0.1:${ordersPort}`;
  const workerEnv = {
    ...common,
    DATABASE_URL: productsDb!.url,
    CONSUMER_NAME: `saga-worker-${suffix}`,
    PORT: '0', // its /ready is not probed here; several workers may run at once
    ...options.workerEnv,
  };

  const children: Child[] = [];
  const products = startChild('products-service', process.execPath, [entry('products-service', 'start.js')], {
    ...common,
    PORT: String(productsPort),
    DATABASE_URL: productsDb!.url,
    CONSUMER_NAME: `saga-products-${suffix}`,
    RUN_INVENTORY_WORKER: options.separateWorker ? 'false' : 'true',
  });
  children.push(products);
  const orders = startChild('orders-service', process.execPath, [entry('orders-service', 'start.js')], {
    ...common,
    PORT: String(ordersPort),
    DATABASE_URL: ordersDb!.url,
    CONSUMER_NAME: `saga-orders-${suffix}`,
    PENDING_REPUBLISH_AFTER_SECONDS: '10',
    ...options.ordersEnv,
  });
  children.push(orders);
  await Promise.all([waitReady(products, productsUrl), waitReady(orders, ordersUrl)]);

  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1, lazyConnect: true });
  const user = (role: User['role'] = 'buyer'): User => {
    const identity = { id: randomUUID(), username: `${role}-${uniqueSuffix()}`, role };
    return { ...identity, cookie: `access_token=${signTestToken(keys, identity)}` };
  };

  const stack = {
    streams,
    products,
    orders,
    user,
    /** The services' base URLs and the key pair their tokens are signed with. */
    urls: { products: productsUrl, orders: ordersUrl },
    keys,
    get: <T = unknown>(url: string, viewer: User) => http<T>('GET', url, viewer),
    /** The test databases of products and orders (name and URL), for checks the HTTP API does not show. */
    databases: { products: productsDb!, orders: ordersDb! },
    /**
     * The worker as its own process; started again with the same consumer name after a crash.
     * `nodeArgs` go before the entry (e.g. a test's preload that injects a crash).
     */
    startWorker(extraEnv: Record<string, string> = {}, nodeArgs: string[] = []): Child {
      const worker = startChild(
        'products-worker',
        process.execPath,
        [...nodeArgs, entry('products-service', 'worker-start.js')],
        { ...workerEnv, ...extraEnv },
      );
      children.push(worker);
      return worker;
    },
    async createProduct(
      seller: User,
      fields: { price?: string; stock?: number; name?: string } = {},
    ): Promise<Product> {
      const res = await http<Product>('POST', `${productsUrl}/api/products`, seller, {
        name: fields.name ?? `Saga item ${uniqueSuffix()}`,
        description: 'made by a saga test',
        category: 'other',
        price: fields.price ?? '10.00',
        stock: fields.stock ?? 10,
      });
      if (res.status !== 201) throw new Error(`creating a product answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    },
    archiveProduct: (seller: User, id: string) => http('DELETE', `${productsUrl}/api/products/${id}`, seller),
    async stockOf(id: string): Promise<number> {
      const res = await http<Product>('GET', `${productsUrl}/api/products/${id}`, user('admin'));
      if (res.status !== 200) throw new Error(`reading product ${id} answered ${res.status}`);
      return res.body.stock;
    },
    placeOrder: (buyer: User, items: Line[], key: string = randomUUID()) =>
      http<Order>('POST', `${ordersUrl}/api/orders`, buyer, { items }, { 'Idempotency-Key': key }),
    getOrder: (viewer: User, id: string) => http<Order>('GET', `${ordersUrl}/api/orders/${id}`, viewer),
    cancelOrder: (viewer: User, id: string) => http<Order>('POST', `${ordersUrl}/api/orders/${id}/cancel`, viewer),
    sales: (seller: User) =>
      http<{ data: { quantity: number }[]; pagination: { total: number } }>(
        'GET',
        `${ordersUrl}/api/orders/sales?pageSize=100`,
        seller,
      ),
    /** Polls the order until it leaves PENDING. */
    async settled(buyer: User, id: string, timeoutMs = 30_000): Promise<Order> {
      return eventually(
        `order ${id} to settle`,
        async () => {
          const res = await stack.getOrder(buyer, id);
          return res.status === 200 && res.body.status !== 'PENDING' ? res.body : undefined;
        },
        timeoutMs,
      );
    },
    async waitForStatus(buyer: User, id: string, status: Order['status'], timeoutMs = 30_000): Promise<Order> {
      return eventually(
        `order ${id} to be ${status}`,
        async () => {
          const res = await stack.getOrder(buyer, id);
          return res.body?.status === status ? res.body : undefined;
        },
        timeoutMs,
      );
    },
    /** A client of the shared test Redis (not of a private one) for inspecting streams. */
    async redis(): Promise<Redis> {
      if (redis.status === 'wait') await redis.connect();
      return redis;
    },
    /** Waits for an entry of `stream` (on the shared test Redis) whose fields match; returns its fields. */
    async entry(
      stream: string,
      match: (fields: Record<string, string>) => boolean,
      client?: Redis,
    ): Promise<Record<string, string>> {
      const r = client ?? (await stack.redis());
      return eventually(`an entry on ${stream}`, async () => {
        for (const [, list] of await r.xrange(stream, '-', '+')) {
          const fields: Record<string, string> = {};
          for (let i = 0; i + 1 < list.length; i += 2) fields[list[i]!] = list[i + 1]!;
          if (match(fields)) return fields;
        }
        return undefined;
      });
    },
    /** Resolves once consumer group `group` has read every entry of `stream` and acknowledged them all. */
    async drained(stream: string, group: string, client?: Redis): Promise<void> {
      const r = client ?? (await stack.redis());
      await eventually(`group ${group} on ${stream} to drain`, async () => {
        const groups = (await r.xinfo('GROUPS', stream)) as unknown[][];
        const info = groups
          .map((g) => Object.fromEntries(Array.from({ length: g.length / 2 }, (_, i) => [g[2 * i], g[2 * i + 1]])))
          .find((g) => g.name === group);
        if (!info || info.pending !== 0) return undefined;
        if (info.lag === 0) return true;
        // An entry deleted before the group read it stays in the lag for good (or makes it nil):
        // compare the last delivered id with the newest entry left instead.
        const [newest] = await r.xrevrange(stream, '+', '-', 'COUNT', 1);
        return !newest || !isAfter(newest[0], String(info['last-delivered-id'])) ? true : undefined;
      });
    },
    async close(): Promise<void> {
      await Promise.all(children.map((child) => child.stop()));
      if (redis.status === 'ready') {
        await redis.del(
          streams.ORDERS_STREAM,
          streams.INVENTORY_STREAM,
          `${streams.ORDERS_STREAM}:dead`,
          `${streams.INVENTORY_STREAM}:dead`,
        );
      }
      redis.disconnect();
      await Promise.all([productsDb!.drop(), ordersDb!.drop()]);
    },
  };
  return stack;
}

/** True when stream entry id `a` comes after `b` ("<ms>-<seq>"). */
function isAfter(a: string, b: string): boolean {
  const [aMs, aSeq] = a.split('-').map(BigInt);
  const [bMs, bSeq] = b.split('-').map(BigInt);
  return aMs! > bMs! || (aMs === bMs && aSeq! > bSeq!);
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

export const lineFor = (product: Product, quantity = 1, unitPrice = product.price): Line => ({
  productId: product.id,
  quantity,
  unitPrice,
});
