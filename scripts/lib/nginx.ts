// Renders deploy/nginx/nginx.conf.template for the local stack and runs nginx in the foreground as a child.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { httpGet, isPortFree, waitUntil } from './net.js';
import {
  SetupError,
  commandLineOf,
  isAlive,
  isRoot,
  killGroup,
  rel,
  repoRoot,
  run,
  tailOf,
  waitForExit,
} from './proc.js';

export const NGINX_TEMPLATE = path.join(repoRoot, 'deploy', 'nginx', 'nginx.conf.template');

/**
 * Fills every {{NAME}} in `template` from `values`; a missing value or an unsafe one (quotes, `;`, braces, newlines)
 * throws. An upstream (`server {{X_UPSTREAM}}`) may be a comma-separated list of host:port, one per replica.
 */
export function renderNginxConfig(
  template: string,
  values: Record<string, string | number | null | undefined>,
): string {
  // An upstream given as a comma-separated list (several replicas) becomes one `server` line per address.
  const expanded = template.replace(
    /^(\s*server )\{\{([A-Z0-9_]+_UPSTREAM)\}\}(.*)$/gm,
    (line, head: string, name: string, tail: string) => {
      const addresses = String(values[name] ?? '').split(',');
      return addresses.length < 2 ? line : addresses.map((address) => `${head}${address}${tail}`).join('\n');
    },
  );
  const rendered = expanded.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === null || value === '')
      throw new Error(`nginx template: no value for {{${name}}}`);
    if (/[\s"';{}$\\]/.test(String(value).replace(/ /g, '_')))
      throw new Error(`nginx template: unsafe value for {{${name}}}: ${value}`);
    return String(value);
  });
  return rendered;
}

const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Marketplace</title></head>
<body>
<h1>The SPA is not built</h1>
<p>frontend/dist is missing. Build it with <code>npm run build</code>; the API is already served under /api/.</p>
</body>
</html>
`;

/** frontend/dist (or `built`) when it holds an index.html, else a one-page placeholder inside `prefix`. */
function spaRootFor(prefix: string, built = path.join(repoRoot, 'frontend', 'dist')): { root: string; built: boolean } {
  if (existsSync(path.join(built, 'index.html'))) return { root: built, built: true };
  const placeholder = path.join(prefix, 'placeholder');
  mkdirSync(placeholder, { recursive: true });
  writeFileSync(path.join(placeholder, 'index.html'), PLACEHOLDER_PAGE);
  return { root: placeholder, built: false };
}

async function supportsErrorLogFlag(bin: string): Promise<boolean> {
  // `-e` (1.19.5+) keeps nginx from touching the distro's error log before reading our config.
  const { stderr } = await run(bin, ['-v'], { capture: true });
  const [major = 0, minor = 0, patch = 0] = (stderr.match(/nginx\/(\d+)\.(\d+)\.(\d+)/) ?? []).slice(1).map(Number);
  return major > 1 || (major === 1 && (minor > 19 || (minor === 19 && patch >= 5)));
}

async function stopLeftover(prefix: string): Promise<void> {
  const pidFile = path.join(prefix, 'nginx.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (pid && isAlive(pid) && commandLineOf(pid).includes('nginx')) {
    process.kill(pid, 'SIGTERM');
    await waitUntil(async () => !isAlive(pid), { timeoutMs: 5000 });
  }
}

/**
 * Renders the config into .local/nginx-<port>/ and starts nginx there.
 * upstreams: { auth, products, orders } as host:port (or several, comma-separated: replicas); spaRoot defaults to frontend/dist; imageRoot (products-service's
 * IMAGE_DIR) to .local/images.
 * Returns { url, prefix, conf, spaBuilt, child, stop() }.
 */
export interface NginxOptions {
  bin: string;
  port: number;
  host?: string;
  upstreams: Record<'auth' | 'products' | 'orders', string>;
  loginRate?: string;
  loginBurst?: number;
  signupRate?: string;
  signupBurst?: number;
  refreshRate?: string;
  refreshBurst?: number;
  eventStreams?: number;
  spaRoot?: string;
  /** products-service's IMAGE_DIR, which nginx serves under /images/. */
  imageRoot?: string;
}

export interface Nginx {
  url: string;
  prefix: string;
  conf: string;
  spaBuilt: boolean;
  child: ChildProcess;
  stop: () => Promise<void>;
  kill: () => void;
}

export async function startNginx({
  bin,
  port,
  host = '127.0.0.1',
  upstreams,
  loginRate = '10r/m',
  loginBurst = 5,
  signupRate = '5r/m',
  signupBurst = 5,
  refreshRate = '60r/m',
  refreshBurst = 30,
  eventStreams = 20,
  spaRoot,
  imageRoot = path.join(repoRoot, '.local', 'images'),
}: NginxOptions): Promise<Nginx> {
  const prefix = path.join(repoRoot, '.local', `nginx-${port}`);
  const logDir = path.join(prefix, 'logs');
  for (const dir of ['logs', 'tmp/client_body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi']) {
    mkdirSync(path.join(prefix, dir), { recursive: true });
  }
  await stopLeftover(prefix);
  if (!(await isPortFree(port, host))) {
    throw new SetupError(
      `port ${port} on ${host} is already in use; stop what holds it or choose another port (PORT=…).`,
    );
  }
  // Copies an earlier run kept belong to other databases: every run starts with an empty catalog cache.
  rmSync(path.join(prefix, 'cache'), { recursive: true, force: true });
  mkdirSync(path.join(prefix, 'cache'), { recursive: true });

  const spa = spaRootFor(prefix, spaRoot);
  mkdirSync(imageRoot, { recursive: true });
  const conf = path.join(prefix, 'nginx.conf');
  const template = readFileSync(NGINX_TEMPLATE, 'utf8');
  writeFileSync(
    conf,
    renderNginxConfig(template, {
      LISTEN_PORT: `${host}:${port}`,
      AUTH_UPSTREAM: upstreams.auth,
      PRODUCTS_UPSTREAM: upstreams.products,
      ORDERS_UPSTREAM: upstreams.orders,
      SPA_ROOT: spa.root,
      IMAGE_ROOT: path.resolve(imageRoot),
      PREFIX: prefix,
      LOG_DIR: logDir,
      LOGIN_RATE: loginRate,
      LOGIN_BURST: loginBurst,
      SIGNUP_RATE: signupRate,
      SIGNUP_BURST: signupBurst,
      REFRESH_RATE: refreshRate,
      REFRESH_BURST: refreshBurst,
      EVENT_STREAMS: eventStreams,
    }),
  );

  // As root the workers would otherwise run as nobody, who may not read a checkout under /root.
  const globals = `daemon off;${isRoot() ? ' user root;' : ''}`;
  const args = ['-p', `${prefix}/`, '-c', conf, '-g', globals];
  if (await supportsErrorLogFlag(bin)) args.push('-e', path.join(logDir, 'error.log'));

  const check = await run(bin, [...args, '-t'], { capture: true });
  if (check.code !== 0) throw new SetupError(`nginx rejected ${rel(conf)}:\n${check.stderr.trim()}`);

  const outFile = path.join(logDir, 'nginx.out');
  const fd = openSync(outFile, 'a');
  const child = spawn(bin, args, { cwd: prefix, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const url = `http://${host}:${port}`;
  const ready = await waitUntil(async () => (await httpGet(`${url}/healthz`, 1000)).status === 200, {
    timeoutMs: 15_000,
    abort: () => (child.exitCode !== null ? `nginx exited with code ${child.exitCode}` : null),
  });
  if (!ready.ok) {
    await waitForExit(child, 5000);
    throw new SetupError(
      `nginx did not start (${ready.reason}):\n${tailOf(path.join(logDir, 'error.log'), 15)}\n${tailOf(outFile, 5)}`,
    );
  }
  // SIGTERM is nginx's fast shutdown; a graceful one would wait for open event streams.
  const stop = () => waitForExit(child, 10_000, 'SIGTERM');
  return { url, prefix, conf, spaBuilt: spa.built, child, stop, kill: () => killGroup(child.pid, 'SIGTERM') };
}
