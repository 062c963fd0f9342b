import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { freePort } from '@market/kit/testing';
import {
  fakeSpa,
  send,
  startNginxUnderTest,
  startUpstream,
  type NginxUnderTest,
  type Reply,
  type Upstream,
} from './support/nginx-under-test';

const json = (reply: Reply) => JSON.parse(reply.body) as { error: { code: string; message: string } };

describe('nginx in front of the SPA and the services', () => {
  const spa = fakeSpa();
  const imageRoot = mkdtempSync(path.join(os.tmpdir(), 'images-'));
  const IMAGE_NAME = `${'ab12'.repeat(8)}.webp`;
  writeFileSync(path.join(imageRoot, IMAGE_NAME), 'RIFF-fake-webp');
  let auth: Upstream;
  let products: Upstream;
  let orders: Upstream;
  let nginx: NginxUnderTest;
  let releaseSse: () => void = () => {};

  beforeAll(async () => {
    auth = await startUpstream((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end('{"ok":true}');
    });
    products = await startUpstream((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ data: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `product ${i}` })) }));
    });
    orders = await startUpstream((req, res) => {
      if (!req.url?.endsWith('/events')) return void res.end('{}');
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write('event: status\ndata: {"status":"PENDING"}\n\n');
      // The second event is held back until the test has seen the first one arrive.
      releaseSse = () => res.end('event: status\ndata: {"status":"COMPLETED"}\n\n');
    });
    nginx = await startNginxUnderTest({
      port: await freePort(),
      upstreams: {
        auth: `127.0.0.1:${auth.port}`,
        products: `127.0.0.1:${products.port}`,
        orders: `127.0.0.1:${orders.port}`,
      },
      spaRoot: spa.root,
      imageRoot,
      loginRate: '1r/m',
      loginBurst: 2,
    });
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all([auth, products, orders].map((u) => u?.close()));
    spa.remove();
    rmSync(imageRoot, { recursive: true, force: true });
  });

  it('when an uploaded image is fetched, then nginx serves the file as WebP, cached for a year', async () => {
    const res = await send(`${nginx.url}/images/${IMAGE_NAME}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/webp');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toBe('RIFF-fake-webp');
  });

  it('when a name under /images/ is not a stored image name, then 404 in the envelope', async () => {
    for (const name of ['missing.png', IMAGE_NAME.toUpperCase(), `sub/${IMAGE_NAME}`, `${'0'.repeat(32)}.webp`]) {
      const res = await send(`${nginx.url}/images/${name}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/json/);
    }
  });

  it('when an image upload is larger than the JSON limit, then it still reaches products-service up to 10 MB', async () => {
    const upload = (bytes: number) =>
      send(`${nginx.url}/api/products/abc/images`, {
        method: 'POST',
        headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
        body: Buffer.alloc(bytes, 1),
      });
    const json = await send(`${nginx.url}/api/products`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.alloc(2 * 1024 * 1024, 32),
    });

    const twoMegabytes = await upload(2 * 1024 * 1024);
    const tooLarge = await upload(12 * 1024 * 1024);

    expect(json.status).toBe(413);
    expect(twoMegabytes.status).toBe(200);
    expect(products.seen.at(-1)?.url).toBe('/api/products/abc/images');
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'The image is larger than 10 MB' },
    });
  });

  it('when a client-side route is loaded, then index.html answers with no-cache and the security headers', async () => {
    const res = await send(`${nginx.url}/seller/products/new`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<div id="root">');
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    // Pictures come only from the shop's own image store: no external or data: source (issue #10 point 8).
    expect(csp).toMatch(/img-src 'self'(;|$)/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('when the browser came over HTTPS through the tunnel, then HSTS is sent', async () => {
    const res = await send(`${nginx.url}/`, { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('when a hashed asset is fetched with gzip accepted, then it is cached for a year and compressed', async () => {
    const res = await send(`${nginx.url}${spa.asset}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.raw).toString()).toContain('export const data');
  });

  it('when a missing asset is fetched, then it is a 404, not the SPA page', async () => {
    const res = await send(`${nginx.url}/assets/gone-123.js`);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('<div id="root">');
  });

  it('when /api/auth/, /api/products and /api/orders are called, then each reaches its own service with the request id and client address', async () => {
    await send(`${nginx.url}/api/auth/me`, { headers: { 'X-Request-Id': 'req-nginx-1' } });
    await send(`${nginx.url}/api/products?q=lamp&page=2`);
    await send(`${nginx.url}/api/orders/123`);
    expect(auth.seen.at(-1)).toEqual(expect.objectContaining({ url: '/api/auth/me' }));
    expect(auth.seen.at(-1)?.headers['x-request-id']).toBe('req-nginx-1');
    expect(auth.seen.at(-1)?.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(products.seen.at(-1)?.url).toBe('/api/products?q=lamp&page=2');
    expect(orders.seen.at(-1)?.url).toBe('/api/orders/123');
  });

  it('when the saved addresses are called, with or without an id, then orders-service answers them', async () => {
    const list = await send(`${nginx.url}/api/addresses`);
    expect(orders.seen.at(-1)?.url).toBe('/api/addresses');
    const one = await send(`${nginx.url}/api/addresses/5b0c1e62-0000-4000-8000-000000000001`);
    expect(orders.seen.at(-1)?.url).toBe('/api/addresses/5b0c1e62-0000-4000-8000-000000000001');
    expect([list.status, one.status]).toEqual([200, 200]);
  });

  it('when an order event stream is open, then each event reaches the client as it is written (no buffering)', async () => {
    const first = await new Promise<{ text: string; res: http.IncomingMessage }>((resolve, reject) => {
      const req = http.get(
        `${nginx.url}/api/orders/abc/events`,
        { headers: { Accept: 'text/event-stream' } },
        (res) => {
          res.once('data', (chunk: Buffer) => resolve({ text: chunk.toString(), res }));
        },
      );
      req.on('error', reject);
    });
    expect(first.res.headers['content-type']).toMatch(/text\/event-stream/);
    expect(first.text).toContain('PENDING');
    const rest = new Promise<string>((resolve) => {
      let text = '';
      first.res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      first.res.on('end', () => resolve(text));
    });
    releaseSse();
    expect(await rest).toContain('COMPLETED');
  });

  it('when one address opens more than 20 event streams, then the next answers 429 in the envelope', async () => {
    const open: http.ClientRequest[] = [];
    try {
      for (let i = 0; i < 20; i += 1) {
        await new Promise<void>((resolve, reject) => {
          const req = http.get(`${nginx.url}/api/orders/held-${i}/events`, (res) => res.once('data', () => resolve()));
          req.on('error', reject);
          open.push(req);
        });
      }
      const res = await send(`${nginx.url}/api/orders/one-more/events`);
      expect(res.status).toBe(429);
      expect(json(res).error.code).toBe('RATE_LIMITED');
    } finally {
      for (const req of open) req.destroy();
    }
  });

  it('when a body over 1 MB is sent, then nginx answers 413 in the JSON envelope', async () => {
    const res = await send(`${nginx.url}/api/products`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.alloc(2 * 1024 * 1024, 'a'),
    });
    expect(res.status).toBe(413);
    expect(json(res).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when the headers are too large, then nginx answers in the JSON envelope, not an HTML page', async () => {
    const res = await send(`${nginx.url}/api/products`, { headers: { Cookie: `junk=${'x'.repeat(40_000)}` } });
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(json(res).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when logins come faster than the limit, then nginx answers 429 RATE_LIMITED with Retry-After', async () => {
    const statuses: number[] = [];
    let limited: Reply | undefined;
    for (let i = 0; i < 5; i += 1) {
      const res = await send(`${nginx.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(limited).toBeDefined();
    expect(json(limited!).error.code).toBe('RATE_LIMITED');
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('when metrics or an unknown API are asked for from outside, then it answers 404 in the envelope', async () => {
    for (const route of ['/metrics', '/api/orders/metrics', '/api/nothing/here']) {
      const res = await send(`${nginx.url}${route}`);
      expect(res.status).toBe(404);
      expect(json(res).error.code).toBe('NOT_FOUND');
    }
  });
});

describe('nginx when a service is down', () => {
  it('then the API answers 502 SERVICE_UNAVAILABLE in the envelope, not an HTML page', async () => {
    const spa = fakeSpa();
    const nobody = `127.0.0.1:${await freePort()}`;
    const nginx = await startNginxUnderTest({
      port: await freePort(),
      upstreams: { auth: nobody, products: nobody, orders: nobody },
      spaRoot: spa.root,
    });
    try {
      const res = await send(`${nginx.url}/api/products`);
      expect(res.status).toBe(502);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(json(res).error.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await nginx.stop();
      spa.remove();
    }
  });
});
