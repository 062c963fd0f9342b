import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import * as auth from '../../backend/auth-service/test/support/test-app';
import * as orders from '../../backend/orders-service/test/support/test-app';
import * as products from '../../backend/products-service/test/support/test-app';
import type { Schema } from './support/schema-arbitrary';
import { fetchDocument, listen } from './support/serve';

/** A valid body per operation that takes a JSON body with required fields; a new one fails the walk until it is listed. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /api/auth/signup': { username: 'walker', email: 'walker@example.org', password: auth.PASSWORD, role: 'buyer' },
  'POST /api/auth/login': { email: 'walker@example.org', password: auth.PASSWORD },
  'POST /api/auth/demo-login': { who: 'buyer' },
  'POST /api/auth/login/second-step': { challenge: 'a-challenge', code: '123456' },
  'POST /api/auth/two-factor/enable': { code: '123456' },
  'POST /api/auth/two-factor/disable': { code: '123456' },
  'POST /api/auth/password': { currentPassword: auth.PASSWORD, newPassword: 'another horse battery' },
  'DELETE /api/auth/account': { password: auth.PASSWORD },
  'POST /api/auth/password-reset': { email: 'walker@example.org' },
  'POST /api/auth/password-reset/complete': { token: 'A'.repeat(43), password: auth.PASSWORD },
  'POST /api/auth/verify-email': { token: 'A'.repeat(43) },
  'POST /api/auth/unsubscribe': { token: 'a-token-from-a-mail' },
  'POST /api/products': { name: 'Lamp', description: 'A lamp', category: 'home', price: '19.99', stock: 3 },
  'PATCH /api/products/{id}': { version: 1, stock: 2 },
  'PUT /api/products/{id}/images': { images: [randomUUID()] },
  'POST /api/products/{id}/unlist': { reason: 'Counterfeit goods' },
  'POST /api/orders/': { items: [{ productId: randomUUID(), quantity: 1, unitPrice: '9.99' }] },
  'POST /api/orders/{id}/parts/{sellerId}/ship': { carrier: 'DHL', trackingNumber: 'JD0146' },
  'PUT /api/cart/': { lines: [], version: 0 },
  'POST /api/addresses/': {
    name: 'Walker',
    line1: '1 Main Street',
    city: 'Springfield',
    postalCode: '12345',
    country: 'US',
  },
  'PUT /api/addresses/{id}': {
    name: 'Walker',
    line1: '1 Main Street',
    city: 'Springfield',
    postalCode: '12345',
    country: 'US',
  },
};

interface Walkable {
  operation: string;
  required: string[];
}

interface Answer {
  status: number;
  body: { error?: { code?: string; details?: { field: string; message: string }[] } };
}

type Operations = Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;

function resolve(document: Schema, schema: Schema | undefined): Schema | undefined {
  const ref = schema?.$ref as string | undefined;
  if (!ref) return schema;
  const name = ref.replace('#/components/schemas/', '');
  return (document.components as { schemas: Record<string, Schema> }).schemas[name];
}

/** Every operation whose JSON body has required keys, with those keys. */
function walkable(document: Schema): Walkable[] {
  const found: Walkable[] = [];
  for (const [path, methods] of Object.entries(document.paths as Operations)) {
    for (const [method, operation] of Object.entries(methods)) {
      const schema = resolve(document, operation.requestBody?.content?.['application/json']?.schema);
      const required = (schema?.required as string[] | undefined) ?? [];
      if (required.length > 0) found.push({ operation: `${method.toUpperCase()} ${path}`, required });
    }
  }
  return found;
}

const wrongTypeFor = (value: unknown): unknown => (typeof value === 'object' ? 'not a list or object' : { a: 1 });

async function walk(
  document: Schema,
  send: (method: string, path: string, body: Record<string, unknown>) => Promise<Answer>,
): Promise<string[]> {
  const problems: string[] = [];
  const operations = walkable(document);
  expect(operations.length).toBeGreaterThan(0);
  for (const { operation, required } of operations) {
    const valid = VALID_BODIES[operation];
    if (!valid) {
      problems.push(`${operation}: no valid body listed in VALID_BODIES`);
      continue;
    }
    const [method, template] = operation.split(' ') as [string, string];
    const path = template.replace(/\{[^}]+\}/g, randomUUID());
    for (const field of required) {
      const { [field]: dropped, ...withoutField } = valid;
      const cases = [
        { what: 'missing', body: withoutField, expected: new RegExp(`^${field} is required`) },
        { what: 'of a wrong type', body: { ...valid, [field]: wrongTypeFor(dropped) }, expected: /must/ },
      ];
      for (const { what, body, expected } of cases) {
        const answer = await send(method, path, body);
        const detail = answer.body.error?.details?.find((d) => d.field === field);
        if (
          answer.status !== 400 ||
          answer.body.error?.code !== 'VALIDATION_FAILED' ||
          !expected.test(detail?.message ?? '')
        )
          problems.push(`${operation} with ${field} ${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    }
  }
  return problems;
}

async function sendJson(
  baseUrl: string,
  headers: Record<string, string>,
  method: string,
  path: string,
  body: unknown,
): Promise<Answer> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...auth.CSRF, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

describe('required fields of every JSON body', () => {
  it('when auth-service gets each required field missing or of a wrong type, then it answers 400 naming that field and what is wrong', async () => {
    const ctx = await auth.startTestApp({ DEMO_MODE: 'true' });
    const server = await listen(ctx.app);
    try {
      // Signed in, for the operations on one's own account (the others ignore the cookie).
      const { access } = await auth.signup(ctx.app);
      const signedIn = { Cookie: `access_token=${access}` };
      const document = await fetchDocument(server.baseUrl, '/api/auth/openapi.json');
      expect(
        await walk(document, (method, path, body) => sendJson(server.baseUrl, signedIn, method, path, body)),
      ).toEqual([]);
    } finally {
      await server.close();
      await ctx.close();
    }
  });

  it('when products-service gets each required field missing or of a wrong type, then it answers 400 naming that field and what is wrong', async () => {
    const ctx = await products.startTestApp();
    const server = await listen(ctx.app);
    try {
      const seller = { Cookie: products.cookie(ctx.user('seller')) };
      // Only an admin unlists; every other body here is a seller's.
      const admin = { Cookie: products.cookie(ctx.user('admin')) };
      const callerOf = (path: string) => (path.endsWith('/unlist') ? admin : seller);
      const document = await fetchDocument(server.baseUrl, '/api/products/openapi.json');
      expect(
        await walk(document, (method, path, body) => sendJson(server.baseUrl, callerOf(path), method, path, body)),
      ).toEqual([]);
    } finally {
      await server.close();
      await ctx.close();
    }
  });

  it('when orders-service gets each required field missing or of a wrong type, then it answers 400 naming that field and what is wrong', async () => {
    const ctx = await orders.startTestApp();
    try {
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      const baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
      const buyer = ctx.user('buyer');
      const document = await fetchDocument(baseUrl, '/api/orders/openapi.json');
      expect(
        await walk(document, (method, path, body) =>
          sendJson(baseUrl, { Cookie: buyer.cookie, 'Idempotency-Key': randomUUID() }, method, path, body),
        ),
      ).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
