// Smoke check of a running stack: every service and worker answers /ready, then one order goes end to
// end through nginx (a seller lists a product, a buyer orders one, the saga completes it and the stock
// drops). CI runs it against the compose stack started from the images it built; the suite runs it
// against a local stack (test/ops/smoke.test.ts). Exit 0 when all passed, 1 otherwise.
//   npm run smoke -- --base-url http://127.0.0.1:8080 --ready http://127.0.0.1:3001/ready [--ready …]
//   npm run smoke -- --base-url http://127.0.0.1:8080 --compose [--compose-dir <folder of docker-compose.yml>]
// --mail-url (default http://127.0.0.1:1080) names the MailDev inbox where the seeded accounts' verification links arrive.
// --compose asks each service and worker of the compose stack inside its container (they publish no port).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parseArgs, promisify } from 'node:util';
import { createClient, type HttpClient } from './bench/http-client.js';
import { CSRF, seedMarket } from './bench/seed.js';

const run = promisify(execFile);

/** The compose stack's services and workers, and the port each one's /ready answers on. */
const COMPOSE_SERVICES: Record<string, number> = {
  'auth-service': 3001,
  'products-service': 3002,
  'orders-service': 3003,
  'products-worker': 3004,
  'orders-worker': 3005,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `probe` until it returns a value or `timeoutMs` passes; then throws with the last reason. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe().catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
    if (typeof result !== 'string') return result;
    if (Date.now() > deadline) throw new Error(`${what}: ${result}`);
    await sleep(500);
  }
}

async function readyOverHttp(url: string, timeoutMs: number): Promise<void> {
  await until(`${url} never answered 200`, timeoutMs, async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return res.status === 200 ? true : `last answer ${res.status}`;
  });
}

async function readyInCompose(dir: string, service: string, port: number, timeoutMs: number): Promise<void> {
  const probe = `fetch('http://127.0.0.1:${port}/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  await until(`${service} never answered 200 on /ready`, timeoutMs, async () => {
    await run('docker', ['compose', 'exec', '-T', service, 'node', '-e', probe], { cwd: dir });
    return true;
  });
}

interface OrderView {
  id: string;
  status: string;
  reason: string | null;
}

async function orderEndToEnd(client: HttpClient, timeoutMs: number, mailUrl: string): Promise<string> {
  // The seller and the buyer verify their address through the stack's mail catcher, as users do.
  const market = await seedMarket(client, { buyers: 1, products: 1, stock: 3, concurrency: 1, mailUrl });
  const [product] = market.products;
  const [buyer] = market.buyers;
  if (!product || !buyer) throw new Error('seeding made no product or buyer');

  const placed = await client.request('POST', '/api/orders', {
    headers: { ...CSRF, cookie: buyer.cookie, 'idempotency-key': randomUUID() },
    body: { items: [{ productId: product.id, quantity: 1, unitPrice: product.price }] },
  });
  if (placed.status !== 202 || placed.error) throw new Error(`placing the order: HTTP ${placed.status} ${placed.body}`);
  const { id } = JSON.parse(placed.body) as OrderView;

  const final = await until(`order ${id} never left PENDING`, timeoutMs, async () => {
    const res = await client.request('GET', `/api/orders/${id}`, { headers: { cookie: buyer.cookie } });
    if (res.status !== 200 || res.error) return `HTTP ${res.status}`;
    const order = JSON.parse(res.body) as OrderView;
    return order.status === 'PENDING' ? 'still PENDING' : order;
  });
  if (final.status !== 'COMPLETED') throw new Error(`order ${id} ended ${final.status} (${final.reason})`);

  // The seller's own read skips nginx's catalog cache.
  await until(`the stock of ${product.id} never dropped to ${product.stock - 1}`, timeoutMs, async () => {
    const res = await client.request('GET', `/api/products/${product.id}`, {
      headers: { cookie: market.seller.cookie },
    });
    const stock = res.status === 200 ? (JSON.parse(res.body) as { stock: number }).stock : undefined;
    return stock === product.stock - 1 ? true : `stock ${stock ?? `HTTP ${res.status}`}`;
  });
  return id;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string', default: 'http://127.0.0.1:8080' },
      ready: { type: 'string', multiple: true, default: [] },
      compose: { type: 'boolean', default: false },
      'compose-dir': { type: 'string', default: process.cwd() },
      'timeout-seconds': { type: 'string', default: '120' },
      // The web address of the mail catcher (MailDev) the stack's auth-service sends to.
      'mail-url': { type: 'string', default: 'http://127.0.0.1:1080' },
    },
  });
  const timeoutMs = Number(values['timeout-seconds']) * 1000;
  const checks: [string, () => Promise<string | void>][] = [
    ...values.ready.map((url): [string, () => Promise<void>] => [`ready ${url}`, () => readyOverHttp(url, timeoutMs)]),
    ...(values.compose
      ? Object.entries(COMPOSE_SERVICES).map(([service, port]): [string, () => Promise<void>] => [
          `ready ${service}`,
          () => readyInCompose(values['compose-dir'], service, port, timeoutMs),
        ])
      : []),
  ];
  if (!checks.length) {
    process.stderr.write('smoke: give --ready <url> for each service and worker, or --compose\n');
    return 2;
  }
  const client = createClient(values['base-url'], { maxSockets: 4 });
  checks.push([
    'one order end to end through nginx',
    async () => `order ${await orderEndToEnd(client, timeoutMs, values['mail-url'])}`,
  ]);

  let failed = 0;
  for (const [name, check] of checks) {
    try {
      const detail = await check();
      process.stdout.write(`✓ ${name}${detail ? `: ${detail}` : ''}\n`);
    } catch (err) {
      failed += 1;
      process.stdout.write(`✗ ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
      // Without every service ready an order cannot go through; say so once instead of timing out again.
      if (name.startsWith('ready')) break;
    }
  }
  await client.close();
  process.stdout.write(failed ? `smoke: ${failed} check(s) failed\n` : 'smoke: all checks passed\n');
  return failed ? 1 : 0;
}

process.exitCode = await main();
