// A redis-server the run owns (never the shared one): AOF with everysec and noeviction like every
// deployment, its data in the run's folder, so it can be killed and started again on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { findFreePort, waitUntil } from '../lib/net.js';
import { SetupError, killGroup, tailOf, waitForExit, which } from '../lib/proc.js';
import { isRedisReachable, withRedis } from '../lib/redis.js';

export interface RedisServer {
  url: string;
  port: number;
  readonly pid: number | undefined;
  logFile: string;
  crash(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
  info(section: string): Promise<Record<string, string>>;
}

/**
 * Starts redis-server in `dir`. maxmemory (bytes, 0 = none) with noeviction: a full Redis refuses
 * writes instead of dropping stream entries. → { url, port, pid, crash(), restart(), stop(), info(section) }.
 */
export async function startRedisServer({
  dir,
  maxmemory = 0,
  appendonly = true,
}: {
  dir: string;
  maxmemory?: number | null;
  appendonly?: boolean;
}): Promise<RedisServer> {
  const binary = which('redis-server');
  if (!binary)
    throw new SetupError('redis-server was not found; install it with:\n  sudo apt-get install -y redis-server');
  mkdirSync(dir, { recursive: true });
  const port = await findFreePort(6400 + Math.floor(Math.random() * 1000));
  const url = `redis://127.0.0.1:${port}`;
  const logFile = path.join(dir, 'redis.log');
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    appendonly ? 'yes' : 'no',
    '--appendfsync',
    'everysec',
    '--maxmemory',
    String(maxmemory ?? 0),
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
  ];
  const spawnServer = (): ChildProcess => {
    const fd = openSync(logFile, 'a');
    const server = spawn(binary, args, { cwd: dir, stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    return server;
  };
  let child = spawnServer();
  const launch = async (fresh: boolean) => {
    if (fresh) child = spawnServer();
    const ready = await waitUntil(() => isRedisReachable(url), {
      timeoutMs: 30_000,
      intervalMs: 50,
      abort: () => (child.exitCode !== null ? `redis-server exited with code ${child.exitCode}` : null),
    });
    if (!ready.ok) throw new SetupError(`redis-server on ${port} did not start (${ready.reason}):\n${tailOf(logFile)}`);
  };
  await launch(false);
  process.once('exit', () => killGroup(child.pid, 'SIGKILL'));
  return {
    url,
    port,
    get pid() {
      return child.pid;
    },
    logFile,
    /** SIGKILL: whatever the AOF had not flushed (up to a second) is lost, as in a power cut. */
    async crash() {
      await waitForExit(child, 5000, 'SIGKILL');
    },
    async restart() {
      await launch(true);
    },
    async stop() {
      await waitForExit(child, 10_000, 'SIGTERM');
    },
    /** INFO `section` as { field: value }. */
    async info(section: string) {
      const text = await withRedis(url, (redis) => redis.info(section));
      return Object.fromEntries(
        text
          .split('\r\n')
          .filter((line) => line.includes(':'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
      );
    },
  };
}
