import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface Upstream {
  port: number;
  /** Every request this upstream saw, in order. */
  seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** A stand-in service: records each request, then lets `handler` answer it. */
export async function startUpstream(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fake built SPA: index.html and one hashed asset big enough for gzip. */
export function fakeSpa(): { root: string; asset: string; remove(): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'spa-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(
    path.join(root, 'index.html'),
    '<!doctype html><html lang="en"><head><title>Marketplace</title></head><body><div id="root"></div></body></html>',
  );
  const asset = '/assets/index-Ab12Cd34.js';
  writeFileSync(path.join(root, asset), `export const data = ${JSON.stringify('x'.repeat(20_000))};\n`);
  return { root, asset, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface NginxUnderTest {
  url: string;
  stop(): Promise<void>;
}

/** Starts the real nginx template (as the local stack renders it) in a child process. */
export async function startNginxUnderTest(options: {
  port: number;
  upstreams: { auth: string; products: string; orders: string };
  spaRoot: string;
  /** products-service's IMAGE_DIR, served under /images/. */
  imageRoot?: string;
  loginRate?: string;
  loginBurst?: number;
  signupRate?: string;
  signupBurst?: number;
  refreshRate?: string;
  refreshBurst?: number;
}): Promise<NginxUnderTest> {
  const script = path.join(__dirname, 'serve-nginx.mjs');
  const child: ChildProcess = spawn(process.execPath, [script, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nginx did not start within 20 s: ${stderr}`)), 20_000);
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nginx helper exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent, not decompressed (fetch would hide Content-Encoding and decompress). */
  raw: Buffer;
  /** The body read as UTF-8. */
  body: string;
}

/**
 * One HTTP request as written: the path after the origin goes out byte for byte (no client
 * normalises `..` or escapes here), and the answer comes back undecoded.
 */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  const [, origin = '', rawPath = '/'] = /^(https?:\/\/[^/]+)(.*)$/.exec(url) ?? [];
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname, port, path: rawPath || '/', method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, body: raw.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
