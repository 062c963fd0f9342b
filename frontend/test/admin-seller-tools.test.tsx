import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pageWindow } from '../src/components/pagination';
import { LEAVE_QUESTION } from '../src/lib/use-unsaved-changes';
import { apiServer } from './support/api-server';
import { makeOrder, makeProduct, makeUser, page } from './support/fixtures';
import { renderApp } from './support/render-app';

const admin = makeUser({ role: 'admin', id: 'admin-1' });
const seller = makeUser({ role: 'seller', id: 'seller-1' });

describe('admin users: confirmations', () => {
  const target = { ...makeUser({ username: 'carol' }), disabled: false, createdAt: '2025-01-01T10:00:00.000Z' };

  it('when the admin picks a new role, then nothing changes until confirmed; Cancel and Escape keep the role', async () => {
    const server = apiServer()
      .on('GET', '/auth/users', [200, page([target])])
      .on('PATCH', '/auth/users/:id', ({ body }) => [200, { ...target, ...(body as object) }]);
    renderApp(server, '/admin/users', admin);
    const user = userEvent.setup();
    const role = await screen.findByLabelText('Role of carol');

    await user.selectOptions(role, 'seller');
    const question = screen.getByRole('alertdialog', { name: 'Make carol a seller?' });
    expect(within(question).getByRole('button', { name: 'Yes, make seller' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(role).toHaveValue('buyer');
    await waitFor(() => expect(role).toHaveFocus());
    expect(server.sent('PATCH', `/auth/users/${target.id}`)).toHaveLength(0);

    await user.selectOptions(role, 'seller');
    await user.click(screen.getByRole('button', { name: 'Yes, make seller' }));

    expect(await screen.findByText('carol is now a seller.')).toBeInTheDocument();
    expect(server.sent('PATCH', `/auth/users/${target.id}`).map((r) => r.body)).toEqual([{ role: 'seller' }]);
  });

  it('when the admin disables a user, then the question says what it means and only the answer sends it', async () => {
    const server = apiServer()
      .on('GET', '/auth/users', [200, page([target])])
      .on('PATCH', '/auth/users/:id', [200, { ...target, disabled: true }]);
    renderApp(server, '/admin/users', admin);
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Disable carol' }));
    expect(screen.getByRole('alertdialog', { name: 'Disable carol? They can no longer log in.' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Disable carol' })).toHaveFocus());
    expect(server.sent('PATCH', `/auth/users/${target.id}`)).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Disable carol' }));
    await user.click(screen.getByRole('button', { name: 'Yes, disable carol' }));
    expect(await screen.findByText('carol is disabled and can no longer log in.')).toBeInTheDocument();
    expect(server.sent('PATCH', `/auth/users/${target.id}`).map((r) => r.body)).toEqual([{ disabled: true }]);
  });
});

describe('admin orders', () => {
  it('when the admin filters, then the filters reach the API and each row names buyer and sellers', async () => {
    const order = makeOrder({
      buyer: { id: 'b-1', username: 'bob' },
      items: [
        {
          productId: 'p-1',
          productName: 'Mug',
          sellerId: 'aaaaaaaa-0000-4000-8000-000000000001',
          quantity: 1,
          unitPrice: '2.00',
        },
        {
          productId: 'p-2',
          productName: 'Cup',
          sellerId: 'aaaaaaaa-0000-4000-8000-000000000001',
          quantity: 1,
          unitPrice: '2.00',
        },
      ],
    });
    const server = apiServer().on('GET', '/orders/all', ({ params }) =>
      params.buyer === 'nobody' ? [200, page([])] : [200, page([order])],
    );
    renderApp(server, '/admin/orders', admin);
    const user = userEvent.setup();

    const row = (await screen.findByRole('link', { name: /^Order / })).closest('tr')!;
    expect(within(row).getByText('bob')).toBeInTheDocument();
    expect(within(row).getByText('aaaaaaaa')).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Status'), 'COMPLETED');
    await user.type(screen.getByLabelText('From (UTC)'), '2026-01-01');
    await user.type(screen.getByLabelText('Buyer (username or id)'), 'nobody');
    await user.click(screen.getByRole('button', { name: 'Filter' }));

    expect(await screen.findByText('No order matches these filters.')).toBeInTheDocument();
    expect(server.requests.at(-1)?.params).toEqual({
      page: '1',
      pageSize: '20',
      status: 'COMPLETED',
      from: '2026-01-01',
      buyer: 'nobody',
    });
  });

  it('when a seller id is not a full id, then the field says so and nothing is asked', async () => {
    const server = apiServer().on('GET', '/orders/all', [200, page([])]);
    renderApp(server, '/admin/orders', admin);
    const user = userEvent.setup();
    await screen.findByText('No orders yet.');
    const asked = server.requests.length;

    await user.type(screen.getByLabelText('Seller id'), 'abc');
    await user.click(screen.getByRole('button', { name: 'Filter' }));

    expect(screen.getByLabelText('Seller id')).toHaveAccessibleDescription(/full id/);
    expect(server.requests).toHaveLength(asked);
  });

  it.each([
    [1, 1, [1]],
    [1, 10, [1, 2, 3, null, 10]],
    [4, 10, [1, 2, 3, 4, 5, 6, null, 10]],
    [6, 10, [1, null, 4, 5, 6, 7, 8, 9, 10]],
    [9, 10, [1, null, 7, 8, 9, 10]],
    [12, 10, [1, null, 10, 11, 12]],
  ])('when on page %i of %i, then the page buttons are %j', (current, last, expected) => {
    expect(pageWindow(current, last)).toEqual(expected);
  });
});

describe('my products', () => {
  it('when the seller searches and sorts, then both reach the API; an unlisted product shows its reason and no relist, an archived one can be relisted', async () => {
    const unlisted = makeProduct({
      name: 'Fake watch',
      status: 'unlisted',
      moderation: { reason: 'Replicas are not allowed.', at: '2026-01-01T10:00:00.000Z' },
    });
    const archived = makeProduct({ name: 'Old lamp', status: 'archived', version: 2 });
    const server = apiServer()
      .on('GET', '/products/mine', ({ params }) =>
        params.q === 'zzz' ? [200, page([])] : [200, page([unlisted, archived])],
      )
      .on('POST', '/products/:id/relist', [200, { ...archived, status: 'active', version: 3 }]);
    renderApp(server, '/seller', seller);
    const user = userEvent.setup();

    const watchRow = (await screen.findByRole('rowheader', { name: 'Fake watch' })).closest('tr')!;
    expect(within(watchRow).getByText('Unlisted by an admin')).toBeInTheDocument();
    expect(within(watchRow).getByText('Reason: Replicas are not allowed.')).toBeInTheDocument();
    expect(within(watchRow).queryByRole('button', { name: /Relist/ })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /^Relist\s*Old lamp$/ }));
    expect(await screen.findByText('“Old lamp” is listed again.')).toBeInTheDocument();
    expect(server.sent('POST', `/products/${archived.id}/relist`)).toHaveLength(1);

    await user.selectOptions(screen.getByLabelText('Sort'), 'stock');
    await user.type(screen.getByLabelText('Search my products by name'), 'zzz');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('None of your products has “zzz” in its name.')).toBeInTheDocument();
    expect(server.sent('GET', '/products/mine').at(-1)?.params).toEqual({
      page: '1',
      pageSize: '20',
      q: 'zzz',
      sort: 'stock',
    });
  });
});

describe('my sales', () => {
  it('when the seller picks dates and a period, then totals follow, the CSV link carries the dates and an empty range says so', async () => {
    const server = apiServer()
      .on('GET', '/orders/sales', [200, page([])])
      .on('GET', '/orders/sales/totals', ({ params }) => [
        200,
        params.period === 'month'
          ? {
              data: [{ periodStart: '2026-05-01', orders: 3, quantity: 4, revenue: '1234.50' }],
              overall: { orders: 3, quantity: 4, revenue: '1234.50' },
            }
          : { data: [], overall: { orders: 0, quantity: 0, revenue: '0.00' } },
      ]);
    renderApp(server, '/seller/sales', seller);
    const user = userEvent.setup();

    expect(await screen.findByText('Nobody has bought your products yet.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('From'), '2026-05-01');
    await user.selectOptions(screen.getByLabelText('Totals per'), 'month');

    expect(await screen.findByText('3 orders, 4 items, $1,234.50 in all.')).toBeInTheDocument();
    expect(screen.getByRole('rowheader', { name: 'May 2026' })).toBeInTheDocument();
    expect(await screen.findByText('You sold nothing between these dates.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Download these sales as CSV' })).toHaveAttribute(
      'href',
      '/api/orders/sales/export?from=2026-05-01',
    );
    expect(server.sent('GET', '/orders/sales/totals').at(-1)?.params).toEqual({ from: '2026-05-01', period: 'month' });
  });
});

describe('product editor', () => {
  afterEach(() => vi.restoreAllMocks());

  it('when the seller leaves with unsaved edits, then a link asks first and staying keeps the edits', async () => {
    const product = makeProduct({ name: 'Desk', sellerId: seller.id });
    const server = apiServer()
      .on('GET', `/products/${product.id}`, [200, product])
      .on('GET', '/products/mine', [200, page([product])]);
    renderApp(server, `/seller/products/${product.id}/edit`, seller);
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);

    const name = await screen.findByLabelText('Name');
    await user.type(name, ' and chair');
    await user.click(screen.getByRole('link', { name: 'My products' }));

    expect(confirm).toHaveBeenCalledWith(LEAVE_QUESTION);
    expect(screen.getByLabelText('Name')).toHaveValue('Desk and chair');
    const leave = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(leave);
    expect(leave.defaultPrevented).toBe(true);

    confirm.mockReturnValue(true);
    await user.click(screen.getByRole('link', { name: 'My products' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'My products' })).toBeInTheDocument();
  });
});
