import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PRODUCTS_GROUP } from '@market/contracts';
import { eventually } from '@market/kit/testing';
import { crashBeforeAckArgs, line, startWorkerHarness, type WorkerHarness } from './support/worker-harness';

const SERVICE_ROOT = path.resolve(__dirname, '..');

interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/**
 * The worker entry as its own process (through tsx, so the test runs the current source); with
 * `crash`, preloaded with the test's crash injection (SIGKILL after the first COMMIT, before its XACK).
 */
function spawnWorker(
  h: WorkerHarness,
  { crash = false, env = {} }: { crash?: boolean; env?: Record<string, string> } = {},
): WorkerProcess {
  const child = spawn(
    process.execPath,
    [...(crash ? crashBeforeAckArgs : ['--import', 'tsx']), 'src/worker-start.ts'],
    {
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
        PORT: '0',
        STREAM_BLOCK_MS: '100',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stderr: () => stderr };
}

const outboxEmpty = (h: WorkerHarness) =>
  eventually(
    async () => {
      const { rows } = await h.pool.query('select count(*)::int as n from outbox where published_at is null');
      return rows[0].n === 0 ? true : undefined;
    },
    { intervalMs: 25, what: 'the outbox to be empty' },
  );

describe('inventory worker entry (src/worker-start.ts, run as its own process) killed between COMMIT and XACK', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorkerHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('when the worker is SIGKILLed after committing an order and restarted, then the stock is taken once and the order is answered', async () => {
    const product = await h.addProduct({ stock: 10 });
    const order = h.placed({ lines: [line(product, 3)] });
    const crashing = spawnWorker(h, { crash: true });

    await h.publish(order);
    const crash = await crashing.exited;

    expect(crash.signal).toBe('SIGKILL');
    expect(crashing.stderr()).toContain('crash-before-ack: SIGKILL after COMMIT, before XACK');
    expect((await h.product(product.id)).stock).toBe(7);
    const pending = (await h.redis.xpending(h.config.ORDERS_STREAM, PRODUCTS_GROUP)) as [number, ...unknown[]];
    expect(pending[0]).toBe(1);

    const restarted = spawnWorker(h);
    try {
      const replies = await h.waitForReplies(order.order_id, 1);
      await h.drained();

      expect(replies[0]).toMatchObject({ status: 'COMPLETED', items: [{ product_id: product.id, quantity: 3 }] });
      expect((await h.product(product.id)).stock).toBe(7);
      await outboxEmpty(h);
      expect(new Set((await h.replies(order.order_id)).map((r) => r.event_id)).size).toBe(1);
    } finally {
      restarted.child.kill('SIGTERM');
    }
    expect((await restarted.exited).code).toBe(0);
  });

  it('when the worker runs as shipped, even with the retired CRASH_AFTER_COMMIT_ONCE in its environment, then it commits, acknowledges and keeps running', async () => {
    const product = await h.addProduct({ stock: 10 });
    const order = h.placed({ lines: [line(product, 4)] });
    const worker = spawnWorker(h, { env: { CRASH_AFTER_COMMIT_ONCE: path.join(SERVICE_ROOT, 'never-created') } });
    try {
      await h.publish(order);
      const replies = await h.waitForReplies(order.order_id, 1);
      await h.drained();

      expect(replies[0]).toMatchObject({ status: 'COMPLETED' });
      expect((await h.product(product.id)).stock).toBe(6);
      expect(worker.child.exitCode).toBeNull();
      expect(worker.child.signalCode).toBeNull();
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });
});
