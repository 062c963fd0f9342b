import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiServer } from './support/api-server';
import { makeUser, page } from './support/fixtures';
import { renderApp } from './support/render-app';

// jsdom applies no media queries: these check the menu button's state and keyboard behaviour, which
// styles.css turns into a folded menu below 48rem (the phone e2e project checks the layout itself).
describe('site header menu', () => {
  it('when the menu button is pressed, then it says the menu is open, Escape closes it and gives focus back to the button', async () => {
    const server = apiServer().on('GET', '/products', [200, page([])]);
    renderApp(server, '/');
    const user = userEvent.setup();
    const button = screen.getByRole('button', { name: 'Menu' });
    const menu = document.getElementById(button.getAttribute('aria-controls') ?? '');

    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(menu).not.toHaveClass('site-menu-open');
    await user.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    expect(menu).toHaveClass('site-menu-open');
    expect(within(menu!).getByRole('link', { name: 'Log in' })).toBeInTheDocument();

    await user.tab();
    expect(within(menu!).getByRole('link', { name: 'Catalog' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(menu).not.toHaveClass('site-menu-open');
    expect(button).toHaveFocus();
  });

  it('when a link of the open menu is followed, even to the page on screen, then the menu closes', async () => {
    const buyer = makeUser();
    const server = apiServer()
      .on('GET', '/products', [200, page([])])
      .on('GET', '/orders', [200, page([])]);
    renderApp(server, '/', buyer);
    const user = userEvent.setup();
    const button = screen.getByRole('button', { name: 'Menu' });

    await user.click(button);
    await user.click(screen.getByRole('link', { name: 'Catalog' }));
    expect(button).toHaveAttribute('aria-expanded', 'false');

    await user.click(button);
    await user.click(await screen.findByRole('link', { name: 'My orders' }));

    expect(await screen.findByText('You have not ordered anything yet.')).toBeInTheDocument();
    expect(button).toHaveAttribute('aria-expanded', 'false');
  });
});
