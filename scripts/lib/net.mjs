// Small network probes: free ports, TCP reachability, plain HTTP GET.
import http from 'node:http';
import net from 'node:net';
import { sleep } from './proc.mjs';

/** A URL fit to print: its password (if any, with or without a user name) replaced by ***. */
export const redactUrl = (url) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first free port from `preferred` upwards (a small window), else one the OS picks. */
export async function findFreePort(preferred, host = '127.0.0.1', window = 50) {
  for (let port = preferred; port < preferred + window && port < 65536; port += 1) {
    if (await isPortFree(port, host)) return port;
  }
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function tcpProbe(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** GET a URL; resolves { status, body } or { status: 0, error } when nothing answers. */
export function httpGet(url, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, error }));
  });
}

/** Polls `probe` until it returns a truthy value; `abort` may return an error message to stop early. */
export async function waitUntil(probe, { timeoutMs, intervalMs = 250, abort } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = abort?.();
    if (reason) return { ok: false, reason };
    const value = await probe();
    if (value) return { ok: true, value };
    if (Date.now() >= deadline) return { ok: false, reason: 'timeout' };
    await sleep(intervalMs);
  }
}
