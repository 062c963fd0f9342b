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

/**
 * Verifies each account as its user would: the link of the mail the stack's mail catcher (MailDev)
 * received, then a refresh so the session's access token carries the verified address.
 */
async function verifyThroughMail(client: HttpClient, users: User[], mailUrl: string, concurrency: number) {
  const emailOf = (user: User) => `${user.username}@bench.example`;
  const tokens = new Map<string, string>();
  const deadline = Date.now() + 120_000;
  while (!users.every((user) => tokens.has(emailOf(user)))) {
    if (Date.now() > deadline) throw new Error(`not every one of ${users.length} verification mails arrived`);
    const res = await fetch(`${mailUrl}/api/email`);
    if (!res.ok) throw new Error(`the mail catcher answered ${res.status}`);
    for (const mail of (await res.json()) as { to: { address: string }[]; text?: string }[]) {
      const token = /\/verify-email\?token=([A-Za-z0-9_-]{43})/.exec(mail.text ?? '')?.[1];
      for (const to of mail.to) if (token) tokens.set(to.address.toLowerCase(), token);
    }
    if (users.every((user) => tokens.has(emailOf(user)))) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return mapLimit(users, concurrency, async (user) => {
    const verified = await client.request('POST', '/api/auth/verify-email', {
      headers: CSRF,
      body: { token: tokens.get(emailOf(user)) },
    });
    if (verified.status !== 204 || verified.error) throw failure(`verifying ${user.username}`, verified);
    const renewed = await client.request('POST', '/api/auth/refresh', { headers: { ...CSRF, cookie: user.cookie } });
    if (renewed.status !== 200 || renewed.error) throw failure(`refreshing ${user.username}`, renewed);
    return { ...user, cookie: cookieHeader(cookiesFrom(renewed.headers)) };
  });
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
    mailUrl,
  }: {
    buyers: number;
    products: number;
    stock: number;
    concurrency?: number;
    onProgress?: (what: string) => void;
    /** The stack's mail catcher: accounts order and sell only once their address is verified. */
    mailUrl: string;
  },
): Promise<Market> {
  const runId = randomBytes(4).toString('hex');
  const [seller] = await verifyThroughMail(
    client,
    [await signUp(client, `bench-s-${runId}`, 'seller')],
    mailUrl,
    concurrency,
  );
  if (!seller) throw new Error('the seller was not verified');
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
  const verifiedBuyers = await verifyThroughMail(client, buyerList, mailUrl, concurrency);
  onProgress(`${buyers} buyers`);
  return { runId, seller, buyers: verifiedBuyers, products: created };
}
