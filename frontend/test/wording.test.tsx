import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { normalizeMoneyInput } from '../src/lib/money';
import { apiServer } from './support/api-server';
import { errorBody, makeUser } from './support/fixtures';
import { renderApp } from './support/render-app';

describe('price typed by a seller', () => {
  it.each([
    ['1000', '1000.00'],
    ['1,000', '1000.00'],
    ['1 000', '1000.00'],
    ['1\u00a0000', '1000.00'],
    ['1000.50', '1000.50'],
    ['1,000.5', '1000.50'],
    ['$12,345.67', '12345.67'],
    [' 0.99 ', '0.99'],
    ['007', '7.00'],
  ])('when "%s" is typed, then it means %s', (typed, money) => {
    expect(normalizeMoneyInput(typed)).toBe(money);
  });

  it.each(['1,5', '1,00', '10,00,000', '1,000 000', '1.000,50', '1.234', '-5', '', 'abc', '1000000.00'])(
    'when "%s" is typed, then it is refused',
    (typed) => {
      expect(normalizeMoneyInput(typed)).toBeNull();
    },
  );
});

describe('links to nothing', () => {
  it('when a product link is broken, then the page says the product does not exist', async () => {
    const server = apiServer().on('GET', '/products/not-an-id', [
      400,
      errorBody('VALIDATION_FAILED', 'bad id', [{ field: 'id', message: 'must be a uuid' }]),
    ]);
    renderApp(server, '/products/not-an-id');

    expect(await screen.findByRole('heading', { level: 1, name: 'Product not found' })).toBeInTheDocument();
    expect(screen.getByText("This product doesn't exist (or was removed).")).toBeInTheDocument();
    expect(screen.queryByText(/Some fields need attention/)).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the catalog' })).toHaveAttribute('href', '/');
  });

  it('when an order link points to no order, then the page says "Order not found"', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const server = apiServer().on('GET', `/orders/${missing}`, [404, errorBody('NOT_FOUND')]);
    renderApp(server, `/orders/${missing}`, makeUser());

    expect(await screen.findByRole('heading', { level: 1, name: 'Order not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to my orders' })).toHaveAttribute('href', '/orders');
  });

  it('when the catalog is asked for a page past the last, then it says so and links to the first page of the same search', async () => {
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: [] }])
      .on('GET', '/products', [200, { data: [], pagination: { page: 999, pageSize: 12, total: 289, totalPages: 25 } }]);
    renderApp(server, '/?category=books&page=999');

    expect(await screen.findByText('No products on this page.')).toBeInTheDocument();
    expect(screen.queryByText('There are no products for sale yet.')).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the first page' })).toHaveAttribute('href', '/?category=books');
  });
});
