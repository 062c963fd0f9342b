import { spawn } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, eventually, generateTestKeys, testRedisUrl, type TestDatabase } from '@market/kit/testing';

const SERVICE_ROOT = path.resolve(__dirname, '..');

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
      await eventually(async () => (await fetch(`${base}/ready`).catch(() => undefined))?.status === 200 || undefined, { timeoutMs: 20_000, intervalMs: 100, what: `${base}/ready to answer 200` });

      const res = await fetch(`${base}/api/auth/me`, { headers: { 'X-Padding': 'x'.repeat(20_000) } });

      expect(res.status).toBe(431);
      expect(await res.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
