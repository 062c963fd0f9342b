// Network probes: free ports (get-port), TCP reachability, plain HTTP GET (undici), polling until ready (p-wait-for).
import net from 'node:net';
import getPort, { portNumbers } from 'get-port';
import pWaitFor from 'p-wait-for';
import { request } from 'undici';

/** A URL fit to print: its password (if any, with or without a user name) replaced by ***. */
export const redactUrl = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

/** Whether nothing listens on `port` now: a bind attempt, so the answer is exact for this instant. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first free port from `preferred` upwards (a small window), else one the OS picks. */
export function findFreePort(preferred: number, host = '127.0.0.1', window = 50): Promise<number> {
  return getPort({ port: portNumbers(preferred, Math.min(preferred + window - 1, 65535)), host });
}

export function tcpProbe(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export type HttpGetResult =
  | { status: number; headers: Record<string, string | string[] | undefined>; body: string; error?: undefined }
  | { status: 0; error: unknown; body?: undefined };

/** GET a URL on a fresh connection; resolves { status, headers, body } or { status: 0, error } when nothing answers. */
export async function httpGet(url: string, timeoutMs = 3000): Promise<HttpGetResult> {
  try {
    const res = await request(url, { signal: AbortSignal.timeout(timeoutMs), reset: true });
    return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
  } catch (error) {
    return { status: 0, error };
  }
}

export type WaitResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Polls `probe` until it returns a truthy value, at most `timeoutMs` (reason 'timeout');
 * `abort` may return an error message to stop early (that message is the reason).
 */
export async function waitUntil<T>(
  probe: () => T | Promise<T>,
  { timeoutMs, intervalMs = 250, abort }: { timeoutMs: number; intervalMs?: number; abort?: () => string | null },
): Promise<WaitResult<NonNullable<T>>> {
  const TIMEOUT = Symbol('timeout');
  let aborted: string | null = null;
  const outcome = await pWaitFor<NonNullable<T> | typeof TIMEOUT | null>(
    async () => {
      aborted = abort?.() ?? null;
      if (aborted) return pWaitFor.resolveWith(null);
      const value = await probe();
      return value ? pWaitFor.resolveWith(value) : false;
    },
    { interval: intervalMs, timeout: { milliseconds: timeoutMs, fallback: () => TIMEOUT } },
  );
  if (outcome === TIMEOUT) return { ok: false, reason: 'timeout' };
  if (outcome === null) return { ok: false, reason: aborted ?? 'aborted' };
  return { ok: true, value: outcome };
}
