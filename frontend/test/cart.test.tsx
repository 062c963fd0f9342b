import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { readCart, writeCart } from '../src/cart/cart-storage';
import { lineFromProduct } from '../src/cart/cart-lines';
import { apiServer } from './support/api-server';
import { errorBody, makeProduct, makeUser, page } from './support/fixtures';
import { renderApp } from './support/render-app';

describe('cart', () => {
  it('when a buyer adds more than the stock, then the cart holds only the stock and says so', async () => {
    const buyer = makeUser();
    const product = makeProduct({ name: 'Lamp', stock: 2 });
    const server = apiServer()
      .on('GET', '/products', [200, page([product])])
      .on('GET', '/products/categories', [200, { data: [] }]);
    renderApp(server, '/', buyer);
    const user = userEvent.setup();

    const card = (await screen.findByRole('link', { name: 'Lamp' })).closest('li')!;
    await user.click(within(card).getByRole('button', { name: /add to cart/i }));
    await user.click(within(card).getByRole('button', { name: /add to cart/i }));

    expect(readCart(buyer.id)).toEqual([expect.objectContaining({ productId: product.id, quantity: 2 })]);
    expect(within(card).getByRole('button', { name: /all available in cart/i })).toBeDisabled();
    expect(screen.getByRole('link', { name: 'Cart (2)' })).toBeInTheDocument();
  });

  it('when a product is sold out, then its add button is disabled', async () => {
    const server = apiServer()
      .on('GET', '/products', [200, page([makeProduct({ name: 'Gone', stock: 0 })])])
      .on('GET', '/products/categories', [200, { data: [] }]);
    renderApp(server, '/', makeUser());

    const card = (await screen.findByRole('link', { name: 'Gone' })).closest('li')!;
    expect(within(card).getByText('Sold out', { selector: 'p' })).toBeInTheDocument();
    expect(within(card).getByRole('button', { name: /sold out/i })).toBeDisabled();
  });

  it('when the buyer types a quantity above the stock in the cart, then it is capped at the stock', async () => {
    const buyer = makeUser();
    const product = makeProduct({ name: 'Chair', stock: 4 });
    writeCart(buyer.id, [lineFromProduct(product, 1)]);
    const server = apiServer().on('GET', `/products/${product.id}`, [200, product]);
    renderApp(server, '/cart', buyer);
    const user = userEvent.setup();

    const input = await screen.findByLabelText('Quantity of Chair');
    await waitFor(() => expect(input).toBeEnabled());
    await user.clear(input);
    await user.type(input, '9');

    expect(input).toHaveValue(4);
    expect(readCart(buyer.id)[0]?.quantity).toBe(4);
  });

  it('when two accounts share a browser, then each sees only its own cart', async () => {
    const alice = makeUser({ username: 'alice' });
    const bob = makeUser({ username: 'bob' });
    const product = makeProduct({ name: 'Kettle' });
    writeCart(alice.id, [lineFromProduct(product, 3)]);
    const server = apiServer().on('GET', `/products/${product.id}`, [200, product]);

    const first = renderApp(server, '/cart', bob);
    expect(await screen.findByText('Your cart is empty.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Cart (0)' })).toBeInTheDocument();
    first.unmount();

    renderApp(server, '/cart', alice);
    expect(await screen.findByRole('link', { name: 'Kettle' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Cart (3)' })).toBeInTheDocument();
  });

  it('when the buyer logs out, then the cart view is emptied but the cart is kept for the next login', async () => {
    const buyer = makeUser();
    const product = makeProduct({ name: 'Rug' });
    writeCart(buyer.id, [lineFromProduct(product, 1)]);
    const server = apiServer()
      .on('GET', `/products/${product.id}`, [200, product])
      .on('POST', '/auth/logout', [204])
      .on('GET', '/products', [200, page([])])
      .on('GET', '/products/categories', [200, { data: [] }]);
    renderApp(server, '/cart', buyer);
    const user = userEvent.setup();

    await screen.findByRole('link', { name: 'Rug' });
    await user.click(screen.getByRole('button', { name: 'Log out' }));

    expect(await screen.findByText('You have logged out.')).toBeInTheDocument();
    // The header now counts this browser's guest cart, which is empty.
    expect(screen.getByRole('link', { name: 'Cart (0)' })).toBeInTheDocument();
    expect(screen.queryByText('Rug')).not.toBeInTheDocument();
    expect(readCart(buyer.id)).toHaveLength(1);
  });

  it('when prices and stock changed since adding, then the cart shows each change and uses the new values', async () => {
    const buyer = makeUser();
    const cheaper = makeProduct({ name: 'Pen', price: '2.00' });
    const scarce = makeProduct({ name: 'Ink', price: '5.00', stock: 10 });
    const gone = makeProduct({ name: 'Paper' });
    writeCart(buyer.id, [lineFromProduct(cheaper, 2), lineFromProduct(scarce, 3), lineFromProduct(gone, 1)]);
    const server = apiServer()
      .on('GET', `/products/${cheaper.id}`, [200, { ...cheaper, price: '2.50' }])
      .on('GET', `/products/${scarce.id}`, [200, { ...scarce, stock: 1 }])
      .on('GET', `/products/${gone.id}`, [404, errorBody('NOT_FOUND')]);
    renderApp(server, '/cart', buyer);

    expect(await screen.findByText('The price of Pen changed from $2.00 to $2.50.')).toBeInTheDocument();
    expect(screen.getByText('Only 1 of Ink can be ordered now, so the quantity went from 3 to 1.')).toBeInTheDocument();
    expect(screen.getByText('Paper is no longer available and was removed from your cart.')).toBeInTheDocument();
    expect(screen.getByText('$10.00', { selector: 'strong' })).toBeInTheDocument(); // 2 × 2.50 + 1 × 5.00
    expect(readCart(buyer.id).map((line) => [line.name, line.quantity, line.unitPrice])).toEqual([
      ['Pen', 2, '2.50'],
      ['Ink', 1, '5.00'],
    ]);
  });
});
