import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventually, repoRoot } from './support/processes';
import { lineFor, startStack, type Stack } from './support/stack';

/**
 * Preloads products' crash injection into the worker: it SIGKILLs itself right after its first
 * batch committed, before the XACK (see backend/products-service/test/support/crash-before-ack.ts).
 */
const CRASH_BEFORE_ACK = [
  '--import',
  'tsx',
  '--import',
  pathToFileURL(path.join(repoRoot, 'backend/products-service/test/support/crash-before-ack.ts')).href,
];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ separateWorker: true });
});
afterAll(async () => {
  await stack?.close();
});

describe('the products worker killed between COMMIT and XACK', () => {
  it('when it is SIGKILLed after committing a stock change and restarted, then the order completes and the stock was taken once', async () => {
    const buyer = stack.user();
    const product = await stack.createProduct(stack.user('seller'), { stock: 10 });
    const crashing = stack.startWorker({}, CRASH_BEFORE_ACK);

    const placed = await stack.placeOrder(buyer, [lineFor(product, 3)]);
    expect(placed.status).toBe(202);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the worker did not crash:\n${crashing.tail()}`)), 30_000);
    });
    const exit = await Promise.race([crashing.exited, deadline]).finally(() => clearTimeout(timer));

    expect(exit.signal).toBe('SIGKILL');
    expect(crashing.tail()).toContain('crash-before-ack: SIGKILL after COMMIT, before XACK');
    // The stock change committed; the entry was never acknowledged.
    expect(await stack.stockOf(product.id)).toBe(7);
    const redis = await stack.redis();
    const pending = (await redis.xpending(stack.streams.ORDERS_STREAM, 'products')) as [number, ...unknown[]];
    expect(pending[0]).toBe(1);

    const restarted = stack.startWorker();
    const order = await stack.settled(buyer, placed.body.id, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- worker log ---\n${restarted.tail()}`);
    });

    expect(order.status).toBe('COMPLETED');
    expect(order.total).toBe('30.00');
    await stack.drained(stack.streams.ORDERS_STREAM, 'products');
    expect(await stack.stockOf(product.id)).toBe(7);

    // The restarted worker goes on with new orders.
    const next = await stack.placeOrder(buyer, [lineFor(product, 2)]);
    await eventually('the next order', async () =>
      (await stack.getOrder(buyer, next.body.id)).body.status === 'COMPLETED' ? true : undefined,
    );
    expect(await stack.stockOf(product.id)).toBe(5);
  });
});
