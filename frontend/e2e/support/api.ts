import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { Cart, CreateProductRequest, Order, Product, SignupRole, User } from '../../src/api/contracts';
import { waitForMailLink } from './mail';

// The same-origin proof every state-changing request carries (CSRF_HEADER in the contracts).
const JSON_HEADERS = { 'x-requested-with': 'marketplace', 'content-type': 'application/json' };

let sequence = 0;

/** Names no other test (or earlier run against the same database) has used. */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}-${Date.now().toString(36)}${sequence}${Math.random().toString(36).slice(2, 6)}`;
}

export interface Account {
  user: User;
  email: string;
  password: string;
}

export function newAccountDetails(role: SignupRole) {
  const username = unique(role === 'seller' ? 'seller' : 'buyer').slice(0, 32);
  return { username, email: `${username}@e2e.test`, password: 'correct horse battery', role };
}

async function ok<T>(response: Awaited<ReturnType<APIRequestContext['get']>>, what: string): Promise<T> {
  if (!response.ok()) throw new Error(`${what} answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * Signs up through the API; the session cookies land in the request context (and its browser context).
 * The account is verified as a user verifies it: with the link of the mail MailDev caught (`verified: false` skips it).
 */
export async function signupViaApi(
  request: APIRequestContext,
  role: SignupRole,
  { verified = true } = {},
): Promise<Account> {
  const details = newAccountDetails(role);
  const response = await request.post('/api/auth/signup', { data: details, headers: JSON_HEADERS });
  let user = await ok<User>(response, 'signup');
  if (verified) {
    const link = await waitForMailLink(details.email, '/verify-email');
    const token = new URLSearchParams(link.split('?')[1]).get('token');
    const answer = await request.post('/api/auth/verify-email', { data: { token }, headers: JSON_HEADERS });
    if (answer.status() !== 204) throw new Error(`verify-email answered ${answer.status()}: ${await answer.text()}`);
    // A new access token carries the verified address.
    user = await ok<User>(await request.post('/api/auth/refresh', { headers: JSON_HEADERS }), 'refresh');
  }
  return { user, email: details.email, password: details.password };
}

export async function createProductViaApi(
  request: APIRequestContext,
  overrides: Partial<CreateProductRequest> = {},
): Promise<Product> {
  const body: CreateProductRequest = {
    name: unique('Product'),
    description: 'Made for an end-to-end test.',
    category: 'home',
    price: '12.50',
    stock: 5,
    ...overrides,
  };
  return ok<Product>(await request.post('/api/products', { data: body, headers: JSON_HEADERS }), 'create product');
}

export async function getProductViaApi(request: APIRequestContext, id: string): Promise<Product> {
  return ok<Product>(await request.get(`/api/products/${id}`), 'get product');
}

export async function updateProductViaApi(
  request: APIRequestContext,
  product: Product,
  changes: Partial<CreateProductRequest>,
) {
  const body = { ...changes, version: product.version };
  return ok<Product>(
    await request.patch(`/api/products/${product.id}`, { data: body, headers: JSON_HEADERS }),
    'update product',
  );
}

/** Places an order and waits until the saga settled it. */
export async function buyViaApi(request: APIRequestContext, product: Product, quantity: number): Promise<Order> {
  const body = { items: [{ productId: product.id, quantity, unitPrice: product.price }] };
  const headers = { ...JSON_HEADERS, 'idempotency-key': unique('key') };
  const placed = await ok<Order>(await request.post('/api/orders', { data: body, headers }), 'place order');
  let order = placed;
  await expect
    .poll(
      async () => {
        order = await ok<Order>(await request.get(`/api/orders/${placed.id}`), 'get order');
        return order.status;
      },
      { timeout: 15_000 },
    )
    .not.toBe('PENDING');
  return order;
}

/** Saves the signed-in buyer's cart on the server (a first save: version 0) with `quantity` of each product. */
export async function saveCartViaApi(request: APIRequestContext, products: Product[], quantity = 1): Promise<Cart> {
  const lines = products.map((product) => ({
    productId: product.id,
    quantity,
    name: product.name,
    unitPrice: product.price,
    stock: product.stock,
    sellerId: product.sellerId,
  }));
  return ok<Cart>(await request.put('/api/cart', { data: { lines, version: 0 }, headers: JSON_HEADERS }), 'save cart');
}

/** The signed-in seller ships their part of an order. */
export async function shipViaApi(request: APIRequestContext, orderId: string, sellerId: string): Promise<void> {
  const url = `/api/orders/${orderId}/parts/${sellerId}/ship`;
  const data = { carrier: 'DHL', trackingNumber: 'JD014600009876' };
  await ok(await request.post(url, { data, headers: JSON_HEADERS }), 'ship');
}

/** The browser must never be able to read a token: cookies HttpOnly, nothing in storage. */
export async function expectNoTokenInPage(page: Page): Promise<void> {
  const exposed = await page.evaluate(() => {
    const stored = [localStorage, sessionStorage].flatMap((storage) =>
      Object.keys(storage).map((key) => `${key}=${storage.getItem(key) ?? ''}`),
    );
    return { cookie: document.cookie, stored: stored.join('\n') };
  });
  expect(exposed.cookie).not.toMatch(/access_token|refresh_token/);
  expect(exposed.stored).not.toMatch(/token|eyJ[A-Za-z0-9_-]{10,}/i);
}
