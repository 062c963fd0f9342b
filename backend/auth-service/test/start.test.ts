import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  createTestDatabase,
  eventually,
  freePort,
  generateTestKeys,
  testRedisUrl,
  type TestDatabase,
} from '@market/kit/testing';

const SERVICE_ROOT = path.resolve(__dirname, '..');

/** src/start.ts as its own process on a free port, the way the local stack runs dist/start.js. */
async function startService(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/start.ts'], {
    cwd: SERVICE_ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      JWT_PRIVATE_KEY: generateTestKeys().privateKey,
      TOTP_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
      BCRYPT_COST: '4',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    /** Resolves once `path` answers `status`; fails at once if the process ended. */
    answers: (probe: string, status: number) =>
      eventually(
        async () => {
          if (child.exitCode !== null)
            throw new Error(`the service exited with ${child.exitCode}: ${stderr.slice(-2000)}`);
          return (await fetch(`${base}${probe}`).catch(() => undefined))?.status === status || undefined;
        },
        { timeoutMs: 60_000, intervalMs: 100, what: `${base}${probe} to answer ${status}` },
      ),
    /** SIGTERM; the exit code travels with the output, so a failure says why it did not stop cleanly. */
    async stop() {
      child.kill('SIGTERM');
      return { code: await exited, output: stderr.slice(-3000) };
    },
  };
}

describe('start.ts: listen', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('auth_start');
  });
  afterAll(() => database.drop());

  it('when a request carries headers over the limit, then the running service answers 431 in the envelope', async () => {
    const service = await startService({ DATABASE_URL: database.url, REDIS_URL: testRedisUrl() });
    try {
      await service.answers('/ready', 200);

      const res = await fetch(`${service.base}/api/auth/me`, { headers: { 'X-Padding': 'x'.repeat(20_000) } });

      expect(res.status).toBe(431);
      expect(await res.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
    } finally {
      expect(await service.stop()).toMatchObject({ code: 0 });
    }
  });

  it('when Redis is down at start, then it serves logins (rate limits fall back in-process), says it is not ready, and stops cleanly', async () => {
    const service = await startService({
      DATABASE_URL: database.url,
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    try {
      await service.answers('/health', 200);
      expect((await fetch(`${service.base}/ready`)).status).toBe(503);

      const login = await fetch(`${service.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'marketplace' },
        body: JSON.stringify({ email: 'nobody@example.test', password: 'not the password' }),
      });

      expect(login.status).toBe(401);
    } finally {
      expect(await service.stop()).toMatchObject({ code: 0 });
    }
  });
});
