// nginx from the deployment's own template in front of the run's processes, with one `server` line per
// replica in an upstream (as nginx resolves a scaled compose service), in the run's folder.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureNginx } from '../lib/infra.js';
import { findFreePort, httpGet, waitUntil } from '../lib/net.js';
import { NGINX_TEMPLATE, renderNginxConfig } from '../lib/nginx.js';
import { SetupError, isRoot, killGroup, run, tailOf, waitForExit } from '../lib/proc.js';

type Api = 'auth' | 'products' | 'orders';

/**
 * upstreams: { auth, products, orders } → arrays of host:port (auth may be empty: nginx then answers 502
 * for /api/auth/). Returns { url, port, conf, logDir, stop() }.
 */
export interface NginxFront {
  url: string;
  port: number;
  conf: string;
  logDir: string;
  pid: number | undefined;
  stop: () => Promise<void>;
}

export async function startNginxFront({
  dir,
  upstreams,
  eventStreams = 1000,
}: {
  dir: string;
  upstreams: Partial<Record<Api, string[]>>;
  eventStreams?: number;
}): Promise<NginxFront> {
  const bin = await ensureNginx();
  const logDir = path.join(dir, 'logs');
  for (const sub of ['logs', 'tmp/client_body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi', 'cache', 'spa']) {
    mkdirSync(path.join(dir, sub), { recursive: true });
  }
  writeFileSync(path.join(dir, 'spa', 'index.html'), '<!doctype html><title>chaos run</title>\n');
  const port = await findFreePort(18_000 + Math.floor(Math.random() * 1000));
  // Nothing listens on the discard port: a missing service is a clean 502.
  const lists: Record<Api, string[]> = { auth: [], products: [], orders: [] };
  for (const key of ['auth', 'products', 'orders'] as const) {
    const servers = upstreams[key] ?? [];
    lists[key] = servers.length ? servers : ['127.0.0.1:9'];
  }
  const conf = renderNginxConfig(readFileSync(NGINX_TEMPLATE, 'utf8'), {
    LISTEN_PORT: `127.0.0.1:${port}`,
    // One `server` line per replica (renderNginxConfig expands a comma-separated list).
    AUTH_UPSTREAM: lists.auth.join(','),
    PRODUCTS_UPSTREAM: lists.products.join(','),
    ORDERS_UPSTREAM: lists.orders.join(','),
    SPA_ROOT: path.join(dir, 'spa'),
    IMAGE_ROOT: path.join(dir, 'images'),
    PREFIX: dir,
    LOG_DIR: logDir,
    LOGIN_RATE: '6000r/m',
    LOGIN_BURST: 1000,
    SIGNUP_RATE: '6000r/m',
    SIGNUP_BURST: 1000,
    REFRESH_RATE: '6000r/m',
    REFRESH_BURST: 1000,
    EVENT_STREAMS: eventStreams,
  });
  const confFile = path.join(dir, 'nginx.conf');
  writeFileSync(confFile, conf);
  const args = ['-p', `${dir}/`, '-c', confFile, '-g', `daemon off;${isRoot() ? ' user root;' : ''}`];
  // `-e` (1.19.5+) keeps nginx from opening the distro's error log before it reads this config.
  const version = /nginx\/(\d+)\.(\d+)\.(\d+)/
    .exec((await run(bin, ['-v'], { capture: true })).stderr)
    ?.slice(1)
    .map(Number) ?? [0, 0, 0];
  const [major = 0, minor = 0, patch = 0] = version;
  if (major > 1 || minor > 19 || (minor === 19 && patch >= 5)) args.push('-e', path.join(logDir, 'error.log'));
  const check = await run(bin, [...args, '-t'], { capture: true });
  if (check.code !== 0) throw new SetupError(`nginx rejected ${confFile}:\n${check.stderr.trim()}`);
  const fd = openSync(path.join(logDir, 'nginx.out'), 'a');
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  process.once('exit', () => killGroup(child.pid, 'SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  const ready = await waitUntil(async () => (await httpGet(`${url}/healthz`, 1000)).status === 200, {
    timeoutMs: 15_000,
    abort: () => (child.exitCode !== null ? `nginx exited with code ${child.exitCode}` : null),
  });
  if (!ready.ok)
    throw new SetupError(`nginx did not start (${ready.reason}):\n${tailOf(path.join(logDir, 'error.log'), 15)}`);
  return { url, port, conf: confFile, logDir, pid: child.pid, stop: () => waitForExit(child, 10_000, 'SIGTERM') };
}
