import net from 'node:net';
import { freePort } from '@market/kit/testing';
import {
  fakeSpa,
  send,
  startNginxUnderTest,
  startUpstream,
  type NginxUnderTest,
  type Upstream,
} from './support/nginx-under-test';

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** The path goes out exactly as written: no client normalises `..` or escapes here. */
async function ask(base: string, rawPath: string, options: { method?: string; body?: string } = {}): Promise<Answer> {
  const reply = await send(base + rawPath, options);
  return { status: reply.status, contentType: reply.headers['content-type'] ?? '', body: reply.body };
}

/** Bytes no HTTP client would send: a broken request line. */
function sendRaw(base: string, bytes: string): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(bytes));
    let raw = '';
    socket.on('data', (chunk: Buffer) => (raw += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = raw.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const contentType = /\r\ncontent-type: ([^\r]+)/i.exec(head)?.[1] ?? '';
      resolve({ status, contentType, body });
    });
  });
}

function expectEnvelope(reply: Answer, status: number, code: string): void {
  expect({ status: reply.status, contentType: reply.contentType }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/json/) as unknown,
  });
  const parsed = JSON.parse(reply.body) as { error: { code: string; message: string } };
  expect(parsed.error).toEqual({ code, message: expect.any(String) as unknown });
}

describe('nginx against hostile requests', () => {
  const spa = fakeSpa();
  let upstream: Upstream;
  let nginx: NginxUnderTest;

  beforeAll(async () => {
    upstream = await startUpstream((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end('{"ok":true}');
    });
    const service = `127.0.0.1:${upstream.port}`;
    nginx = await startNginxUnderTest({
      port: await freePort(),
      upstreams: { auth: service, products: service, orders: service },
      spaRoot: spa.root,
      loginRate: '1r/m',
      loginBurst: 2,
      signupRate: '1r/m',
      signupBurst: 2,
      refreshRate: '1r/m',
      refreshBurst: 2,
    });
  });

  afterAll(async () => {
    await nginx?.stop();
    await upstream?.close();
    spa.remove();
  });

  it.each([
    ['a NUL in an API path', '/api/products/%00', 400, 'VALIDATION_FAILED'],
    ['an escaped traversal out of the API', '/api/products/..%2f..%2fetc%2fpasswd', 404, 'NOT_FOUND'],
    ['a plain traversal out of the API', '/api/products/../../etc/passwd', 404, 'NOT_FOUND'],
    ['the API in capitals', '/API/products', 404, 'NOT_FOUND'],
    ['an escaped traversal outside the API', '/orders/%2e%2e/etc%2fpasswd', 404, 'NOT_FOUND'],
    ['a missing asset', '/assets/gone-123.js', 404, 'NOT_FOUND'],
    ['a URI over the header buffers', `/api/products?q=${'a'.repeat(20_000)}`, 414, 'PAYLOAD_TOO_LARGE'],
  ])(
    'when a request carries %s (%s), then nginx answers %i in the JSON envelope, never the SPA page',
    async (_what, rawPath, status, code) => {
      const reply = await ask(nginx.url, rawPath);
      expectEnvelope(reply, status, code);
      expect(reply.body).not.toContain('<');
    },
  );

  it('when a well-formed image name is not stored, then 404 in the envelope saying so', async () => {
    const reply = await ask(nginx.url, `/images/${'0f'.repeat(16)}.webp`);

    expectEnvelope(reply, 404, 'NOT_FOUND');
    expect(JSON.parse(reply.body)).toEqual({ error: { code: 'NOT_FOUND', message: 'No such image' } });
  });

  it('when a static page is posted to, then 405 in the envelope', async () => {
    expectEnvelope(await ask(nginx.url, '/index.html', { method: 'POST', body: '{}' }), 405, 'METHOD_NOT_ALLOWED');
  });

  it.each([
    ['garbage for a request line', 'GARBAGE\r\n\r\n', 400],
    ['a NUL inside the request line', 'GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['no Host header', 'GET / HTTP/1.1\r\n\r\n', 400],
    ['an unknown HTTP version', 'GET /api/products HTTP/9.9\r\nHost: x\r\n\r\n', 505],
  ])('when the request holds %s (%j), then nginx answers %i in the envelope', async (_what, bytes, status) => {
    const reply = await sendRaw(nginx.url, bytes);
    expectEnvelope(reply, status, 'VALIDATION_FAILED');
  });

  it.each([
    ['login', ['/api/auth/LOGIN', '/api/auth/login/', '/api/auth/Login/', '/api/auth/login', '/api/auth/LOGIN/']],
    ['signup', ['/api/auth/SIGNUP', '/api/auth/signup/', '/api/auth/SignUp', '/api/auth/signup', '/api/auth/SIGNUP/']],
    [
      'refresh',
      ['/api/auth/REFRESH', '/api/auth/refresh/', '/api/auth/Refresh', '/api/auth/refresh', '/api/auth/REFRESH/'],
    ],
  ])(
    'when %s is spelt in other letter cases or with a trailing slash, then the limit still counts it',
    async (_what, paths) => {
      const statuses: number[] = [];
      for (const rawPath of paths)
        statuses.push((await ask(nginx.url, rawPath, { method: 'POST', body: '{}' })).status);
      // One request at 1r/m plus a burst of 2 pass; the next ones, however spelt, are refused.
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses.slice(3)).toEqual([429, 429]);
    },
  );

  it('when two-factor codes are checked faster than the login limit, then nginx refuses them however spelt', async () => {
    const paths = [
      '/api/auth/login/second-step',
      '/api/auth/LOGIN/Second-Step/',
      '/api/auth/two-factor/enable',
      '/api/auth/Two-Factor/ENABLE/',
      '/api/auth/two-factor/disable/',
    ];
    const statuses: number[] = [];
    for (const rawPath of paths) statuses.push((await ask(nginx.url, rawPath, { method: 'POST', body: '{}' })).status);
    // They share the login budget (one request at 1r/m plus a burst of 2), so at most three pass.
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(2);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });
});
