// The catalog through nginx beside a bare Node server answering the same bytes through the same
// nginx: the ratio says how much of the floor (nginx + one Node hop) the products service keeps.
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

/** A Node server that answers every request with `body` as JSON; → { port, close() }. */
export function startBareServer(body: string): Promise<{ port: number; close: () => Promise<void> }> {
  const payload = Buffer.from(body);
  const server = http.createServer((req, res) => {
    req.resume();
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
      const res = await httpGet(`${url}${BARE_PATH}`, 2000);
      return res.status === 200;
    },
    { timeoutMs: 10_000, intervalMs: 200 },
  );
  if (!ready.ok)
    throw new SetupError(`nginx did not route ${BARE_PATH} after the reload (see ${nginx.prefix}/logs/error.log)`);
}

/**
 * Closed loop: `connections` clients each sending the next request when the last one answered,
 * for `seconds`. → { requests, perSecond, p50, p99, errors, bytes }.
 */
export interface LoopFigures {
  requests: number;
  perSecond: number;
  p50: number | null;
  p99: number | null;
  errors: number;
  bytes: number;
}

export async function closedLoop(
  client: HttpClient,
  requestPath: string,
  { connections, seconds }: { connections: number; seconds: number },
): Promise<LoopFigures> {
  const latency = new Samples();
  let errors = 0;
  let bytes = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const res = await client.request('GET', requestPath);
        if (res.status === 200 && !res.error) {
          latency.add(res.ms);
          bytes = Buffer.byteLength(res.body);
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
    bytes,
  };
}
