import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Cart } from '../src/api/contracts';
import { lineFromProduct } from '../src/cart/cart-lines';
import { GUEST, readCart, readCartVersion, writeCart } from '../src/cart/cart-storage';
import { apiServer } from './support/api-server';
import { errorBody, makeProduct, makeUser, page } from './support/fixtures';
import { renderApp } from './support/render-app';

const catalogWith = (...products: ReturnType<typeof makeProduct>[]) =>
  apiServer()
    .on('GET', '/products', [200, page(products)])
    .on('GET', '/products/categories', [200, { data: [] }]);

describe('cart kept on the server', () => {
  it('when a visitor who is not signed in adds a product, then the cart holds it and asks to log in to order', async () => {
    const lamp = makeProduct({ name: 'Lamp', stock: 3 });
    const server = catalogWith(lamp).on('GET', `/products/${lamp.id}`, [200, lamp]);
    renderApp(server, '/');
    const user = userEvent.setup();

    const card = (await screen.findByRole('link', { name: 'Lamp' })).closest('li')!;
    await user.click(within(card).getByRole('button', { name: /add to cart/i }));
    await user.click(screen.getByRole('link', { name: 'Cart (1)' }));

    expect(await screen.findByRole('link', { name: 'Log in to place the order' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /place order/i })).not.toBeInTheDocument();
    expect(readCart(GUEST)).toEqual([expect.objectContaining({ productId: lamp.id, quantity: 1 })]);
    expect(server.sent('GET', '/cart')).toHaveLength(0);
  });

  it('when a buyer signs in with a guest cart, then it is added to the saved cart and saved on top of its version', async () => {
    const buyer = makeUser();
    const saved = makeProduct({ name: 'Saved mug' });
    const guestOnly = makeProduct({ name: 'Guest kettle' });
    const shared = makeProduct({ name: 'Shared rug', stock: 50 });
    writeCart(GUEST, [lineFromProduct(guestOnly, 2), lineFromProduct(shared, 3)]);
    const serverCart: Cart = {
      lines: [lineFromProduct(saved, 1), lineFromProduct(shared, 4)],
      version: 7,
      updatedAt: '2026-11-30T10:00:00.000Z',
    };
    const server = catalogWith()
      .on('GET', '/cart', [200, serverCart])
      .on('PUT', '/cart', ({ body }) => [
        200,
        { ...(body as Cart), version: 8, updatedAt: '2026-11-30T10:01:00.000Z' },
      ]);
    renderApp(server, '/', buyer);

    await waitFor(() => expect(server.sent('PUT', '/cart')).toHaveLength(1));
    expect(server.sent('PUT', '/cart')[0]!.body).toEqual({
      version: 7,
      lines: [
        expect.objectContaining({ productId: saved.id, quantity: 1 }),
        expect.objectContaining({ productId: shared.id, quantity: 7 }),
        expect.objectContaining({ productId: guestOnly.id, quantity: 2 }),
      ],
    });
    expect(readCart(GUEST)).toEqual([]);
    await waitFor(() => expect(readCartVersion(buyer.id)).toBe(8));
    expect(screen.getByRole('link', { name: 'Cart (10)' })).toBeInTheDocument();
  });

  it('when another device saved the cart first, then the server cart is loaded again and the buyer is told', async () => {
    const buyer = makeUser();
    const lamp = makeProduct({ name: 'Lamp', stock: 9 });
    const fromPhone = makeProduct({ name: 'Chosen on the phone' });
    let gets = 0;
    const server = catalogWith(lamp)
      .on('GET', '/cart', () => {
        gets += 1;
        // The first read finds the cart empty; by the time of the save, the phone had saved version 1.
        return gets === 1
          ? [200, { lines: [], version: 0, updatedAt: null }]
          : [200, { lines: [lineFromProduct(fromPhone, 2)], version: 1, updatedAt: '2026-11-30T10:00:00.000Z' }];
      })
      .on('PUT', '/cart', [409, errorBody('VERSION_CONFLICT', 'your cart was changed on another device')]);
    renderApp(server, '/', buyer);
    const user = userEvent.setup();
    await waitFor(() => expect(gets).toBe(1));

    const card = (await screen.findByRole('link', { name: 'Lamp' })).closest('li')!;
    await user.click(within(card).getByRole('button', { name: /add to cart/i }));

    expect(
      await screen.findByText('Your cart was changed on another device, so it was loaded again.'),
    ).toBeInTheDocument();
    expect(server.sent('PUT', '/cart')[0]!.body).toMatchObject({
      version: 0,
      lines: [{ productId: lamp.id, quantity: 1 }],
    });
    expect(readCart(buyer.id)).toEqual([expect.objectContaining({ productId: fromPhone.id, quantity: 2 })]);
    expect(screen.getByRole('link', { name: 'Cart (2)' })).toBeInTheDocument();
  });

  it('when a product has more stock than one order may take, then adding past the limit names the limit, not the stock', async () => {
    const buyer = makeUser();
    const bulk = makeProduct({ name: 'Bulk pencils', stock: 180 });
    const saved: Cart = { lines: [lineFromProduct(bulk, 95)], version: 3, updatedAt: '2026-11-30T10:00:00.000Z' };
    const server = catalogWith()
      .on('GET', `/products/${bulk.id}`, [200, bulk])
      .on('GET', '/cart', [200, saved])
      .on('PUT', '/cart', ({ body }) => [200, { ...(body as Cart), version: 4, updatedAt: saved.updatedAt }]);
    renderApp(server, `/products/${bulk.id}`, buyer);
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByRole('link', { name: 'Cart (95)' })).toBeInTheDocument());

    const quantity = await screen.findByLabelText('Quantity');
    await user.clear(quantity);
    await user.type(quantity, '10');
    await user.click(screen.getByRole('button', { name: /add to cart/i }));

    const feedback = screen.getByRole('status');
    expect(feedback).toHaveTextContent('Your cart now holds 99: an order holds at most 99 of one product.');
    expect(feedback).toHaveClass('add-feedback-limited');
    await waitFor(() => expect(server.sent('PUT', '/cart')).toHaveLength(1));
  });

  it('when the cart page finds every line still current, then nothing is saved', async () => {
    const buyer = makeUser();
    const rug = makeProduct({ name: 'Rug', stock: 4 });
    const saved: Cart = { lines: [lineFromProduct(rug, 2)], version: 5, updatedAt: '2026-11-30T10:00:00.000Z' };
    const server = apiServer()
      .on('GET', `/products/${rug.id}`, [200, rug])
      .on('GET', '/cart', [200, saved])
      .on('PUT', '/cart', [200, { ...saved, version: 6 }]);
    // This browser already holds the saved cart, as after an earlier visit.
    writeCart(buyer.id, saved.lines, { fromServer: true });
    renderApp(server, '/cart', buyer);

    expect(await screen.findByRole('link', { name: 'Rug' })).toBeInTheDocument();
    // The check against the catalog is done once the quantities can be changed again.
    await waitFor(() => expect(screen.getByLabelText('Quantity of Rug')).toBeEnabled());
    await new Promise((resolve) => setTimeout(resolve, 600));

    expect(server.sent('GET', `/products/${rug.id}`)).toHaveLength(1);
    expect(server.sent('PUT', '/cart')).toHaveLength(0);
  });
});
