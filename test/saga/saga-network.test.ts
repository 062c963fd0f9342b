import { testRedisUrl } from '@market/kit/testing';
import { eventually, freePort, sleep, startPrivateRedis, type Child } from './support/processes';
import { startCuttingProxy, type CuttingProxy } from './support/cutting-proxy';
import { lineFor, startStack, type Stack } from './support/stack';

describe('Redis stopped while orders are placed', () => {
  let redis: Child | undefined;
  let stack: Stack | undefined;
  let port: number;
  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  it('when Redis is down, then orders are still accepted (202) and all complete once it is back', async () => {
    port = await freePort();
    redis = await startPrivateRedis(port);
    stack = await startStack({ redisUrl: `redis://127.0.0.1:${port}` });
    const buyer = stack.user();
    const product = await stack.createProduct(stack.user('seller'), { price: '2.50', stock: 10 });
    const warmUp = await stack.placeOrder(buyer, [lineFor(product, 1)]);
    await stack.waitForStatus(buyer, warmUp.body.id, 'COMPLETED');

    await redis.stop();
    const placed = [];
    for (let i = 0; i < 5; i++) placed.push(await stack.placeOrder(buyer, [lineFor(product, 1)]));
    expect(placed.map((res) => res.status)).toEqual([202, 202, 202, 202, 202]);
    await sleep(1500);
    for (const res of placed) expect((await stack.getOrder(buyer, res.body.id)).body.status).toBe('PENDING');

    // Back on the same port, empty (no persistence): streams and groups are created anew.
    redis = await startPrivateRedis(port);
    for (const res of placed) {
      expect(await stack.settled(buyer, res.body.id, 60_000)).toMatchObject({ status: 'COMPLETED', total: '2.50' });
    }
    expect(await stack.stockOf(product.id)).toBe(4);
  });
});

describe('a socket cut under a blocking read', () => {
  let stack: Stack | undefined;
  let proxy: CuttingProxy | undefined;
  afterAll(async () => {
    await stack?.close();
    await proxy?.close();
  });

  it('when the reply carrying an entry is lost with its connection, then the stranded entry is still processed once', async () => {
    const target = new URL(testRedisUrl());
    proxy = await startCuttingProxy({ host: target.hostname, port: Number(target.port || 6379) });
    stack = await startStack({ separateWorker: true });
    // Only the worker goes through the proxy. XAUTOCLAIM is pushed out of reach (an hour), so only
    // the pending re-read after the reconnect can find the stranded entry.
    const worker = stack.startWorker({
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      STREAM_BLOCK_MS: '5000',
      STREAM_CLAIM_IDLE_MS: '3600000',
    });
    const buyer = stack.user();
    const product = await stack.createProduct(stack.user('seller'), { stock: 10 });
    const warmUp = await stack.placeOrder(buyer, [lineFor(product, 1)]);
    await stack.waitForStatus(buyer, warmUp.body.id, 'COMPLETED');
    await sleep(300); // the worker is back in its blocking XREADGROUP

    const productIdNeedle = product.id;
    proxy.armCut(['order.placed', productIdNeedle, '"quantity":2']);
    const placed = await stack.placeOrder(buyer, [lineFor(product, 2)]);

    const order = await stack.settled(buyer, placed.body.id, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- worker log ---\n${worker.tail()}`);
    });
    expect(proxy.cuts).toBe(1);
    expect(order.status).toBe('COMPLETED');
    await stack.drained(stack.streams.ORDERS_STREAM, 'products');
    expect(await stack.stockOf(product.id)).toBe(7);
    await eventually('the worker to still be running', async () =>
      worker.process.exitCode === null ? true : undefined,
    );
  });
});
