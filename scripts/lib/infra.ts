// One entry point for everything the stack and the tests need from the machine.
// Each ensure* runs once per process; private instances it starts are stopped by their stop()
// or, at the latest, when this process exits.
import { existsSync } from 'node:fs';
import { canUseApt, ensureApt } from './apt.js';
import { ensurePostgresOnce } from './postgres.js';
import { type ChildProcess } from 'node:child_process';
import { SetupError, type ServerHandle, killGroup, step, which } from './proc.js';
import { ensureRedisOnce } from './redis.js';

export { sql, sqlValue } from './postgres.js';
export { deleteRedisKeys } from './redis.js';

/** What an ensure* call gives: the server's URL, whether this process started it, and how to stop it. */
export interface Server {
  url: string;
  private: boolean;
  stop: () => Promise<void>;
}

const memo = new Map<string, Promise<string>>();
const servers = new Map<string, Promise<Server>>();
const privateChildren = new Map<ChildProcess, NodeJS.Signals>(); // child → the signal that shuts it down cleanly

process.once('exit', () => {
  // Last resort for a parent that exits without awaiting stop(): never leave a private server behind.
  for (const [child, signal] of privateChildren) if (child.exitCode === null) killGroup(child.pid, signal);
});

function once(key: string, label: string, start: () => Promise<ServerHandle>): Promise<Server> {
  if (!servers.has(key)) {
    const promise = step(label, start).then((handle) => {
      if (handle.child) privateChildren.set(handle.child, handle.exitSignal ?? 'SIGTERM');
      let stopping: Promise<void> | undefined;
      const stop = () => {
        stopping ??= handle.stop().then(() => {
          if (handle.child) privateChildren.delete(handle.child);
        });
        return stopping;
      };
      return { url: handle.url, private: handle.private, stop };
    });
    servers.set(key, promise);
    promise.catch(() => servers.delete(key));
  }
  return servers.get(key)!;
}

/**
 * → { url, private, stop() }: an admin URL for PostgreSQL (see postgres.ts for the order tried). The
 * first call of the process decides: `{ maintained: true }` insists on autovacuum.
 */
export const ensurePostgres = (options?: { maintained?: boolean }): Promise<Server> =>
  once('postgres', 'PostgreSQL', () => ensurePostgresOnce(options));

/**
 * → { url, private, stop() }: a Redis URL (see redis.ts for the order tried). The first call of
 * the process decides: `{ durable: true }` insists on AOF everysec.
 */
export const ensureRedis = (options?: { durable?: boolean }): Promise<Server> =>
  once('redis', 'Redis', () => ensureRedisOnce(options));

/** Stops every private PostgreSQL/Redis this process started. */
export async function stopInfra(): Promise<void> {
  const handles = await Promise.allSettled([...servers.values()]);
  await Promise.all(handles.filter((h) => h.status === 'fulfilled').map((h) => h.value.stop()));
}

async function locateOrInstall(name: string, aptPackage: string, candidates: string[] = []): Promise<string> {
  const found = candidates.find((c) => existsSync(c)) ?? which(name);
  if (found) return found;
  if (!canUseApt())
    throw new SetupError(`${name} was not found. Install it with:\n  sudo apt-get install -y ${aptPackage}`);
  await ensureApt([aptPackage], { why: `${name} is needed` });
  const installed = candidates.find((c) => existsSync(c)) ?? which(name);
  if (!installed) throw new SetupError(`${aptPackage} was installed but ${name} is still missing`);
  return installed;
}

function ensureBinary(name: string, label: string, aptPackage: string, candidates: string[]): Promise<string> {
  if (!memo.has(name)) {
    const promise = step(label, async () => {
      const bin = await locateOrInstall(name, aptPackage, candidates);
      return { bin, detail: bin };
    }).then(({ bin }) => bin);
    memo.set(name, promise);
    promise.catch(() => memo.delete(name));
  }
  return memo.get(name)!;
}

/** → absolute path of the nginx binary, installing the `nginx` package when root and missing. */
export const ensureNginx = (): Promise<string> => ensureBinary('nginx', 'nginx', 'nginx', ['/usr/sbin/nginx']);

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** → `/usr/bin/chromium`, installing the `chromium` package when root and missing. */
export const ensureChromium = (): Promise<string> => ensureBinary('chromium', 'Chromium', 'chromium', [CHROMIUM_PATH]);
