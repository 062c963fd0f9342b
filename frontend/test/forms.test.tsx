import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiServer } from './support/api-server';
import { errorBody, makeProduct, makeUser, page } from './support/fixtures';
import { renderApp } from './support/render-app';

describe('signup form', () => {
  it('when submitted empty, then every field explains itself, focus goes to the first and nothing is sent', async () => {
    const server = apiServer();
    renderApp(server, '/signup');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Create account' }));

    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription(/Use 3 to 32 characters\./);
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter your email address.');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/Use at least 10 characters\./);
    expect(screen.getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Username')).toHaveFocus();
    expect(server.sent('POST', '/auth/signup')).toHaveLength(0);
  });

  it('when the password is longer than 72 bytes, then it is refused instead of cut', async () => {
    renderApp(apiServer(), '/signup');
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('Username'), 'maria');
    await user.type(screen.getByLabelText('Email'), 'maria@example.test');
    await user.type(screen.getByLabelText('Password'), 'é'.repeat(37));
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(screen.getByText(/Use at most 72 bytes/)).toBeInTheDocument();
  });

  it('when the server rejects fields, then its details appear next to them and the summary is a sentence', async () => {
    const server = apiServer().on('POST', '/auth/signup', [
      400,
      errorBody('VALIDATION_FAILED', 'bad input', [
        { field: 'username', message: '"username" contains characters that are not allowed' },
      ]),
    ]);
    renderApp(server, '/signup');
    const user = userEvent.setup();

    // Passes the contract's checks in the browser; only the server knows what it refuses here.
    await user.type(await screen.findByLabelText('Username'), 'bad.name');
    await user.type(screen.getByLabelText('Email'), 'bad@example.test');
    await user.type(screen.getByLabelText('Password'), 'long enough password');
    await user.click(screen.getByRole('radio', { name: /sell products/i }));
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Some fields need attention. Check the messages next to them.',
    );
    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription(/Contains characters that are not allowed/);
    expect(server.sent('POST', '/auth/signup')[0]?.body).toEqual({
      username: 'bad.name',
      email: 'bad@example.test',
      password: 'long enough password',
      role: 'seller',
    });
  });

  it('when the username breaks the pattern of the contract, then the form says so with its sentence and sends nothing', async () => {
    const server = apiServer();
    renderApp(server, '/signup');
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('Username'), 'bad name!');
    await user.type(screen.getByLabelText('Email'), 'bad@example.test');
    await user.type(screen.getByLabelText('Password'), 'long enough password');
    await user.click(screen.getByRole('radio', { name: /sell products/i }));
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByLabelText('Username')).toHaveAccessibleDescription(
      /Username may hold letters, digits, dots, dashes and underscores, and must start with a letter or digit\./,
    );
    expect(server.sent('POST', '/auth/signup')).toEqual([]);
  });

  it('when the email is taken, then the page says so without the server text', async () => {
    const server = apiServer().on('POST', '/auth/signup', [
      409,
      errorBody('CONFLICT', 'duplicate key value violates users_email_key'),
    ]);
    renderApp(server, '/signup');
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('Username'), 'maria');
    await user.type(screen.getByLabelText('Email'), 'maria@example.test');
    await user.type(screen.getByLabelText('Password'), 'long enough password');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('That username or email is already registered.');
    expect(screen.queryByText(/duplicate key/)).not.toBeInTheDocument();
  });
});

describe('login form', () => {
  it('when the credentials are wrong, then a sentence says so and the form stays usable', async () => {
    const server = apiServer().on('POST', '/auth/login', [401, errorBody('INVALID_CREDENTIALS')]);
    renderApp(server, '/login');
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('Email'), 'who@example.test');
    await user.type(screen.getByLabelText('Password'), 'wrong password');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('That email and password do not match an account.');
    expect(screen.getByRole('button', { name: 'Log in' })).toBeEnabled();
    expect(server.sent('POST', '/auth/refresh')).toHaveLength(0);
  });

  it('when login is rate limited, then the wait from Retry-After is named', async () => {
    const server = apiServer().on('POST', '/auth/login', [429, errorBody('RATE_LIMITED'), { 'retry-after': '42' }]);
    renderApp(server, '/login');
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('Email'), 'who@example.test');
    await user.type(screen.getByLabelText('Password'), 'some password');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many attempts. Please wait 42 seconds and try again.',
    );
  });

  it('when the email is missing, then the field says so and nothing is sent', async () => {
    const server = apiServer();
    renderApp(server, '/login');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Log in' }));

    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter your email address.');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password.');
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});

describe('product form', () => {
  const seller = makeUser({ role: 'seller', id: 'seller-1' });

  it('when fields are missing or malformed, then each gets a message and nothing is sent', async () => {
    const server = apiServer();
    renderApp(server, '/seller/products/new', seller);
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('Price in US dollars'), '12.345');
    await user.type(screen.getByLabelText('Stock'), '-1');
    await user.click(screen.getByRole('button', { name: 'Create product' }));

    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('Enter a name.');
    expect(screen.getByLabelText('Category')).toHaveAccessibleDescription('Choose a category.');
    expect(screen.getByLabelText('Price in US dollars')).toHaveAccessibleDescription(
      /Enter a price between 0\.01 and 999999\.99/,
    );
    expect(screen.getByLabelText('Stock')).toHaveAccessibleDescription(/Enter a whole number from 0 to 1,000,000\./);
    expect(screen.getByLabelText('Name')).toHaveFocus();
    expect(server.sent('POST', '/products')).toHaveLength(0);
  });

  it('when the form is valid, then the product is created with an exact price and the dashboard confirms it', async () => {
    const created = makeProduct({ name: 'Oak shelf', price: '24.50', sellerId: seller.id });
    const server = apiServer()
      .on('POST', '/products', [201, created])
      .on('GET', '/products/mine', [200, page([created])]);
    renderApp(server, '/seller/products/new', seller);
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('Name'), 'Oak shelf');
    await user.type(screen.getByLabelText('Description'), 'Solid oak.');
    await user.selectOptions(screen.getByLabelText('Category'), 'home');
    await user.type(screen.getByLabelText('Price in US dollars'), '24.5');
    await user.type(screen.getByLabelText('Stock'), '3');
    await user.click(screen.getByRole('button', { name: 'Create product' }));

    expect(await screen.findByText('Created “Oak shelf”.')).toBeInTheDocument();
    expect(server.sent('POST', '/products')[0]?.body).toEqual({
      name: 'Oak shelf',
      description: 'Solid oak.',
      category: 'home',
      price: '24.50',
      stock: 3,
    });
  });

  it('when the edit was based on a stale version, then the fresh values are shown, my edit is kept and the retry uses the new version', async () => {
    const original = makeProduct({ name: 'Desk', price: '100.00', stock: 4, version: 3, sellerId: seller.id });
    const fresh = { ...original, stock: 1, version: 4 };
    let patches = 0;
    const server = apiServer()
      .on('GET', `/products/${original.id}`, () => [200, patches === 0 ? original : fresh])
      .on('PATCH', `/products/${original.id}`, () =>
        ++patches === 1
          ? [
              409,
              errorBody('VERSION_CONFLICT', 'the product changed', [{ field: 'version', message: 'now at version 4' }]),
            ]
          : [200, { ...fresh, price: '90.00', version: 5 }],
      )
      .on('GET', '/products/mine', [200, page([{ ...fresh, price: '90.00', version: 5 }])]);
    renderApp(server, `/seller/products/${original.id}/edit`, seller);
    const user = userEvent.setup();

    const price = await screen.findByLabelText('Price in US dollars');
    await waitFor(() => expect(price).toHaveValue('100.00'));
    await user.clear(price);
    await user.type(price, '90');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    const notice = await screen.findByTestId('conflict-notice');
    expect(notice).toHaveAttribute('role', 'alert');
    expect(within(notice).getByRole('heading')).toHaveTextContent('This product changed while you were editing it');
    expect(within(notice).getByText('Stock').nextElementSibling).toHaveTextContent('1');
    expect(screen.getByLabelText('Stock')).toHaveValue(1);
    expect(screen.getByLabelText('Price in US dollars')).toHaveValue('90');

    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Saved “Desk”.')).toBeInTheDocument();
    const [first, second] = server.sent('PATCH', `/products/${original.id}`);
    expect(first?.body).toEqual({ version: 3, price: '90.00' });
    expect(second?.body).toEqual({ version: 4, price: '90.00' });
  });

  it('when the seller discards the stale edit, then the form holds the latest saved values', async () => {
    const original = makeProduct({ name: 'Lamp', price: '10.00', version: 1, sellerId: seller.id });
    const fresh = { ...original, name: 'Lamp (blue)', version: 2 };
    let stale = true;
    const server = apiServer()
      .on('GET', `/products/${original.id}`, () => [200, stale ? original : fresh])
      .on('PATCH', `/products/${original.id}`, () => {
        stale = false;
        return [409, errorBody('VERSION_CONFLICT')];
      });
    renderApp(server, `/seller/products/${original.id}/edit`, seller);
    const user = userEvent.setup();

    const price = await screen.findByLabelText('Price in US dollars');
    await waitFor(() => expect(price).toHaveValue('10.00'));
    await user.clear(price);
    await user.type(price, '12');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await user.click(await screen.findByRole('button', { name: 'Discard my edits and use the latest values' }));

    expect(screen.queryByTestId('conflict-notice')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveValue('Lamp (blue)');
    expect(screen.getByLabelText('Price in US dollars')).toHaveValue('10.00');
  });
});
