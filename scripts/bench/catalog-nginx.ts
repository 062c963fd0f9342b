// The catalog through nginx beside a bare Node server answering the same bytes for the same URLs through
// the same nginx: the ratio says how much of the floor (nginx + one Node hop) the catalog keeps.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { httpGet, waitUntil } from '../lib/net.js';
import { SetupError, isAlive } from '../lib/proc.js';
import { type HttpClient } from './http-client.js';
import { Samples } from './stats.js';

export const BARE_PATH = '/api/bench-bare';

/**
 * A Node server that answers each query string in `bodies` with its body as JSON (the catalog's answer
 * to the same query), anything else 404; → { port, close() }.
 */
export function startBareServer(
  bodies: ReadonlyMap<string, string>,
): Promise<{ port: number; close: () => Promise<void> }> {
  const payloads = new Map([...bodies].map(([query, body]) => [query, Buffer.from(body)]));
  const server = http.createServer((req, res) => {
    req.resume();
    const url = req.url ?? '';
    const payload = payloads.get(url.slice(url.indexOf('?') + 1));
    if (!payload) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length });
    res.end(payload);
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
    server.unref();
  });
}

/**
 * Adds an upstream and `location = /api/bench-bare` to the bench stack's rendered nginx.conf
 * (a file this run generated, not the template) and reloads that nginx with SIGHUP.
 */
export async function routeBareThroughNginx(
  nginx: { conf: string; prefix: string },
  url: string,
  port: number,
  /** A path under BARE_PATH the bare server answers with 200, asked until nginx routes it. */
  probePath = BARE_PATH,
): Promise<void> {
  const conf = readFileSync(nginx.conf, 'utf8');
  if (conf.includes('upstream bench_bare')) throw new SetupError(`${nginx.conf} already routes the bare server`);
  const withUpstream = conf.replace(
    /(\n\s*server \{)/,
    `\n    upstream bench_bare {\n        server 127.0.0.1:${port};\n        keepalive 16;\n    }\n$1`,
  );
  const withLocation = withUpstream.replace(
    /(\n\s*location \/api\/ \{)/,
    `\n        location = ${BARE_PATH} {\n            proxy_pass http://bench_bare;\n        }\n$1`,
  );
  if (withLocation === withUpstream || withUpstream === conf)
    throw new SetupError(`cannot find where to add the bare route in ${nginx.conf}`);
  writeFileSync(nginx.conf, withLocation);
  const pidFile = path.join(nginx.prefix, 'nginx.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
  if (!pid || !isAlive(pid)) throw new SetupError('the bench nginx is not running; cannot reload it');
  process.kill(pid, 'SIGHUP');
  const ready = await waitUntil(
    async () => {
      const res = await httpGet(`${url}${probePath}`, 2000);
      return res.status === 200;
    },
    { timeoutMs: 10_000, intervalMs: 200 },
  );
  if (!ready.ok)
    throw new SetupError(`nginx did not route ${BARE_PATH} after the reload (see ${nginx.prefix}/logs/error.log)`);
}

/**
 * Closed loop: `connections` clients each sending the next request when the last one answered, for
 * `seconds`, each asking for the path `next(connection)` names. → { requests, perSecond, p50, p99,
 * errors, bytes (mean body), distinct (paths asked for), cache (X-Cache-Status counts) }.
 */
export interface LoopFigures {
  requests: number;
  perSecond: number;
  p50: number | null;
  p99: number | null;
  errors: number;
  bytes: number;
  /** Distinct paths asked for. */
  distinct: number;
  /** nginx's X-Cache-Status of the answers (HIT, STALE, UPDATING, MISS …; `none` without the header). */
  cache: Record<string, number>;
}

export async function closedLoop(
  client: HttpClient,
  next: (connection: number) => string,
  { connections, seconds }: { connections: number; seconds: number },
): Promise<LoopFigures> {
  const latency = new Samples();
  const cache: Record<string, number> = {};
  const asked = new Set<string>();
  let errors = 0;
  let bytes = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      while (performance.now() < end) {
        const path = next(c);
        asked.add(path);
        const res = await client.request('GET', path);
        if (res.status === 200 && !res.error && res.body.length > 0) {
          latency.add(res.ms);
          bytes += Buffer.byteLength(res.body);
          const status = String(res.headers['x-cache-status'] ?? 'none');
          cache[status] = (cache[status] ?? 0) + 1;
        } else {
          errors += 1;
        }
      }
    }),
  );
  const took = (performance.now() - started) / 1000;
  return {
    requests: latency.count,
    perSecond: latency.count / took,
    p50: latency.percentile(50),
    p99: latency.percentile(99),
    errors,
    bytes: latency.count ? Math.round(bytes / latency.count) : 0,
    distinct: asked.size,
    cache,
  };
}
