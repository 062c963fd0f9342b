import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { lineFromProduct } from '../src/cart/cart-lines';
import { readCart, writeCart } from '../src/cart/cart-storage';
import { checkoutKeyFor } from '../src/cart/checkout-key';
import { apiServer } from './support/api-server';
import { errorBody, makeAddress, makeOrder, makeProduct, makeUser } from './support/fixtures';
import { renderApp } from './support/render-app';

const home = makeAddress({ name: 'Ada Lovelace', line1: '12 St James Square' });
const review = `/checkout?step=review&address=${home.id}`;

describe('checkout: shipping address', () => {
  it('when the buyer has no saved address, then the form asks for one, names what is missing, and continues with the saved one', async () => {
    const buyer = makeUser();
    const product = makeProduct({ name: 'Lamp' });
    writeCart(buyer.id, [lineFromProduct(product, 1)]);
    const saved = makeAddress({ name: 'Grace Hopper', line1: '1 Navy Yard', city: 'Arlington', country: 'US' });
    let addresses: unknown[] = [];
    const server = apiServer()
      .on('GET', `/products/${product.id}`, [200, product])
      .on('GET', '/addresses', () => [200, { data: addresses }])
      .on('POST', '/addresses', () => {
        addresses = [saved];
        return [201, saved];
      });
    renderApp(server, '/checkout', buyer);
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Add address' }));
    expect(screen.getByLabelText('Full name of the recipient')).toHaveAccessibleDescription(
      'Enter the name of the person receiving the parcel.',
    );
    expect(screen.getByLabelText('Country')).toHaveAccessibleDescription('Choose a country.');
    expect(server.sent('POST', '/addresses')).toHaveLength(0);

    await user.type(screen.getByLabelText('Full name of the recipient'), 'Grace Hopper');
    await user.type(screen.getByLabelText('Street and house number'), '1 Navy Yard');
    await user.type(screen.getByLabelText('Postal code'), '22202');
    await user.type(screen.getByLabelText('Town or city'), 'Arlington');
    await user.selectOptions(screen.getByLabelText('Country'), 'United States');
    await user.type(screen.getByLabelText('Phone (optional)'), 'call me');
    await user.click(screen.getByRole('button', { name: 'Add address' }));
    expect(screen.getByLabelText('Phone (optional)')).toHaveAccessibleDescription(
      'Only for the carrier, if they need to reach you Use digits, spaces and dashes, with + before a country code.',
    );
    await user.clear(screen.getByLabelText('Phone (optional)'));
    await user.click(screen.getByRole('button', { name: 'Add address' }));

    expect(await screen.findByRole('radio', { name: /Grace Hopper/, checked: true })).toBeInTheDocument();
    expect(server.sent('POST', '/addresses')[0]?.body).toEqual({
      name: 'Grace Hopper',
      line1: '1 Navy Yard',
      line2: '',
      city: 'Arlington',
      postalCode: '22202',
      region: '',
      country: 'US',
      phone: '',
    });
    await user.click(screen.getByRole('button', { name: 'Continue to review' }));
    expect(await screen.findByRole('heading', { name: 'Shipping address' })).toBeInTheDocument();
    expect(screen.getByText('1 Navy Yard')).toBeInTheDocument();
    expect(screen.getByText('United States')).toBeInTheDocument();
    expect(screen.getByRole('rowheader', { name: 'Lamp' })).toBeInTheDocument();
  });

  it('when the server refuses an address field, then its message appears next to the field', async () => {
    const buyer = makeUser();
    writeCart(buyer.id, [lineFromProduct(makeProduct(), 1)]);
    const server = apiServer()
      .on('GET', '/addresses', [200, { data: [] }])
      .on('POST', '/addresses', [
        400,
        errorBody('VALIDATION_FAILED', 'some fields are not valid', [
          { field: 'postalCode', message: 'postalCode must match pattern' },
        ]),
      ]);
    renderApp(server, '/checkout', buyer);
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('Full name of the recipient'), 'Ada');
    await user.type(screen.getByLabelText('Street and house number'), '1 Road');
    await user.type(screen.getByLabelText('Postal code'), '123');
    await user.type(screen.getByLabelText('Town or city'), 'Town');
    await user.selectOptions(screen.getByLabelText('Country'), 'GB');
    await user.click(screen.getByRole('button', { name: 'Add address' }));

    expect(await screen.findByText('PostalCode must match pattern')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Some fields need attention');
  });

  it('when the review URL names an address the buyer no longer has, then the address step opens instead', async () => {
    const buyer = makeUser();
    writeCart(buyer.id, [lineFromProduct(makeProduct(), 1)]);
    const other = makeAddress({ line1: '5 Other Road' });
    const server = apiServer().on('GET', '/addresses', [200, { data: [other] }]);
    renderApp(server, review, buyer);

    expect(await screen.findByRole('group', { name: 'Ship to' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: /5 Other Road/ })).toBeChecked();
    expect(screen.queryByRole('button', { name: 'Place order' })).not.toBeInTheDocument();
  });
});

describe('checkout: review and place', () => {
  it('when the same cart is sent again, then it keeps its Idempotency-Key; to another address, it gets a new one', () => {
    const items = [{ productId: 'p-1', quantity: 1, unitPrice: '5.00' }];
    const first = checkoutKeyFor('u-key', { items, shippingAddressId: 'a-1' });

    expect(checkoutKeyFor('u-key', { items, shippingAddressId: 'a-1' })).toBe(first);
    expect(checkoutKeyFor('u-key', { items, shippingAddressId: 'a-2' })).not.toBe(first);
  });

  it('when the buyer places the order, then it is sent with the chosen address and the order page opens', async () => {
    const buyer = makeUser();
    const product = makeProduct({ name: 'Kettle', price: '30.00' });
    writeCart(buyer.id, [lineFromProduct(product, 2)]);
    const placed = makeOrder({ id: 'order-9' });
    const server = apiServer()
      .on('GET', `/products/${product.id}`, [200, product])
      .on('GET', '/addresses', [200, { data: [home] }])
      .on('POST', '/orders', [202, placed])
      .on('GET', '/orders/order-9', [200, placed]);
    renderApp(server, review, buyer);
    const user = userEvent.setup();

    const summary = await screen.findByRole('table', { name: 'Items you are ordering' });
    expect(within(summary).getByRole('rowheader', { name: 'Kettle' })).toBeInTheDocument();
    expect(screen.getByText('$60.00', { selector: 'strong' })).toBeInTheDocument();
    expect(screen.getByText('12 St James Square')).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'Place order' }));

    expect(await screen.findByRole('heading', { name: /order order-9/i })).toBeInTheDocument();
    expect(server.sent('POST', '/orders')[0]?.body).toEqual({
      items: [{ productId: product.id, quantity: 2, unitPrice: '30.00' }],
      shippingAddressId: home.id,
    });
    expect(readCart(buyer.id)).toEqual([]);
  });

  it('when the price changes between opening the cart and checking out, then no order is placed and the change is shown', async () => {
    const buyer = makeUser();
    const product = makeProduct({ name: 'Vase', price: '20.00' });
    writeCart(buyer.id, [lineFromProduct(product, 1)]);
    let price = '20.00';
    const server = apiServer().on('GET', `/products/${product.id}`, () => [200, { ...product, price }]);
    renderApp(server.on('GET', '/addresses', [200, { data: [home] }]), review, buyer);
    const user = userEvent.setup();

    const button = await screen.findByRole('button', { name: 'Place order' });
    price = '25.00';
    await user.click(button);

    expect(await screen.findByText('The price of Vase changed from $20.00 to $25.00.')).toBeInTheDocument();
    expect(server.sent('POST', '/orders')).toHaveLength(0);
  });

  it('when checkout is retried after a network failure, then the same Idempotency-Key is sent with the refreshed prices', async () => {
    const buyer = makeUser();
    const product = makeProduct({ name: 'Bowl', price: '3.00' });
    writeCart(buyer.id, [lineFromProduct(product, 2)]);
    let attempts = 0;
    const server = apiServer()
      .on('GET', `/products/${product.id}`, [200, product])
      .on('POST', '/orders', () => (++attempts === 1 ? 'network-error' : [202, { id: 'order-1', status: 'PENDING' }]))
      .on('GET', '/orders/order-1', [
        200,
        { id: 'order-1', status: 'PENDING', reason: null, total: null, items: [], createdAt: '', updatedAt: '' },
      ]);
    renderApp(server.on('GET', '/addresses', [200, { data: [home] }]), review, buyer);
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Place order' }));
    expect(await screen.findByText(/could not reach the server/i)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Place order' }));

    expect(await screen.findByRole('heading', { name: /order order-1/i })).toBeInTheDocument();
    const [first, second] = server.sent('POST', '/orders');
    expect(first?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.headers.get('Idempotency-Key')).toBe(first?.headers.get('Idempotency-Key'));
    expect(second?.headers.get('x-requested-with')).toBe('marketplace');
    expect(second?.body).toEqual({
      items: [{ productId: product.id, quantity: 2, unitPrice: '3.00' }],
      shippingAddressId: home.id,
    });
    expect(readCart(buyer.id)).toEqual([]);
  });

  it('when the shop is busy (503 OVERLOADED), then the wait from Retry-After is named, the cart is kept and a retry after it places the order once', async () => {
    const buyer = makeUser();
    const product = makeProduct({ name: 'Jug', price: '4.00' });
    writeCart(buyer.id, [lineFromProduct(product, 3)]);
    const cart = readCart(buyer.id);
    let attempts = 0;
    const busy = errorBody('OVERLOADED', 'the shop is busy: 812 orders are still being processed; try again in 2 s');
    const placed = makeOrder({ id: 'order-1' });
    const server = apiServer()
      .on('GET', `/products/${product.id}`, [200, product])
      .on('POST', '/orders', () => (++attempts === 1 ? [503, busy, { 'retry-after': '7' }] : [202, placed]))
      .on('GET', '/orders/order-1', [200, placed]);
    renderApp(server.on('GET', '/addresses', [200, { data: [home] }]), review, buyer);
    const placeOrder = await screen.findByRole('button', { name: 'Place order' });
    // Fake setTimeout stalls Testing Library's async helpers (user-event, findBy…), hence fireEvent and vi.waitFor.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });

    fireEvent.click(placeOrder);
    const alert = await vi.waitFor(() => screen.getByRole('alert'));
    expect(alert).toHaveTextContent('The shop is busy right now — please try again in 7 s.');
    expect(screen.queryByText(/812 orders/)).not.toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'Place order (in 7 s)' });
    expect(button).toBeDisabled();
    expect(readCart(buyer.id)).toEqual(cart);
    expect(screen.getByRole('rowheader', { name: 'Jug' })).toBeInTheDocument();

    // One second at a time: each tick schedules the next once React has rendered.
    const tick = () => act(async () => vi.advanceTimersByTimeAsync(1000));
    for (let second = 0; second < 6; second++) await tick();
    expect(button).toHaveAccessibleName('Place order (in 1 s)');
    expect(button).toBeDisabled();
    await tick();
    expect(button).toHaveAccessibleName('Place order');
    expect(button).toBeEnabled();
    fireEvent.click(button);

    await vi.waitFor(() => screen.getByRole('heading', { name: /order order-1/i }));
    const [first, second] = server.sent('POST', '/orders');
    expect(server.sent('POST', '/orders')).toHaveLength(2);
    expect(second?.headers.get('Idempotency-Key')).toBe(first?.headers.get('Idempotency-Key'));
    expect(second?.body).toEqual({
      items: [{ productId: product.id, quantity: 3, unitPrice: '4.00' }],
      shippingAddressId: home.id,
    });
    expect(readCart(buyer.id)).toEqual([]);
  });

  it.each([
    { label: 'missing', retryAfter: undefined, shown: 2 },
    { label: 'not a number', retryAfter: 'soon', shown: 2 },
    { label: 'an hour', retryAfter: '3600', shown: 60 },
  ])('when the busy answer’s Retry-After is $label, then the wait shown is $shown s', async ({ retryAfter, shown }) => {
    const buyer = makeUser();
    const product = makeProduct({ name: 'Cup' });
    writeCart(buyer.id, [lineFromProduct(product, 1)]);
    const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': retryAfter };
    const server = apiServer()
      .on('GET', `/products/${product.id}`, [200, product])
      .on('POST', '/orders', [503, errorBody('OVERLOADED'), headers]);
    renderApp(server.on('GET', '/addresses', [200, { data: [home] }]), review, buyer);
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Place order' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(`please try again in ${shown} s.`);
    expect(screen.getByRole('button', { name: `Place order (in ${shown} s)` })).toBeDisabled();
    expect(readCart(buyer.id)).toHaveLength(1);
  });
});
