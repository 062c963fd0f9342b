// A small keep-alive HTTP client for load generation: no dependencies, latency measured around each request.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** One keep-alive agent per target, so a load step reuses its connections like a browser or nginx would. */
export function createClient(baseUrl, { maxSockets = 256, timeoutMs = 30_000 } = {}) {
  const base = new URL(baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
    throw new Error(`benchmarks only send traffic to the loopback interface, not to ${base.hostname}`);
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });

  /** → { status, headers, body, ms }; status 0 with `error` when the request failed at the socket level. */
  function request(method, path, { headers = {}, body, timeout = timeoutMs } = {}) {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const started = performance.now();
    return new Promise((resolve) => {
      const req = http.request(
        {
          host: base.hostname.replace(/^\[|\]$/g, ''),
          port: base.port || 80,
          method,
          path,
          agent,
          timeout,
          headers: {
            accept: 'application/json',
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
            ...headers,
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - started,
            }),
          );
          res.on('error', (error) => resolve({ status: 0, error, ms: performance.now() - started }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timeout after ${timeout}ms`)));
      req.on('error', (error) => resolve({ status: 0, error, ms: performance.now() - started }));
      req.end(payload);
    });
  }

  /**
   * Opens a Server-Sent Events stream and calls onEvent(data) for each `data:` payload.
   * → { close(), done: Promise<{ status }> }.
   */
  function events(path, { headers = {}, onEvent, timeout = timeoutMs } = {}) {
    let req;
    const done = new Promise((resolve) => {
      req = http.request(
        {
          host: base.hostname.replace(/^\[|\]$/g, ''),
          port: base.port || 80,
          method: 'GET',
          path,
          agent: false,
          headers: { accept: 'text/event-stream', ...headers },
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode }));
            return;
          }
          res.setEncoding('utf8');
          let buffer = '';
          res.on('data', (chunk) => {
            buffer += chunk;
            let end;
            while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
              const data = block
                .split(/\r?\n/)
                .filter((line) => line.startsWith('data:'))
                .map((line) => line.slice(5).replace(/^ /, ''))
                .join('\n');
              if (data) onEvent(data);
            }
          });
          res.on('end', () => resolve({ status: 200 }));
          res.on('error', () => resolve({ status: 200 }));
        },
      );
      req.setTimeout(timeout, () => req.destroy(new Error('timeout')));
      req.on('error', (error) => resolve({ status: 0, error }));
      req.end();
    });
    return { close: () => req.destroy(), done };
  }

  return { request, events, close: () => agent.destroy(), base: base.toString() };
}

/** Cookie jar of one user: keeps name=value of every Set-Cookie and answers with a Cookie header. */
export function cookiesFrom(headers, jar = {}) {
  for (const line of headers['set-cookie'] ?? []) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    if (at > 0) jar[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return jar;
}

export const cookieHeader = (jar) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** Runs `fn(item, index)` over `items` with at most `limit` at a time; rejects on the first error. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  });
  await Promise.all(workers);
  return results;
}
