import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import Redis from 'ioredis';
import path from 'node:path';
import { DEMO_USERS } from '@market/contracts';
import {
  createTestDatabase,
  eventually,
  freePort,
  generateTestKeys,
  testRedisUrl,
  uniqueSuffix,
  type TestDatabase,
} from '@market/kit/testing';
import { loadConfig } from '../src/config';

const SERVICE_ROOT = path.resolve(__dirname, '..');

/** src/start.ts as its own process, the way the local stack runs dist/start.js. */
function startService(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/start.ts'], {
    cwd: SERVICE_ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('start.ts: migrate, seed, listen, stop', () => {
  let database: TestDatabase;
  let imageDir: string;
  const suffix = uniqueSuffix();
  beforeAll(async () => {
    database = await createTestDatabase('products_start');
    imageDir = await mkdtemp(path.join(tmpdir(), 'products-start-images-'));
  });
  afterAll(async () => {
    const redis = new Redis(testRedisUrl());
    await redis.del(`test:orders:${suffix}`, `test:inventory:${suffix}`);
    redis.disconnect();
    await database.drop();
    await rm(imageDir, { recursive: true, force: true });
  });

  it('when started twice in demo mode, then it becomes ready, answers oversized headers in the envelope, and the demo catalog is seeded once, for two sellers', async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      JWT_PUBLIC_KEY: generateTestKeys().publicKey,
      DEMO_MODE: 'true',
      IMAGE_DIR: imageDir,
      ORDERS_STREAM: `test:orders:${suffix}`,
      INVENTORY_STREAM: `test:inventory:${suffix}`,
    };
    const base = `http://127.0.0.1:${port}`;
    const totals: number[] = [];
    let sellers = new Set<string>();
    for (let run = 0; run < 2; run++) {
      const service = startService(env);
      try {
        await eventually(
          async () => (await fetch(`${base}/ready`).catch(() => undefined))?.status === 200 || undefined,
          { timeoutMs: 60_000, intervalMs: 25, what: 'GET /ready' },
        );
        if (run === 0) {
          const oversized = await fetch(`${base}/api/products`, { headers: { 'X-Padding': 'x'.repeat(20_000) } });
          expect(oversized.status).toBe(431);
          expect(await oversized.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
        }
        const res = await fetch(`${base}/api/products?pageSize=100`);
        const page = (await res.json()) as {
          data: { sellerId: string; stock: number; category: string }[];
          pagination: { total: number };
        };
        totals.push(page.pagination.total);
        sellers = new Set(page.data.map((p) => p.sellerId));
        expect(new Set(page.data.map((p) => p.category)).size).toBeGreaterThanOrEqual(4);
        expect(page.data.every((p) => p.stock >= 50)).toBe(true);
      } finally {
        service.child.kill('SIGTERM');
      }
      // The output travels with the exit code, so a failure here says why the service did not stop cleanly.
      expect({ code: await service.exited, output: service.stderr().slice(-3000) }).toMatchObject({ code: 0 });
    }

    expect(totals[0]).toBeGreaterThanOrEqual(10);
    expect(totals[1]).toBe(totals[0]);
    expect(sellers).toEqual(new Set([DEMO_USERS.seller.id, DEMO_USERS.otherSeller.id]));
    // One picture per demo product, three sizes each, written once.
    expect(await readdir(imageDir)).toHaveLength(totals[0]! * 3);
  });

  it('when IMAGE_STORE is s3 without a bucket and keys, then the configuration names each missing key', () => {
    const env = {
      DATABASE_URL: 'postgres://localhost/products_test',
      REDIS_URL: 'redis://localhost:6379',
      JWT_PUBLIC_KEY: generateTestKeys().publicKey,
      IMAGE_STORE: 's3',
    };

    expect(() => loadConfig(env)).toThrow(/S3_BUCKET[\s\S]*S3_ACCESS_KEY_ID[\s\S]*S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ ...env, IMAGE_STORE: 'disk', IMAGE_PUBLIC_BASE_URL: 'javascript:alert(1)' })).toThrow(
      /IMAGE_PUBLIC_BASE_URL/,
    );
  });

  it('when the configuration is bad, then it refuses to start naming every bad key', async () => {
    const service = startService({ DATABASE_URL: 'mysql://nope', PORT: 'eighty' });

    expect(await service.exited).toBe(1);
    expect(service.stderr()).toEqual(expect.stringContaining('DATABASE_URL'));
    expect(service.stderr()).toEqual(expect.stringContaining('PORT'));
    expect(service.stderr()).toEqual(expect.stringContaining('REDIS_URL'));
  });
});
