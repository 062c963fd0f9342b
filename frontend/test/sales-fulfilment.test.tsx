import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Sale } from '../src/api/contracts';
import { apiServer } from './support/api-server';
import { errorBody, makeUser, page } from './support/fixtures';
import { renderApp } from './support/render-app';

const orderId = '00000000-0000-4000-8000-0000000000aa';
const sale = (overrides: Partial<Sale> = {}): Sale => ({
  orderId,
  productId: 'p-1',
  productName: 'Blue mug',
  quantity: 2,
  unitPrice: '7.50',
  status: 'COMPLETED',
  partState: 'CONFIRMED',
  carrier: null,
  trackingNumber: null,
  shippingAddress: null,
  createdAt: '2025-01-01T10:00:00.000Z',
  ...overrides,
});

describe('my sales: fulfilment', () => {
  it('when the seller ships a part, then the carrier and tracking number are sent, trimmed, and the row reads Shipped', async () => {
    const seller = makeUser({ role: 'seller' });
    let shipped = false;
    const server = apiServer()
      .on('GET', '/orders/sales', () => [
        200,
        page([
          sale(shipped ? { partState: 'SHIPPED', carrier: 'DHL', trackingNumber: 'JD0146' } : {}),
          sale({ productId: 'p-2', productName: 'Red mug' }),
        ]),
      ])
      .on('POST', `/orders/${orderId}/parts/${seller.id}/ship`, () => {
        shipped = true;
        return [200, {}];
      });
    renderApp(server, '/seller/sales', seller);
    const user = userEvent.setup();

    const rows = await screen.findAllByTestId('sale-row');
    expect(rows[0]).toHaveTextContent('To ship');
    // Two lines of one order are one part: one set of actions.
    expect(screen.getAllByRole('button', { name: 'Ship…' })).toHaveLength(1);
    await user.click(within(rows[0]!).getByRole('button', { name: 'Ship…' }));
    await user.type(screen.getByLabelText('Carrier'), ' DHL ');
    await user.type(screen.getByLabelText('Tracking number'), 'JD0146');
    await user.click(screen.getByRole('button', { name: 'Mark as shipped' }));

    expect(await screen.findByText('DHL,')).toBeInTheDocument();
    expect((await screen.findAllByTestId('sale-row'))[0]).toHaveTextContent('Shipped');
    expect(server.sent('POST', `/orders/${orderId}/parts/${seller.id}/ship`)[0]!.body).toEqual({
      carrier: 'DHL',
      trackingNumber: 'JD0146',
    });
    expect(screen.getByRole('button', { name: 'Mark as delivered' })).toBeInTheDocument();
  });

  it('when the order was cancelled meanwhile, then shipping explains it', async () => {
    const seller = makeUser({ role: 'seller' });
    const server = apiServer()
      .on('GET', '/orders/sales', [200, page([sale()])])
      .on('POST', `/orders/${orderId}/parts/${seller.id}/ship`, [409, errorBody('CONFLICT')]);
    renderApp(server, '/seller/sales', seller);
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Ship…' }));
    await user.type(screen.getByLabelText('Carrier'), 'DHL');
    await user.type(screen.getByLabelText('Tracking number'), 'JD0146');
    await user.click(screen.getByRole('button', { name: 'Mark as shipped' }));

    expect(await screen.findByText(/This order changed meanwhile/)).toBeInTheDocument();
  });
});
