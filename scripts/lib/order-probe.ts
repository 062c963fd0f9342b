// One order end to end through the public API (nginx in front): a fresh seller lists a product, a fresh
// buyer orders one unit, the saga completes it and the stock reads back one lower. Used by the restore
// drill and the monitoring test, against any stack whatever data it holds.
import { randomBytes, randomUUID } from 'node:crypto';
import { type HttpClient, type Reply, cookieHeader, cookiesFrom, createClient } from '../bench/http-client.js';
import { CSRF } from '../bench/seed.js';
import { SetupError } from './errors.js';

export interface ProbedOrder {
  orderId: string;
  productId: string;
  buyerId: string;
  /** Milliseconds from placing the order to reading it COMPLETED. */
  ms: number;
}

const describe = (res: Reply): string =>
  res.error ? `no answer (${res.error.message})` : `HTTP ${res.status} ${res.body.slice(0, 300)}`;

function expectStatus(res: Reply, status: number, what: string): string {
  if (res.status !== status) throw new SetupError(`${what}: expected HTTP ${status}, got ${describe(res)}`);
  return res.body ?? '';
}

async function signUp(client: HttpClient, role: 'buyer' | 'seller', run: string) {
  const username = `probe-${role}-${run}`;
  const res = await client.request('POST', '/api/auth/signup', {
    headers: CSRF,
    body: { username, email: `${username}@probe.example`, password: `probe-password-${run}`, role },
  });
  const user = JSON.parse(expectStatus(res, 201, `signing up ${username}`)) as { id: string };
  return { id: user.id, cookie: cookieHeader(cookiesFrom(res.headers ?? {})) };
}

/** Places one order through `baseUrl` and waits (up to `timeoutMs`) until it is COMPLETED and the stock shows it. */
export async function probeOrder(baseUrl: string, { timeoutMs = 30_000 } = {}): Promise<ProbedOrder> {
  const client = createClient(baseUrl, { maxSockets: 4, timeoutMs: 10_000 });
  const run = randomBytes(4).toString('hex');
  try {
    const seller = await signUp(client, 'seller', run);
    const buyer = await signUp(client, 'buyer', run);
    const created = await client.request('POST', '/api/products', {
      headers: { ...CSRF, cookie: seller.cookie },
      body: {
        name: `Probe lamp ${run}`,
        description: 'an order end to end',
        category: 'other',
        price: '12.50',
        stock: 3,
      },
    });
    const product = JSON.parse(expectStatus(created, 201, 'creating the product')) as { id: string; price: string };
    const placedAt = Date.now();
    const placed = await client.request('POST', '/api/orders', {
      headers: { ...CSRF, cookie: buyer.cookie, 'idempotency-key': randomUUID() },
      body: { items: [{ productId: product.id, quantity: 1, unitPrice: product.price }] },
    });
    const order = JSON.parse(expectStatus(placed, 202, 'placing the order')) as { id: string; status: string };
    let status = order.status;
    let reason: string | null = null;
    while (status === 'PENDING' && Date.now() - placedAt < timeoutMs) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const read = await client.request('GET', `/api/orders/${order.id}`, { headers: { cookie: buyer.cookie } });
      ({ status, reason } = JSON.parse(expectStatus(read, 200, 'reading the order')) as {
        status: string;
        reason: string | null;
      });
    }
    const ms = Date.now() - placedAt;
    if (status !== 'COMPLETED') {
      throw new SetupError(
        `order ${order.id} is ${status}${reason ? ` (${reason})` : ''} after ${ms} ms, not COMPLETED`,
      );
    }
    const after = await client.request('GET', `/api/products/${product.id}`);
    const { stock } = JSON.parse(expectStatus(after, 200, 'reading the product back')) as { stock: number };
    if (stock !== 2) throw new SetupError(`product ${product.id} shows stock ${stock} after one sold of 3, not 2`);
    return { orderId: order.id, productId: product.id, buyerId: buyer.id, ms };
  } finally {
    await client.close();
  }
}
