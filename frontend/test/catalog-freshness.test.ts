import { afterEach, describe, expect, it, vi } from 'vitest';
import { placeOrder } from '../src/api/orders-api';
import { getProduct, listProducts, updateProduct } from '../src/api/products-api';
import { apiServer } from './support/api-server';
import { makeProduct, page } from './support/fixtures';

describe("catalog reads and nginx's shared copies", () => {
  afterEach(() => vi.restoreAllMocks());
  // Only the clock the freshness window reads; the network's own timers stay real.
  const clockAt = (iso: string) => vi.spyOn(Date, 'now').mockReturnValue(new Date(iso).getTime());

  const cacheControlOf = (request: { headers: Headers } | undefined) => request?.headers.get('cache-control');

  it("when this browser changed a product, then the catalog's reads ask for fresh answers until no copy from before can be left", async () => {
    clockAt('2026-12-01T10:00:00Z');
    const product = makeProduct({ id: 'p-1', version: 2 });
    const server = apiServer()
      .on('GET', '/products', [200, page([product])])
      .on('GET', '/products/:id', [200, product])
      .on('PATCH', '/products/:id', [200, { ...product, stock: 1, version: 3 }]);
    await listProducts({ page: 1, pageSize: 12 });

    await updateProduct('p-1', { version: 2, stock: 1 });
    await listProducts({ page: 1, pageSize: 12, q: 'lamp' });
    await getProduct('p-1');
    clockAt('2026-12-01T10:01:01Z');
    await listProducts({ page: 2, pageSize: 12 });

    const lists = server.sent('GET', '/products');
    expect(cacheControlOf(lists[0])).toBeNull();
    expect(cacheControlOf(lists[1])).toBe('no-cache');
    expect(cacheControlOf(server.sent('GET', '/products/p-1')[0])).toBe('no-cache');
    expect(cacheControlOf(lists[2])).toBeNull();
  });

  it('when a change fails, then later reads take the shared copies as before', async () => {
    clockAt('2026-12-02T10:00:00Z');
    const server = apiServer()
      .on('GET', '/products', [200, page([])])
      .on('PATCH', '/products/:id', [409, { error: { code: 'VERSION_CONFLICT', message: 'stale' } }]);

    await expect(updateProduct('p-2', { version: 1, stock: 1 })).rejects.toThrow();
    await listProducts({ page: 1, pageSize: 12 });

    expect(cacheControlOf(server.sent('GET', '/products')[0])).toBeNull();
  });

  it("when this browser placed an order, then the catalog's next reads ask for fresh stock figures", async () => {
    clockAt('2026-12-03T10:00:00Z');
    const server = apiServer()
      .on('GET', '/products', [200, page([])])
      .on('POST', '/orders', [202, { id: 'o-1', status: 'PENDING', items: [] }]);

    await placeOrder({ items: [{ productId: 'p-3', quantity: 1, unitPrice: '5.00' }] }, 'key-1');
    await listProducts({ page: 1, pageSize: 12 });

    expect(cacheControlOf(server.sent('GET', '/products')[0])).toBe('no-cache');
  });
});
