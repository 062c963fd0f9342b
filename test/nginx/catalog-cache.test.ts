import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { freePort, sleep } from '@market/kit/testing';
import {
  fakeSpa,
  send,
  startNginxUnderTest,
  startUpstream,
  type NginxUnderTest,
  type Reply,
  type Upstream,
} from './support/nginx-under-test';

/** URLs the stand-in answers as not shareable from now on (a product only its seller may see now). */
const privateFrom = new Set<string>();
/** URLs the stand-in now drops the connection for (the service unreachable). */
const failing = new Set<string>();

/**
 * products-service's side of the contract, played by a stand-in: every answer names how many
 * requests it has served, and says in X-Accel-Expires whether nginx may share it (as the real
 * service does for the public list and active products; never for a seller's own list).
 */
function catalogStandIn(): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  let served = 0;
  return (req, res) => {
    const url = req.url ?? '';
    if (failing.has(url)) return void req.socket.destroy();
    served += 1;
    const kept = url.includes('/mine') || req.method !== 'GET' || privateFrom.has(url);
    const shared = kept ? '0' : url.includes('short=1') ? '1' : '60';
    const body = JSON.stringify({ served, url, sawCookie: Boolean(req.headers.cookie) });
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache',
      'X-Accel-Expires': shared,
      ETag: `W/"${served}"`,
    });
    res.end(body);
  };
}

describe("nginx's shared cache of the catalog", () => {
  const spa = fakeSpa();
  let products: Upstream;
  let other: Upstream;
  let nginx: NginxUnderTest;
  // The rendered config and its cache folder live per port; a fresh name per run keeps old copies out.
  const run = randomUUID().slice(0, 8);
  const hits = (url: string) => products.seen.filter((seen) => seen.url === url).length;
  const served = (reply: Reply) => (JSON.parse(reply.body) as { served: number }).served;

  beforeAll(async () => {
    products = await startUpstream(catalogStandIn());
    other = await startUpstream((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Accel-Expires': '60' });
      res.end('{}');
    });
    nginx = await startNginxUnderTest({
      port: await freePort(),
      upstreams: {
        auth: `127.0.0.1:${other.port}`,
        products: `127.0.0.1:${products.port}`,
        orders: `127.0.0.1:${other.port}`,
      },
      spaRoot: spa.root,
    });
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all([products, other].map((u) => u?.close()));
    spa.remove();
  });

  it('when the same list page is asked for twice, then the second answer is the shared copy and the service saw one request', async () => {
    const url = `/api/products?page=2&pageSize=20&q=lamp-${run}&sort=price_asc`;

    const first = await send(`${nginx.url}${url}`);
    const second = await send(`${nginx.url}${url}`);

    expect(first.headers['x-cache-status']).toBe('MISS');
    expect(second.headers['x-cache-status']).toBe('HIT');
    expect(second.body).toBe(first.body);
    expect(hits(url)).toBe(1);
    // nginx's own instruction never reaches the browser, which is told to revalidate.
    expect(second.headers['x-accel-expires']).toBeUndefined();
    expect(second.headers['cache-control']).toBe('no-cache');
  });

  it('when the query differs in any way, then it is another copy', async () => {
    const base = `/api/products?q=kettle-${run}`;
    for (const url of [base, `${base}&page=2`, `${base}&category=home`]) await send(`${nginx.url}${url}`);

    expect([hits(base), hits(`${base}&page=2`), hits(`${base}&category=home`)]).toEqual([1, 1, 1]);
  });

  it('when a client asks with Cache-Control: no-cache, then it gets a fresh answer, which later readers then get', async () => {
    const url = `/api/products/${run}-fresh`;
    const cached = await send(`${nginx.url}${url}`);

    const fresh = await send(`${nginx.url}${url}`, { headers: { 'Cache-Control': 'no-cache' } });
    const after = await send(`${nginx.url}${url}`);

    expect(fresh.headers['x-cache-status']).toBe('BYPASS');
    expect(served(fresh)).toBeGreaterThan(served(cached));
    expect(after.headers['x-cache-status']).toBe('HIT');
    expect(after.body).toBe(fresh.body);
  });

  it('when the browser revalidates the copy it holds, then nginx answers 304 from the shared copy', async () => {
    const url = `/api/products/${run}-etag`;
    const first = await send(`${nginx.url}${url}`);

    const again = await send(`${nginx.url}${url}`, { headers: { 'If-None-Match': String(first.headers.etag) } });

    expect(again.status).toBe(304);
    expect(hits(url)).toBe(1);
  });

  it('when a signed-in reader asks for a product, then the request reaches the service each time and refreshes the copy', async () => {
    const url = `/api/products/${run}-signed-in`;
    await send(`${nginx.url}${url}`);
    const asSignedIn = () => send(`${nginx.url}${url}`, { headers: { Cookie: 'access_token=a.b.c' } });

    const first = await asSignedIn();
    const second = await asSignedIn();
    // Over HTTPS the cookie is `__Host-access_token`, often behind another cookie.
    const prefixed = await send(`${nginx.url}${url}`, { headers: { Cookie: 'theme=dark; __Host-access_token=a.b.c' } });
    const bearer = await send(`${nginx.url}${url}`, { headers: { Authorization: 'Bearer a.b.c' } });
    const anonymous = await send(`${nginx.url}${url}`);

    expect([first, second, prefixed, bearer].map((r) => r.headers['x-cache-status'])).toEqual([
      'BYPASS',
      'BYPASS',
      'BYPASS',
      'BYPASS',
    ]);
    expect(JSON.parse(second.body)).toMatchObject({ sawCookie: true });
    expect(hits(url)).toBe(5);
    expect(anonymous.headers['x-cache-status']).toBe('HIT');
    expect(served(anonymous)).toBe(served(bearer));
  });

  it('when the service marks an answer as not shared (a seller list), then every request reaches it', async () => {
    const url = `/api/products/mine?page=1&pageSize=20&r=${run}`;
    const cookie = { Cookie: 'access_token=a.b.c' };

    const answers = [await send(`${nginx.url}${url}`, { headers: cookie }), await send(`${nginx.url}${url}`)];

    expect(new Set(answers.map(served)).size).toBe(2);
    expect(hits(url)).toBe(2);
  });

  it('when products are changed or images uploaded, then nothing is answered from or kept in the cache', async () => {
    const id = `${run}-changed`;
    const before = products.seen.length;
    for (const [method, url] of [
      ['POST', '/api/products'],
      ['POST', '/api/products'],
      ['PATCH', `/api/products/${id}`],
      ['PATCH', `/api/products/${id}`],
      ['POST', `/api/products/${id}/images`],
      ['POST', `/api/products/${id}/images`],
      ['DELETE', `/api/products/${id}/images/x`],
      ['DELETE', `/api/products/${id}/images/x`],
    ] as const) {
      const res = await send(`${nginx.url}${url}`, { method });
      expect(res.status).toBe(200);
      expect(res.headers['x-cache-status']).not.toBe('HIT');
    }

    expect(products.seen.length - before).toBe(8);
  });

  it('when another service says X-Accel-Expires, then nginx still keeps nothing of it (only the catalog is cached)', async () => {
    const url = `/api/orders/${run}`;
    const answers = [await send(`${nginx.url}${url}`), await send(`${nginx.url}${url}`)];

    expect(answers.map((r) => r.headers['x-cache-status'])).toEqual([undefined, undefined]);
    expect(other.seen.filter((seen) => seen.url === url)).toHaveLength(2);
  });

  it('when a copy has expired, then the next reader gets a fresh answer, never the old copy', async () => {
    const url = `/api/products?q=short-${run}&short=1`;
    const first = await send(`${nginx.url}${url}`);
    await sleep(2_100);

    const next = await send(`${nginx.url}${url}`);

    expect(next.headers['x-cache-status']).toBe('EXPIRED');
    expect(served(next)).toBeGreaterThan(served(first));
  });

  it('when an expired copy is refreshed with an answer that may not be kept, then readers get that answer, not the copy', async () => {
    const url = `/api/products/${run}-turned-private?short=1`;
    const first = await send(`${nginx.url}${url}`);
    privateFrom.add(url);
    await sleep(2_100);

    const answers = [await send(`${nginx.url}${url}`), await send(`${nginx.url}${url}`)];

    for (const res of answers) expect(served(res)).toBeGreaterThan(served(first));
    expect(hits(url)).toBe(3);
  });

  it('when products-service cannot be reached, then the last copy answers', async () => {
    const url = `/api/products?q=outage-${run}&short=1`;
    const first = await send(`${nginx.url}${url}`);
    failing.add(url);
    await sleep(2_100);

    const during = await send(`${nginx.url}${url}`);

    expect(during.status).toBe(200);
    expect(during.headers['x-cache-status']).toBe('STALE');
    expect(during.body).toBe(first.body);
  });
});
