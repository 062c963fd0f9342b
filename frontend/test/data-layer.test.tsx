import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiServer } from './support/api-server';
import { errorBody, makeOrder, makeProduct, makeUser, page } from './support/fixtures';
import { renderApp } from './support/render-app';

describe('data layer', () => {
  it('when the products service fails once, then the catalog asks again and shows the products without an error', async () => {
    let calls = 0;
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: [] }])
      .on('GET', '/products', () =>
        ++calls === 1 ? [502, errorBody('SERVICE_UNAVAILABLE')] : [200, page([makeProduct({ name: 'Second try' })])],
      );
    renderApp(server, '/');

    // The first page of a file also waits for its lazy chunks, and the retry waits half a second.
    expect(await screen.findByRole('link', { name: 'Second try' }, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(server.sent('GET', '/products')).toHaveLength(2);
  });

  it('when the answer is final (404), then it is not asked again', async () => {
    const server = apiServer().on('GET', '/products/gone', [404, errorBody('NOT_FOUND')]);
    renderApp(server, '/products/gone');

    expect(await screen.findByText("This product doesn't exist (or was removed).")).toBeInTheDocument();
    expect(server.sent('GET', '/products/gone')).toHaveLength(1);
  });

  it('when the visitor goes back to a page just seen, then it shows from the cache at once and asks again behind it', async () => {
    const product = makeProduct({ name: 'Teapot' });
    let lists = 0;
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: [] }])
      .on('GET', '/products', async () => {
        // The second answer is slow and says something else: what shows meanwhile came from the cache.
        if (++lists === 1) return [200, page([product])];
        await new Promise((resolve) => setTimeout(resolve, 300));
        return [200, page([{ ...product, name: 'Teapot (new)' }])];
      })
      .on('GET', `/products/${product.id}`, [200, product]);
    renderApp(server, '/');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('link', { name: 'Teapot' }));
    await screen.findByRole('heading', { level: 1, name: 'Teapot' });
    await user.click(screen.getByRole('link', { name: '← Back to the catalog' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Catalog' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Teapot' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Teapot (new)' })).toBeInTheDocument();
    expect(server.sent('GET', '/products')).toHaveLength(2);
  });

  it('when the buyer cancels an order in My orders, then the row changes at once and the list is read again', async () => {
    const order = makeOrder({ status: 'COMPLETED', total: '15.00' });
    let cancelled = false;
    const server = apiServer()
      .on('GET', '/orders', () => [200, page([{ ...order, status: cancelled ? 'CANCELLED' : 'COMPLETED' }])])
      .on('POST', `/orders/${order.id}/cancel`, () => {
        cancelled = true;
        return [200, { ...order, status: 'CANCELLED' }];
      });
    renderApp(server, '/orders', makeUser());
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: `Cancel order ${order.id.slice(0, 8)}` }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel it' }));

    expect(await screen.findByText(`Order ${order.id.slice(0, 8)} was cancelled.`)).toBeInTheDocument();
    expect(screen.getByTestId('order-row')).toHaveTextContent('Cancelled');
    await screen.findByRole('table');
    expect(server.sent('GET', '/orders').length).toBeGreaterThanOrEqual(2);
  });

  it('when the buyer logs out and another account logs in, then nothing the first one read is shown from the cache', async () => {
    const alice = makeUser({ username: 'alice' });
    const bob = makeUser({ username: 'bob' });
    let who = alice;
    const server = apiServer()
      .on('GET', '/orders', async () => {
        if (who === alice) return [200, page([makeOrder({ id: '00000000-0000-4000-8000-0000000a11ce' })])];
        // Slow for the second account, so a list cached from the first would be on screen meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 300));
        return [200, page([])];
      })
      .on('POST', '/auth/logout', [204])
      .on('POST', '/auth/login', () => {
        who = bob;
        return [200, bob];
      })
      .on('GET', '/products', [200, page([])])
      .on('GET', '/products/categories', [200, { data: [] }]);
    renderApp(server, '/orders', alice);
    const user = userEvent.setup();
    expect(await screen.findByRole('link', { name: 'Order 00000000' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Log out' }));
    await user.click(await screen.findByRole('link', { name: 'Log in' }));
    const email = await screen.findByLabelText('Email');
    // The route moves focus into the new page a frame later: typing before that would lose keys.
    await waitFor(() => expect(document.querySelector('main')?.contains(document.activeElement)).toBe(true));
    await user.type(email, bob.email);
    await user.type(screen.getByLabelText('Password'), 'bob password');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    await user.click(await screen.findByRole('link', { name: 'My orders' }));

    expect(await screen.findByText('Loading your orders…')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Order 00000000' })).not.toBeInTheDocument();
    expect(await screen.findByText('You have not ordered anything yet.')).toBeInTheDocument();
  });
});
