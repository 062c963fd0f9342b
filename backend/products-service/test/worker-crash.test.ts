import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PRODUCTS_GROUP } from '@market/contracts';
import { eventually, uniqueSuffix } from '@market/kit/testing';
import { line, startWorkerHarness, type WorkerHarness } from './support/worker-harness';

const SERVICE_ROOT = path.resolve(__dirname, '..');

/** The worker entry as its own process (through tsx, so the test runs the current source). */
function spawnWorker(h: WorkerHarness, env: Record<string, string>): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker-start.ts'], {
    cwd: SERVICE_ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: h.database.url,
      REDIS_URL: h.config.REDIS_URL,
      ORDERS_STREAM: h.config.ORDERS_STREAM,
      INVENTORY_STREAM: h.config.INVENTORY_STREAM,
      CONSUMER_NAME: 'crash-test-worker',
      STREAM_BLOCK_MS: '100',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited };
}

describe('inventory worker entry (src/worker-start.ts, run as its own process) killed between COMMIT and XACK', () => {
  let h: WorkerHarness;
  const marker = path.join(tmpdir(), `products-crash-${uniqueSuffix()}`);
  beforeAll(async () => {
    h = await startWorkerHarness();
  });
  afterAll(async () => {
    rmSync(marker, { force: true });
    await h.close();
  });

  it('when the worker is SIGKILLed after committing an order and restarted, then the stock is taken once and the order is answered', async () => {
    const product = await h.addProduct({ stock: 10 });
    const order = h.placed({ lines: [line(product, 3)] });
    const crashing = spawnWorker(h, { CRASH_AFTER_COMMIT_ONCE: marker });

    await h.publish(order);
    const crash = await crashing.exited;

    expect(crash.signal).toBe('SIGKILL');
    expect(existsSync(marker)).toBe(true);
    expect((await h.product(product.id)).stock).toBe(7);
    const pending = (await h.redis.xpending(h.config.ORDERS_STREAM, PRODUCTS_GROUP)) as [number, ...unknown[]];
    expect(pending[0]).toBe(1);

    const restarted = spawnWorker(h, { CRASH_AFTER_COMMIT_ONCE: marker });
    try {
      const replies = await h.waitForReplies(order.order_id, 1);
      await h.drained();

      expect(replies[0]).toMatchObject({ status: 'COMPLETED', items: [{ product_id: product.id, quantity: 3 }] });
      expect((await h.product(product.id)).stock).toBe(7);
      await eventually(
        async () => {
          const { rows } = await h.pool.query('select count(*)::int as n from outbox where published_at is null');
          return rows[0].n === 0 ? true : undefined;
        },
        { intervalMs: 25, what: 'the outbox to be empty' },
      );
      expect(new Set((await h.replies(order.order_id)).map((r) => r.event_id)).size).toBe(1);
    } finally {
      restarted.child.kill('SIGTERM');
    }
    expect((await restarted.exited).code).toBe(0);
  });

  it('when the crash hook is set in production, then the worker refuses to start and names the key', async () => {
    const worker = spawnWorker(h, { NODE_ENV: 'production', CRASH_AFTER_COMMIT_ONCE: marker });
    let stderr = '';
    worker.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    const { code } = await worker.exited;

    expect(code).toBe(1);
    expect(stderr).toContain('CRASH_AFTER_COMMIT_ONCE');
  });
});
