import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { placeOrder } from '../src/api/orders-api';
import { getProduct, listProducts, updateProduct } from '../src/api/products-api';
import indexHtml from '../index.html?raw';
import { apiServer } from './support/api-server';
import { errorBody, makeProduct, page } from './support/fixtures';
import { renderApp } from './support/render-app';

/** index.html's own preload links, put in the test document's head as the browser would have them. */
function addIndexHtmlPreloads(): HTMLLinkElement[] {
  const parsed = new DOMParser().parseFromString(indexHtml, 'text/html');
  const links = [...parsed.querySelectorAll<HTMLLinkElement>('link[rel="preload"][as="fetch"]')];
  for (const link of links) document.head.append(document.importNode(link, true));
  return links;
}

function pageOf<T>(data: T[], pageNumber: number, totalPages: number) {
  return { data, pagination: { page: pageNumber, pageSize: 12, total: totalPages * 12, totalPages } };
}

describe('catalog', () => {
  afterEach(() => {
    for (const link of document.head.querySelectorAll('link[rel="preload"]')) link.remove();
  });

  it('when index.html preloaded the first page, then the catalog shows that answer and asks through the API client only on a later visit', async () => {
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: [] }])
      .on('GET', '/products', [200, pageOf([makeProduct({ name: 'Preloaded lamp' })], 1, 1)]);
    expect(addIndexHtmlPreloads().map((link) => link.getAttribute('href'))).toEqual([
      '/api/products?sort=newest&page=1&pageSize=12',
    ]);
    const first = renderApp(server, '/');

    expect(await screen.findByRole('link', { name: 'Preloaded lamp' })).toBeInTheDocument();
    // The preload carries no CSRF header (a <link> cannot send one): the page took the preloaded answer.
    expect(server.sent('GET', '/products').map((request) => request.headers.get('x-requested-with'))).toEqual([null]);
    expect(document.head.querySelector('link[rel="preload"]')).toBeNull();

    first.unmount();
    renderApp(server, '/');
    expect(await screen.findByRole('link', { name: 'Preloaded lamp' })).toBeInTheDocument();
    await waitFor(() =>
      expect(server.sent('GET', '/products').map((request) => request.headers.get('x-requested-with'))).toEqual([
        null,
        'marketplace',
      ]),
    );
  });

  it('when the preloaded answer is an error, then the catalog asks again through the API client and shows the products', async () => {
    let calls = 0;
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: [] }])
      .on('GET', '/products', () => {
        calls += 1;
        return calls === 1
          ? [503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } }]
          : [200, pageOf([makeProduct({ name: 'Second try' })], 1, 1)];
      });
    addIndexHtmlPreloads();
    renderApp(server, '/');

    expect(await screen.findByRole('link', { name: 'Second try' })).toBeInTheDocument();
    expect(server.sent('GET', '/products').map((request) => request.headers.get('x-requested-with'))).toEqual([
      null,
      'marketplace',
    ]);
  });

  it('when the visitor searches, filters, sorts and pages, then each choice reaches the API and page 1 comes back after a filter', async () => {
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: ['books', 'toys'] }])
      .on('GET', '/products', (request) => [
        200,
        pageOf([makeProduct({ name: `Item on page ${String(request.params.page)}` })], Number(request.params.page), 3),
      ]);
    renderApp(server, '/');
    const user = userEvent.setup();

    await screen.findByRole('link', { name: 'Item on page 1' });
    await user.type(screen.getByLabelText('Search products'), 'lamp');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await user.selectOptions(screen.getByLabelText('Category'), 'toys');
    await user.selectOptions(screen.getByLabelText('Sort by'), 'price_asc');
    await user.click(await screen.findByRole('button', { name: 'Next page' }));

    expect(await screen.findByRole('link', { name: 'Item on page 2' })).toBeInTheDocument();
    expect(screen.getByText('Page 2 of 3')).toBeInTheDocument();
    expect(server.sent('GET', '/products').at(-1)?.params).toEqual({
      q: 'lamp',
      category: 'toys',
      sort: 'price_asc',
      page: '2',
      pageSize: '12',
    });

    await user.selectOptions(screen.getByLabelText('Category'), 'books');
    expect(await screen.findByRole('link', { name: 'Item on page 1' })).toBeInTheDocument();
    expect(server.sent('GET', '/products').at(-1)?.params).toMatchObject({ category: 'books', page: '1' });
  });

  it('when the catalog stops counting at its cap, then it reads "10,000+ products" and the next page stays open past the counted pages', async () => {
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: [] }])
      .on('GET', '/products', (request) => {
        const pageNumber = Number(request.params.page);
        // Beyond the cap the API counts one product past the page, so the total grows as the visitor goes on.
        const total = Math.max(10_000, pageNumber * 12);
        const pagination = {
          page: pageNumber,
          pageSize: 12,
          total,
          totalPages: Math.ceil(total / 12),
          totalCapped: true,
        };
        return [200, { data: [makeProduct({ name: `Item on page ${pageNumber}` })], pagination }];
      });
    renderApp(server, '/?page=834');
    const user = userEvent.setup();

    expect(await screen.findByRole('link', { name: 'Item on page 834' })).toBeInTheDocument();
    expect(screen.getByText(/products found/, { selector: '[role="status"]' })).toHaveTextContent(
      '10,008+ products found.',
    );
    expect(screen.getByText('Page 834 of 834+')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next page' }));

    expect(await screen.findByRole('link', { name: 'Item on page 835' })).toBeInTheDocument();
    expect(screen.getByText('Page 835 of 835+')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeEnabled();
  });

  it('when the count is exact, then the last page closes "Next page" and the count has no "+"', async () => {
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: [] }])
      .on('GET', '/products', [
        200,
        {
          data: [makeProduct({ name: 'Last one' })],
          pagination: { page: 3, pageSize: 12, total: 1234, totalPages: 103, totalCapped: false },
        },
      ]);
    renderApp(server, '/?page=3');

    expect(await screen.findByRole('link', { name: 'Last one' })).toBeInTheDocument();
    expect(screen.getByText(/products found/, { selector: '[role="status"]' })).toHaveTextContent(
      '1,234 products found.',
    );
    expect(screen.getByText('Page 3 of 103')).toBeInTheDocument();
  });

  it('when the search has no letter or digit, then the field says so and nothing is asked of the API', async () => {
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: [] }])
      .on('GET', '/products', [200, page([makeProduct({ name: 'Everything' })])]);
    renderApp(server, '/');
    const user = userEvent.setup();

    await screen.findByRole('link', { name: 'Everything' });
    await user.type(screen.getByLabelText('Search products'), ' #');
    await user.click(screen.getByRole('button', { name: 'Search' }));

    expect(screen.getByText('Type a letter or digit to search.')).toBeInTheDocument();
    expect(screen.getByLabelText('Search products')).toHaveAttribute('aria-invalid', 'true');
    expect(server.sent('GET', '/products').map((r) => r.params.q)).toEqual([undefined]);

    await user.type(screen.getByLabelText('Search products'), 'tv');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByRole('link', { name: 'Everything' })).toBeInTheDocument();
    expect(server.sent('GET', '/products').at(-1)?.params.q).toBe('#tv');
  });

  it('when a link carries a search or a price the API would refuse, then the field explains it instead of an error page', async () => {
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: [] }])
      .on('GET', '/products', [200, page([])]);
    renderApp(server, '/?q=%23&maxPrice=abc');

    expect(await screen.findByText('Type a letter or digit to search.')).toBeInTheDocument();
    expect(screen.getByText('Enter an amount such as 19.99.')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(server.sent('GET', '/products')).toEqual([]);
  });

  it('when the visitor types, then one search goes out after the pause, matches are marked and facets count categories', async () => {
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: ['electronics', 'home'] }])
      .on('GET', '/products', (request) =>
        request.params.q
          ? [
              200,
              {
                ...page([makeProduct({ name: 'Noise-cancelling headphones <b>x</b>' })]),
                facets: { categories: [{ category: 'electronics', count: 3 }], capped: false },
                search: {
                  words: ['headphnes', 'headphones'],
                  corrections: [{ from: 'headphnes', to: ['headphones'] }],
                },
              },
            ]
          : [200, page([makeProduct({ name: 'Everything' })])],
      );
    renderApp(server, '/');
    const user = userEvent.setup();

    await screen.findByRole('link', { name: 'Everything' });
    await user.type(screen.getByLabelText('Search products'), 'headphnes');

    // jsdom's name computation drops the spaces around the marked word; the text itself keeps them.
    const link = (await screen.findByText('headphones', { selector: 'a mark' })).closest('a')!;
    expect(link).toHaveTextContent('Noise-cancelling headphones <b>x</b>');
    expect(link.querySelector('b')).toBeNull();
    expect(screen.getByText('headphones', { selector: 'strong' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'Electronics (3)' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'Home (0)' })).toBeInTheDocument();
    expect(screen.getByLabelText('Sort by')).toHaveValue('relevance');
    expect(server.sent('GET', '/products').map((r) => r.params.q)).toEqual([undefined, 'headphnes']);
  });

  it('when the visitor sets a price range and in-stock only, then they reach the API and a reversed range is refused in place', async () => {
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: [] }])
      .on('GET', '/products', [200, page([makeProduct({ name: 'Kettle' })])]);
    renderApp(server, '/');
    const user = userEvent.setup();

    await screen.findByRole('link', { name: 'Kettle' });
    await user.click(screen.getByRole('checkbox', { name: 'In stock only' }));
    await user.type(screen.getByLabelText('From'), '50');
    await user.type(screen.getByLabelText('To'), '20');
    expect(await screen.findByText('The maximum must not be below the minimum.')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('To'));
    await user.type(screen.getByLabelText('To'), '80.5');

    await waitFor(() =>
      expect(server.sent('GET', '/products').at(-1)?.params).toEqual({
        minPrice: '50',
        maxPrice: '80.5',
        inStock: 'true',
        sort: 'newest',
        page: '1',
        pageSize: '12',
      }),
    );
    expect(server.sent('GET', '/products').some((r) => r.params.maxPrice === '20')).toBe(false);
  });

  it('when a product shows its stock, then sold-out ones say so and anonymous visitors can add the others to a cart', async () => {
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: [] }])
      .on('GET', '/products', [
        200,
        page([makeProduct({ name: 'Kite', stock: 3 }), makeProduct({ name: 'Yo-yo', stock: 0 })]),
      ]);
    renderApp(server, '/');

    const kite = (await screen.findByRole('link', { name: 'Kite' })).closest('li')!;
    expect(within(kite).getByText('3 in stock')).toBeInTheDocument();
    // jsdom's name computation drops the space before the visually hidden product name; browsers keep it.
    expect(within(kite).getByRole('button', { name: /^Add to cart\s*Kite$/ })).toBeEnabled();
    const yoyo = screen.getByRole('link', { name: 'Yo-yo' }).closest('li')!;
    expect(within(yoyo).getByText('Sold out', { selector: 'p' })).toBeInTheDocument();
    expect(within(yoyo).getByRole('button', { name: /^Sold out\s*Yo-yo$/ })).toBeDisabled();
  });

  it('when nothing matches, then an empty state offers the whole catalog', async () => {
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: [] }])
      .on('GET', '/products', [200, page([])]);
    renderApp(server, '/?q=unicorn');

    expect(await screen.findByText('No products match your search.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Show all products' })).toHaveAttribute('href', '/');
  });

  it('when the products service is down, then a sentence and a retry are shown', async () => {
    let up = false;
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: [] }])
      .on('GET', '/products', () =>
        up ? [200, page([makeProduct({ name: 'Back again' })])] : [502, errorBody('SERVICE_UNAVAILABLE')],
      );
    renderApp(server, '/');
    const user = userEvent.setup();

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The service is temporarily unavailable. Please try again shortly.',
    );
    up = true;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: 'Back again' })).toBeInTheDocument();
  });
});

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
