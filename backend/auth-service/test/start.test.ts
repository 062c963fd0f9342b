import { spawn } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, generateTestKeys, testRedisUrl, type TestDatabase } from '@market/kit/testing';

const SERVICE_ROOT = path.resolve(__dirname, '..');

async function waitUntilReady(base: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await fetch(`${base}/ready`).catch(() => undefined))?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${base}/ready did not answer 200 within ${timeoutMs} ms`);
}

describe('start.ts: listen', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('auth_start');
  });
  afterAll(() => database.drop());

  it('when a request carries headers over the limit, then the running service answers 431 in the envelope', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/start.ts'], {
      cwd: SERVICE_ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        DATABASE_URL: database.url,
        REDIS_URL: testRedisUrl(),
        JWT_PRIVATE_KEY: generateTestKeys().privateKey,
        BCRYPT_COST: '4',
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitUntilReady(base, 20_000);

      const res = await fetch(`${base}/api/auth/me`, { headers: { 'X-Padding': 'x'.repeat(20_000) } });

      expect(res.status).toBe(431);
      expect(await res.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
