// One order end to end through the public API (nginx in front): a fresh seller lists a product, a fresh
// buyer orders one unit, the saga completes it and the stock reads back one lower. Used by the restore
// drill and the monitoring test, against any stack whatever data it holds.
import { randomUUID } from 'node:crypto';
import { type Reply, createClient } from '../bench/http-client.js';
import { CSRF, seedMarket } from '../bench/seed.js';
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

/** The web address of a stack's mail catcher, where the probe's accounts find their verification links. */
export function mailUrlOf(stack: { mail: { webUrl: string } | undefined }): string {
  if (!stack.mail) throw new SetupError('the stack runs no mail catcher, so the probe cannot verify its accounts');
  return stack.mail.webUrl;
}

/**
 * Places one order through `baseUrl` and waits (up to `timeoutMs`) until it is COMPLETED and the stock shows it.
 * The seller and the buyer verify their addresses through the stack's mail catcher (`mailUrl`), as users do.
 */
export async function probeOrder(
  baseUrl: string,
  { mailUrl, timeoutMs = 30_000 }: { mailUrl: string; timeoutMs?: number },
): Promise<ProbedOrder> {
  const client = createClient(baseUrl, { maxSockets: 4, timeoutMs: 10_000 });
  try {
    const market = await seedMarket(client, { buyers: 1, products: 1, stock: 3, concurrency: 1, mailUrl });
    const [buyer, product] = [market.buyers[0], market.products[0]];
    if (!buyer || !product) throw new SetupError('the probe market has no buyer or no product');
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
