// Redis for the local stack and tests: a reachable server, else a private redis-server in .local/redis.
// Commands go through ioredis.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { canUseApt, ensureApt } from './apt.js';
import { findFreePort, redactUrl, waitUntil } from './net.js';
import { SetupError, type ServerHandle, rel, repoRoot, tailOf, waitForExit, which } from './proc.js';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const redisHome = path.join(repoRoot, '.local', 'redis');
const logFile = path.join(redisHome, 'redis.log');

/**
 * Runs `fn` with an ioredis client on `url` (AUTH and SELECT from the URL) and closes it after. No retries and
 * no offline queue: a server that does not answer fails the call within `timeoutMs`.
 */
export async function withRedis<T>(url: string, fn: (redis: Redis) => Promise<T>, timeoutMs = 3000): Promise<T> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {}); // the failed command reports it
  try {
    await redis.connect();
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

export async function isRedisReachable(url: string): Promise<boolean> {
  try {
    return (await withRedis(url, (redis) => redis.ping(), 1500)) === 'PONG';
  } catch {
    return false;
  }
}

/** Deletes keys by exact name and by SCAN pattern; used to tidy the namespaces of a throwaway stack. */
export async function deleteRedisKeys(
  url: string,
  { keys = [], patterns = [] }: { keys?: string[]; patterns?: string[] } = {},
): Promise<number> {
  return withRedis(url, async (redis) => {
    const doomed = [...keys];
    for (const pattern of patterns) {
      let cursor = '0';
      do {
        const [nextCursor, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        doomed.push(...found);
        cursor = nextCursor;
      } while (cursor !== '0');
    }
    if (doomed.length) await redis.del(...doomed);
    return doomed.length;
  });
}

async function startPrivateRedis(binary: string): Promise<Omit<ServerHandle, 'private' | 'detail'>> {
  mkdirSync(redisHome, { recursive: true });
  const port = await findFreePort(6380);
  const fd = openSync(logFile, 'a');
  // AOF with everysec and noeviction: the same durability rules as every other deployment.
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    redisHome,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
  ];
  const child = spawn(binary, args, { cwd: redisHome, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const url = `redis://127.0.0.1:${port}`;
  const ready = await waitUntil(() => isRedisReachable(url), {
    timeoutMs: 15_000,
    abort: () => (child.exitCode !== null ? `redis-server exited with code ${child.exitCode}` : null),
  });
  if (!ready.ok) {
    await waitForExit(child, 5000);
    throw new SetupError(
      `private Redis did not start (${ready.reason}). Last lines of ${rel(logFile)}:\n${tailOf(logFile)}`,
    );
  }
  return { url, child, stop: () => waitForExit(child, 10_000, 'SIGTERM') };
}

/** True when the server appends every write to its AOF, flushed every second, as production does. */
async function hasProductionDurability(url: string): Promise<boolean> {
  try {
    const [[, appendonly], [, fsync]] = await withRedis(
      url,
      (redis) =>
        Promise.all([redis.config('GET', 'appendonly'), redis.config('GET', 'appendfsync')]) as Promise<
          [string[], string[]]
        >,
    );
    return appendonly === 'yes' && fsync === 'everysec';
  } catch {
    return false;
  }
}

/**
 * A Redis URL: REDIS_URL (or the default) when it answers PING, else a private redis-server,
 * installing the distro package first when we are root. Returns { url, private, stop() }.
 * `durable` (the benchmarks): a reachable server without AOF everysec is passed over for a
 * private one that has it, so figures are measured with production's durability.
 */
export async function ensureRedisOnce({ durable = false }: { durable?: boolean } = {}): Promise<ServerHandle> {
  const wanted = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  if ((await isRedisReachable(wanted)) && (!durable || (await hasProductionDurability(wanted)))) {
    return { url: wanted, private: false, stop: async () => {}, detail: `using ${redactUrl(wanted)}` };
  }
  let binary = which('redis-server');
  if (!binary && canUseApt()) {
    await ensureApt(['redis-server'], { why: 'Redis is needed' });
    if ((await isRedisReachable(wanted)) && (!durable || (await hasProductionDurability(wanted))))
      return { url: wanted, private: false, stop: async () => {}, detail: `using ${redactUrl(wanted)}` };
    binary = which('redis-server');
  }
  if (!binary) {
    throw new SetupError(
      `Redis is not reachable at ${redactUrl(wanted)} and redis-server was not found.\n` +
        'Install it (a private instance is then started in .local/redis) with:\n  sudo apt-get install -y redis-server\n' +
        'or point REDIS_URL at a server you can use.',
    );
  }
  const instance = await startPrivateRedis(binary);
  return { ...instance, private: true, detail: `private redis-server on ${instance.url}, data in ${rel(redisHome)}` };
}
