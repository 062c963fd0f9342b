// The HTTP client of the load generators: an undici Pool of keep-alive connections per target, latency
// measured around each request, and Server-Sent Events streams on connections of their own.
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'undici';

export type Headers = Record<string, string | string[] | undefined>;

export type Reply =
  | { status: number; headers: Headers; body: string; ms: number; error?: undefined }
  | { status: 0; error: Error & { code?: string }; ms: number; body?: undefined; headers?: undefined };

export interface RequestOptions {
  headers?: Record<string, string>;
  /** A string is sent as is, anything else as JSON. */
  body?: unknown;
  timeout?: number;
}

export interface EventStream {
  close: () => void;
  done: Promise<{ status: number; error?: unknown }>;
}

export interface HttpClient {
  request(method: string, path: string, options?: RequestOptions): Promise<Reply>;
  events(
    path: string,
    options: { headers?: Record<string, string>; onEvent: (data: string) => void; timeout?: number },
  ): EventStream;
  close(): Promise<void>;
  base: string;
}

const asError = (err: unknown): Error & { code?: string } => (err instanceof Error ? err : new Error(String(err)));

/** Splits a Server-Sent Events buffer into complete events' data; returns them and the incomplete rest. */
function parseEvents(buffer: string): { events: string[]; rest: string } {
  const events: string[] = [];
  let rest = buffer;
  let end;
  while ((end = rest.search(/\r?\n\r?\n/)) >= 0) {
    const block = rest.slice(0, end);
    rest = rest.slice(end).replace(/^\r?\n\r?\n/, '');
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data) events.push(data);
  }
  return { events, rest };
}

/** Up to `maxSockets` keep-alive connections to the target, so a load step reuses them like a browser or nginx would. */
export function createClient(
  baseUrl: string,
  { maxSockets = 256, timeoutMs = 30_000 }: { maxSockets?: number; timeoutMs?: number } = {},
): HttpClient {
  const base = new URL(baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
    throw new Error(`benchmarks only send traffic to the loopback interface, not to ${base.hostname}`);
  }
  const pool = new Pool(base.origin, { connections: maxSockets, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });

  /** → { status, headers, body, ms }; status 0 with `error` when the request failed at the socket level. */
  async function request(
    method: string,
    path: string,
    { headers = {}, body, timeout = timeoutMs }: RequestOptions = {},
  ): Promise<Reply> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const started = performance.now();
    try {
      const res = await pool.request({
        method,
        path,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        headers: {
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: payload,
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers, body: text, ms: performance.now() - started };
    } catch (err) {
      return { status: 0, error: asError(err), ms: performance.now() - started };
    }
  }

  /**
   * Opens a Server-Sent Events stream on a connection of its own and calls onEvent(data) for each `data:`
   * payload; `timeout` is the longest silence. → { close(), done: Promise<{ status }> }.
   */
  function events(
    path: string,
    {
      headers = {},
      onEvent,
      timeout = timeoutMs,
    }: { headers?: Record<string, string>; onEvent: (data: string) => void; timeout?: number },
  ): EventStream {
    const connection = new Client(base.origin, { headersTimeout: timeout, bodyTimeout: timeout });
    const aborter = new AbortController();
    const done = (async () => {
      try {
        const res = await connection.request({
          method: 'GET',
          path,
          headers: { accept: 'text/event-stream', ...headers },
          signal: aborter.signal,
        });
        if (res.statusCode !== 200) {
          await res.body.dump();
          return { status: res.statusCode };
        }
        res.body.setEncoding('utf8');
        let buffer = '';
        for await (const chunk of res.body as AsyncIterable<string>) {
          const parsed = parseEvents(buffer + chunk);
          buffer = parsed.rest;
          for (const data of parsed.events) onEvent(data);
        }
        return { status: 200 };
      } catch (error) {
        // Closed by us or cut by the server after the stream was answered: it was a 200 all the same.
        return aborter.signal.aborted ? { status: 200 } : { status: 0, error };
      } finally {
        void connection.destroy().catch(() => {});
      }
    })();
    return { close: () => aborter.abort(), done };
  }

  return { request, events, close: () => pool.destroy(), base: base.toString() };
}

/** Cookie jar of one user: keeps name=value of every Set-Cookie and answers with a Cookie header. */
export function cookiesFrom(headers: Headers, jar: Record<string, string> = {}): Record<string, string> {
  const setCookie = headers['set-cookie'] ?? [];
  for (const line of Array.isArray(setCookie) ? setCookie : [setCookie]) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    if (at > 0) jar[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return jar;
}

export const cookieHeader = (jar: Record<string, string>): string =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** Runs `fn(item, index)` over `items` with at most `limit` at a time; rejects on the first error. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  });
  await Promise.all(workers);
  return results;
}
