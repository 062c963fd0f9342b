// The Redis users of deploy/redis/start-redis.sh (what compose's redis runs), on a private
// redis-server started through that very script: each service's real operations pass with its own
// user, and the writes that would forge the saga's messages or spoil another's are refused.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  createDeadLetters,
  createObservability,
  deadLetterStream,
  startSagaMetrics,
  startStreamConsumer,
  type StreamEntry,
  type StreamConsumer,
} from '@market/kit';
import { captureLogs, freePort, sleep } from '@market/kit/testing';
import { redisLimiter } from '../../backend/auth-service/src/domain/rate-limits';
import { statusChannel } from '../../backend/orders-service/src/messaging/status-notifier';
import { repoRoot } from './support';

const ORDERS = 'orders_stream';
const INVENTORY = 'inventory_stream';
const USER_EVENTS = 'user_events_stream';
const ORDER_EVENTS = 'order_events_stream';
const users = ['default', 'auth', 'products', 'orders', 'notifications'] as const;
type User = (typeof users)[number];
const passwords = Object.fromEntries(users.map((u) => [u, randomBytes(16).toString('hex')])) as Record<User, string>;

let port = 0;
let server: ChildProcess;
let dataDir = '';
const clients: Redis[] = [];
const consumers: StreamConsumer[] = [];
const consumerLogs: string[][] = [];

const urlOf = (user: User, password = passwords[user]) => `redis://${user}:${password}@127.0.0.1:${port}/0`;
function connect(user: User, password?: string): Redis {
  // Reconnects while the server starts; a wrong password is final.
  const redis = new Redis(urlOf(user, password), {
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => (password !== undefined || attempt > 100 ? null : 100),
  });
  redis.on('error', () => undefined);
  clients.push(redis);
  return redis;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function consume(
  user: User,
  stream: string,
  group: string,
  handle: (entries: StreamEntry[]) => Promise<Map<string, Error>>,
  claimIdleMs = 60_000,
) {
  const logs = captureLogs(user);
  consumerLogs.push(logs.lines);
  const consumer = startStreamConsumer({
    redisUrl: urlOf(user),
    stream,
    group,
    consumer: `${group}-1`,
    logger: logs.logger,
    handleBatch: handle,
    blockMs: 200,
    claimIdleMs,
    maxDeliveries: 1,
    trimIntervalMs: 100,
  });
  consumers.push(consumer);
  return consumer;
}

beforeAll(async () => {
  port = await freePort();
  dataDir = mkdtempSync(path.join(tmpdir(), 'redis-acl-'));
  server = spawn(
    'sh',
    [
      path.join(repoRoot, 'deploy/redis/start-redis.sh'),
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dataDir,
      '--save',
      '',
    ],
    {
      env: {
        PATH: process.env.PATH,
        REDIS_PASSWORD: passwords.default,
        REDIS_AUTH_PASSWORD: passwords.auth,
        REDIS_PRODUCTS_PASSWORD: passwords.products,
        REDIS_ORDERS_PASSWORD: passwords.orders,
        REDIS_NOTIFICATIONS_PASSWORD: passwords.notifications,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const admin = connect('default');
  await eventually('the private redis-server', async () => ((await admin.ping()) === 'PONG' ? true : undefined)).catch(
    (err: Error) => {
      throw new Error(`${err.message}\n${stderr}`);
    },
  );
});

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  for (const client of clients) client.disconnect();
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the Redis users of each service (deploy/redis/start-redis.sh)', () => {
  it("when auth counts rate limits and revokes a user's tokens, then its user may, and the others only read the valid-after", async () => {
    const auth = connect('auth');
    const limiter = redisLimiter({ redis: auth, prefix: 'rl:', name: 'login', points: 2, windowSeconds: 60 });
    await limiter.consume('192.0.2.1');
    await expect(limiter.get('192.0.2.1')).resolves.toMatchObject({ consumedPoints: 1 });
    await limiter.reward('192.0.2.1', 1);
    await expect(limiter.delete('192.0.2.1')).resolves.toBe(true);
    await expect(auth.set('auth:valid-after:user-1', '1700000000000', 'EX', 60)).resolves.toBe('OK');
    await expect(auth.set('auth:second-step:challenge-1', '1', 'EX', 300, 'NX')).resolves.toBe('OK');
    await expect(auth.del('auth:second-step:challenge-1')).resolves.toBe(1);
    for (const other of [connect('products'), connect('orders')]) {
      await expect(other.get('auth:valid-after:user-1')).resolves.toBe('1700000000000');
      await expect(other.set('auth:valid-after:user-1', '0')).rejects.toThrow(/NOPERM/);
      await expect(other.get('rl:login:192.0.2.1')).rejects.toThrow(/NOPERM/);
      await expect(other.set('auth:second-step:challenge-1', '1')).rejects.toThrow(/NOPERM/);
    }
    for (const stream of [ORDERS, INVENTORY]) {
      await expect(auth.xadd(stream, '*', 'type', 'order.placed')).rejects.toThrow(/NOPERM/);
      await expect(auth.xrange(stream, '-', '+')).rejects.toThrow(/NOPERM/);
    }
    await expect(auth.publish(statusChannel(ORDERS), 'x')).rejects.toThrow(/NOPERM/);
    await expect(auth.keys('*')).rejects.toThrow(/NOPERM/);
  });

  it('when an order goes through the saga, then orders publishes, products consumes and answers, orders consumes the answer, each with its own user', async () => {
    const seenByProducts: StreamEntry[] = [];
    const seenByOrders: StreamEntry[] = [];
    const productsRedis = connect('products');
    consume('products', ORDERS, 'products', async (entries) => {
      seenByProducts.push(...entries);
      // What products' outbox relay does with the reply.
      for (const entry of entries)
        await productsRedis.xadd(INVENTORY, 'MAXLEN', '~', 1000, '*', 'type', 'inventory.result', 'of', entry.id);
      return new Map();
    });
    consume('orders', INVENTORY, 'orders', async (entries) => {
      seenByOrders.push(...entries);
      return new Map();
    });
    const ordersRedis = connect('orders');
    const placed = await ordersRedis.xadd(ORDERS, 'MAXLEN', '~', 1000, '*', 'type', 'order.placed', 'order_id', 'o-1');

    await eventually('the reply to reach orders', async () => (seenByOrders.length > 0 ? true : undefined));
    expect(seenByProducts.map((e) => e.id)).toEqual([placed]);
    expect(seenByOrders[0]?.fields).toMatchObject({ type: 'inventory.result', of: placed });

    // Every process's /metrics reads both streams, their groups and dead letters.
    for (const user of ['products', 'orders'] as const) {
      // A service's /metrics registry, as its process has one.
      const { registry } = createObservability(`${user}-service`, {});
      const metrics = startSagaMetrics({
        registry,
        redisUrl: urlOf(user),
        streams: [
          { stream: ORDERS, groups: ['products'] },
          { stream: INVENTORY, groups: ['orders'] },
        ],
        cacheMs: 0,
        timeoutMs: 2000,
      });
      try {
        const text = await eventually(`${user}'s saga metrics`, async () => {
          const scraped = await registry.metrics();
          return scraped.includes(`stream="${INVENTORY}"`) ? scraped : undefined;
        });
        expect(text).not.toMatch(/saga_metrics_errors_total\{source="redis"\} [1-9]/);
      } finally {
        await metrics.close();
      }
    }
  });

  it("when a message fails for good, then its consumer dead-letters it and orders' admin lists and replays it", async () => {
    consume('products', ORDERS, 'products-dead', () => Promise.reject(new Error('poisoned')), 100);
    const ordersRedis = connect('orders');
    const poisoned = await ordersRedis.xadd(ORDERS, '*', 'type', 'order.placed', 'order_id', 'o-poisoned');
    const deadLetters = createDeadLetters(ordersRedis, [ORDERS, INVENTORY]);
    const dead = await eventually('the dead letter', async () => {
      const page = await deadLetters.list(ORDERS);
      return page.entries.find((e) => e.originalId === poisoned);
    }).catch((err: Error) => {
      throw new Error(`${err.message}\n${consumerLogs.flat().join('\n').slice(0, 4000)}`);
    });
    const replayed = await deadLetters.replay(ORDERS, dead.id);
    expect(replayed).toMatch(/^\d+-\d+$/);
    await expect(deadLetters.show(ORDERS, dead.id)).resolves.toBeNull();

    // orders' own consumer's failures: dead-lettered by orders, put back for it by its admin.
    consume('orders', INVENTORY, 'orders-dead', () => Promise.reject(new Error('poisoned reply')), 100);
    const reply = await connect('products').xadd(INVENTORY, '*', 'type', 'inventory.result', 'order_id', 'o-poisoned');
    const deadReply = await eventually('the dead reply', async () => {
      const page = await deadLetters.list(INVENTORY);
      return page.entries.find((e) => e.originalId === reply);
    });
    await expect(deadLetters.replay(INVENTORY, deadReply.id)).resolves.toMatch(/^\d+-\d+$/);
    await eventually('the replayed reply dead again', async () =>
      (await deadLetters.count(INVENTORY)) > 0 ? true : undefined,
    );
    await expect(deadLetters.dropAll(INVENTORY)).resolves.toBeGreaterThan(0);
  });

  it("when a service writes where only another may, then Redis refuses: no forged saga message, no other consumer's acknowledgements", async () => {
    const products = connect('products');
    const orders = connect('orders');
    // products may not place orders, nor spoil the dead letters of orders' consumer.
    await expect(products.xadd(ORDERS, '*', 'type', 'order.placed', 'order_id', 'forged')).rejects.toThrow(/NOPERM/);
    await expect(products.xadd(deadLetterStream(INVENTORY), '*', 'a', 'b')).rejects.toThrow(/NOPERM/);
    await expect(products.xack(INVENTORY, 'orders', '0-1')).rejects.toThrow(/NOPERM/);
    await expect(products.xtrim(INVENTORY, 'MAXLEN', 0)).rejects.toThrow(/NOPERM/);
    await expect(products.xgroup('CREATE', INVENTORY, 'thief', '0')).rejects.toThrow(/NOPERM/);
    await expect(products.publish(statusChannel(ORDERS), 'o-1')).rejects.toThrow(/NOPERM/);
    await expect(products.del(ORDERS)).rejects.toThrow(/NOPERM/);
    // orders may not read products' deliveries away, acknowledge or trim them, nor answer for products.
    await expect(orders.xreadgroup('GROUP', 'products', 'thief', 'STREAMS', ORDERS, '>')).rejects.toThrow(/NOPERM/);
    await expect(orders.xack(ORDERS, 'products', '0-1')).rejects.toThrow(/NOPERM/);
    await expect(orders.xtrim(ORDERS, 'MAXLEN', 0)).rejects.toThrow(/NOPERM/);
    await expect(orders.hincrby(`${INVENTORY}x`, 'a', 1)).rejects.toThrow(/NOPERM/);
    // No one but the operators flushes, reconfigures or runs arbitrary scripts on others' keys.
    for (const client of [products, orders, connect('auth')]) {
      await expect(client.flushall()).rejects.toThrow(/NOPERM/);
      await expect(client.config('GET', 'requirepass')).rejects.toThrow(/NOPERM/);
      await expect(client.call('ACL', 'LIST')).rejects.toThrow(/NOPERM/);
    }
    await expect(products.eval("return redis.call('XADD', KEYS[1], '*', 'a', 'b')", 1, ORDERS)).rejects.toThrow(
      /NOPERM/,
    );
    await expect(connect('orders', 'wrong-password').ping()).rejects.toThrow(/WRONGPASS|invalid/);
  });

  it('when an account is deleted, then only auth may announce it, and each worker consumes it with its own user', async () => {
    const seen: Record<'products' | 'orders', StreamEntry[]> = { products: [], orders: [] };
    for (const user of ['products', 'orders'] as const) {
      consume(user, USER_EVENTS, user, async (entries) => {
        seen[user].push(...entries);
        return new Map();
      });
      // A taken-over worker cannot erase another user's data by forging user.deleted.
      await expect(connect(user).xadd(USER_EVENTS, '*', 'type', 'user.deleted', 'user_id', 'u-2')).rejects.toThrow(
        /NOPERM/,
      );
    }

    const announced = await connect('auth').xadd(
      USER_EVENTS,
      'MAXLEN',
      '~',
      1000,
      '*',
      'type',
      'user.deleted',
      'user_id',
      'u-1',
    );

    await eventually('both workers to read it', async () =>
      seen.products.length > 0 && seen.orders.length > 0 ? true : undefined,
    );
    expect([seen.products, seen.orders].map((entries) => entries.map((e) => e.id))).toEqual([[announced], [announced]]);
    await expect(connect('auth').xrange(USER_EVENTS, '-', '+')).rejects.toThrow(/NOPERM/);
  });

  it('when orders announces a status change, then the mailer consumes and dead-letters it with its own user, and may write nowhere else', async () => {
    const seen: StreamEntry[] = [];
    consume(
      'notifications',
      ORDER_EVENTS,
      'notifications',
      async (entries) => {
        seen.push(...entries);
        return new Map(
          entries.filter((e) => e.fields.order_id === 'o-refused').map((e) => [e.id, new Error('refused')]),
        );
      },
      100,
    );
    const orders = connect('orders');
    const sent = await orders.xadd(
      ORDER_EVENTS,
      'MAXLEN',
      '~',
      1000,
      '*',
      'type',
      'order.status_changed',
      'order_id',
      'o-1',
    );
    const refused = await orders.xadd(ORDER_EVENTS, '*', 'type', 'order.status_changed', 'order_id', 'o-refused');

    await eventually('the mailer to read it', async () => (seen.some((e) => e.id === sent) ? true : undefined));
    // Its dead letters are orders' to list, replay and drop, as the saga's are.
    const deadLetters = createDeadLetters(orders, [ORDER_EVENTS]);
    const dead = await eventually('the dead order event', async () =>
      (await deadLetters.list(ORDER_EVENTS)).entries.find((e) => e.originalId === refused),
    );
    await expect(deadLetters.drop(ORDER_EVENTS, dead.id)).resolves.toBe(true);

    const mailer = connect('notifications');
    // A taken-over mailer forges no order event, no saga message, no account event, and reads no rate limit.
    await expect(mailer.xadd(ORDER_EVENTS, '*', 'type', 'order.status_changed')).rejects.toThrow(/NOPERM/);
    await expect(mailer.xadd(ORDERS, '*', 'type', 'order.placed')).rejects.toThrow(/NOPERM/);
    await expect(mailer.xadd(USER_EVENTS, '*', 'type', 'user.deleted')).rejects.toThrow(/NOPERM/);
    await expect(mailer.get('rl:login:x')).rejects.toThrow(/NOPERM/);
    await expect(mailer.xack(INVENTORY, 'orders', '0-1')).rejects.toThrow(/NOPERM/);
    // Only orders adds to the order events.
    await expect(connect('products').xadd(ORDER_EVENTS, '*', 'a', 'b')).rejects.toThrow(/NOPERM/);
  });

  it('when the order-status note is published, then orders replicas hear it on their channel', async () => {
    const subscriber = connect('orders');
    const heard: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => heard.push(message));
    await subscriber.subscribe(statusChannel(ORDERS));
    await connect('orders').publish(statusChannel(ORDERS), 'o-1');
    await eventually('the status note', async () => (heard.includes('o-1') ? true : undefined));
    await expect(connect('products').subscribe(statusChannel(ORDERS))).rejects.toThrow(/NOPERM/);
  });
});
