// The run's market, made through the API like any seller would, and the orders' states read back.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type HttpClient } from '../bench/http-client.js';
import { type BenchProduct, CSRF } from '../bench/seed.js';
import { SetupError } from '../lib/errors.js';
import { type ChaosUser, type Tokens } from './system.js';

export interface ChaosMarket {
  seller: ChaosUser;
  products: BenchProduct[];
  buyers: ChaosUser[];
}

/** Orders of these buyers by status, e.g. { PENDING: 3, COMPLETED: 97 }. */
export async function countsByStatus(ordersUrl: string, buyerIds: string[]): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: ordersUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM orders WHERE buyer_id = ANY($1::uuid[]) GROUP BY status',
      [buyerIds],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    await client.end();
  }
}

/** One seller's `s.products` products (stock `s.stock` each), created through the API, and `s.buyers` buyers. */
export async function createMarket(
  client: HttpClient,
  tokens: Tokens,
  s: { products: number; stock: number; buyers: number },
): Promise<ChaosMarket> {
  const seller = tokens.user('seller', `chaos-seller-${randomBytes(3).toString('hex')}`);
  const products: BenchProduct[] = [];
  for (let i = 0; i < s.products; i += 1) {
    const price = (5 + ((i * 37) % 200) + (i % 100) / 100).toFixed(2);
    const res = await client.request('POST', '/api/products', {
      headers: { ...CSRF, cookie: seller.cookie },
      body: { name: `Chaos item ${i}`, description: 'placed under chaos', category: 'other', price, stock: s.stock },
    });
    if (res.status !== 201 || res.error)
      throw new SetupError(
        `creating product ${i} answered ${res.status}: ${res.body?.slice(0, 300) ?? res.error?.message}`,
      );
    const product = JSON.parse(res.body) as BenchProduct;
    products.push({ id: product.id, price: product.price, stock: product.stock });
  }
  const buyers = Array.from({ length: s.buyers }, (_, i) => tokens.user('buyer', `chaos-buyer-${i}`));
  return { seller, products, buyers };
}
