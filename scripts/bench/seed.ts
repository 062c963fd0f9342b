// Bench accounts and products, created through the public API like any user would.
import { randomBytes } from 'node:crypto';
import { CATALOG_CATEGORIES, PRODUCT_WORDS } from './catalog-urls.js';
import { type HttpClient, type Reply, cookieHeader, cookiesFrom, mapLimit } from './http-client.js';

export const CSRF: Record<string, string> = { 'x-requested-with': 'marketplace' };
const PASSWORD = 'bench-password-1';

export interface User {
  id: string;
  username: string;
  cookie: string;
}

export interface BenchProduct {
  id: string;
  price: string;
  stock: number;
}

export interface Market {
  runId: string;
  seller: User;
  buyers: User[];
  products: BenchProduct[];
}

function failure(what: string, res: Reply): Error {
  const why = res.status ? `HTTP ${res.status} ${res.body?.slice(0, 300)}` : `no answer (${res.error?.message})`;
  return new Error(`${what} failed: ${why}`);
}

/** Signs a user up; → { id, username, cookie } with the session cookies as a Cookie header. */
async function signUp(client: HttpClient, username: string, role: 'buyer' | 'seller'): Promise<User> {
  const res = await client.request('POST', '/api/auth/signup', {
    headers: CSRF,
    body: { username, email: `${username}@bench.example`, password: PASSWORD, role },
  });
  if (res.status !== 201 || res.error) throw failure(`signup of ${username}`, res);
  const user = JSON.parse(res.body) as { id: string };
  return { id: user.id, username, cookie: cookieHeader(cookiesFrom(res.headers)) };
}

/** "Oak lamp", "Walnut chair" …: the words the catalog part's searches look for. */
const productName = (i: number) => {
  const [material = 'oak', thing = 'lamp'] = [PRODUCT_WORDS[i % 5], PRODUCT_WORDS[5 + (Math.floor(i / 5) % 5)]];
  return `${material[0]!.toUpperCase()}${material.slice(1)} ${thing}`;
};

/**
 * One seller with `products` products (stock `stock` each) and `buyers` buyers.
 * Names carry a run id, so a run against a shared stack never collides with an earlier one.
 */
export async function seedMarket(
  client: HttpClient,
  {
    buyers,
    products,
    stock,
    concurrency = 4,
    onProgress = () => {},
  }: { buyers: number; products: number; stock: number; concurrency?: number; onProgress?: (what: string) => void },
): Promise<Market> {
  const runId = randomBytes(4).toString('hex');
  const seller = await signUp(client, `bench-s-${runId}`, 'seller');
  const created = await mapLimit(
    Array.from({ length: products }, (_, i) => i),
    concurrency * 2,
    async (i) => {
      const price = (5 + ((i * 37) % 200) + (i % 100) / 100).toFixed(2);
      const res = await client.request('POST', '/api/products', {
        headers: { ...CSRF, cookie: seller.cookie },
        body: {
          name: `${productName(i)} ${i} ${runId}`,
          description: 'Created by the benchmark',
          category: CATALOG_CATEGORIES[i % CATALOG_CATEGORIES.length],
          price,
          stock,
        },
      });
      if (res.status !== 201 || res.error) throw failure(`creating product ${i}`, res);
      const product = JSON.parse(res.body) as BenchProduct;
      return { id: product.id, price: product.price, stock: product.stock };
    },
  );
  onProgress(`${products} products`);
  const buyerList = await mapLimit(
    Array.from({ length: buyers }, (_, i) => i),
    concurrency,
    (i) => signUp(client, `bench-b${i}-${runId}`, 'buyer'),
  );
  onProgress(`${buyers} buyers`);
  return { runId, seller, buyers: buyerList, products: created };
}
