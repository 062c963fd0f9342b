import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { User } from '../src/api/contracts';
import { createRefreshCoordinator, type LockManagerLike } from '../src/api/refresh-coordinator';
import { readSessionHint, writeSessionHint } from '../src/session/session-hint';
import { apiServer } from './support/api-server';
import { errorBody, makeOrder, makeUser, page } from './support/fixtures';
import { renderApp } from './support/render-app';

describe('session', () => {
  it('when the access token expired, then one refresh runs and the failed requests are retried', async () => {
    const buyer = makeUser();
    let refreshed = false;
    const server = apiServer()
      .on('GET', '/orders', () => (refreshed ? [200, page([makeOrder()])] : [401, errorBody('UNAUTHENTICATED')]))
      .on('POST', '/auth/refresh', () => {
        refreshed = true;
        return [200, buyer];
      });
    renderApp(server, '/orders', buyer);

    expect(await screen.findByTestId('order-row')).toBeInTheDocument();
    expect(server.sent('POST', '/auth/refresh')).toHaveLength(1);
    expect(server.sent('GET', '/orders')).toHaveLength(2);
  });

  it('when the refresh fails too, then the visitor lands on login with a notice and the account is forgotten', async () => {
    const buyer = makeUser({ username: 'gone' });
    const server = apiServer()
      .on('GET', '/orders', [401, errorBody('UNAUTHENTICATED')])
      .on('POST', '/auth/refresh', [401, errorBody('UNAUTHENTICATED')]);
    renderApp(server, '/orders', buyer);

    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByText('Your session ended. Please log in again.')).toBeInTheDocument();
    expect(screen.queryByText(/Signed in as/)).not.toBeInTheDocument();
    expect(readSessionHint()).toBeNull();
  });

  it('when logging in after the session ended, then the visitor returns to the page they were on', async () => {
    const buyer = makeUser();
    let loggedIn = false;
    const server = apiServer()
      .on('GET', '/orders', () => (loggedIn ? [200, page([])] : [401, errorBody('UNAUTHENTICATED')]))
      .on('POST', '/auth/refresh', [401, errorBody('UNAUTHENTICATED')])
      .on('POST', '/auth/login', () => {
        loggedIn = true;
        return [200, buyer];
      });
    renderApp(server, '/orders', buyer);
    const user = userEvent.setup();
    // The login form is mounted again once the failed refresh ends the session: type into that one.
    await screen.findByText('Your session ended. Please log in again.');

    await user.type(await screen.findByLabelText('Email'), buyer.email);
    await user.type(screen.getByLabelText('Password'), 'the password');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByText('You have not ordered anything yet.')).toBeInTheDocument();
  });

  it('when the service cannot say who is signed in (503), then the page shows signed out but a reload tries again', async () => {
    const buyer = makeUser();
    writeSessionHint(buyer.id);
    const server = apiServer().on('GET', '/auth/me', [503, errorBody('SERVICE_UNAVAILABLE')]);
    renderApp(server, '/login');

    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(server.sent('GET', '/auth/me')).toHaveLength(1);
    expect(readSessionHint()).toBe(buyer.id);
  });

  it('when the session is gone (401 and the refresh fails), then the hint is forgotten', async () => {
    const buyer = makeUser();
    writeSessionHint(buyer.id);
    const server = apiServer()
      .on('GET', '/auth/me', [401, errorBody('UNAUTHENTICATED')])
      .on('POST', '/auth/refresh', [401, errorBody('UNAUTHENTICATED')]);
    renderApp(server, '/login');

    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    await vi.waitFor(() => expect(readSessionHint()).toBeNull());
  });

  it('when any state-changing request leaves, then it carries the same-origin header and no token', async () => {
    const server = apiServer().on('POST', '/auth/demo-login', [200, makeUser({ username: 'demo-buyer' })]);
    server.on('GET', '/products', [200, page([])]).on('GET', '/products/categories', [200, { data: [] }]);
    renderApp(server, '/login');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Try as demo buyer' }));

    expect(await screen.findByText(/Signed in as/)).toHaveTextContent('Signed in as demo-buyer');
    const [request] = server.sent('POST', '/auth/demo-login');
    expect(request?.body).toEqual({ who: 'buyer' });
    expect(request?.headers.get('x-requested-with')).toBe('marketplace');
    expect(request?.headers.get('authorization')).toBeFalsy();
    expect(JSON.stringify({ ...localStorage })).not.toMatch(/token/i);
  });

  it('when demo mode is off, then the demo buttons go away with a sentence', async () => {
    const server = apiServer().on('POST', '/auth/demo-login', [404, errorBody('NOT_FOUND')]);
    renderApp(server, '/login');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Try as demo seller' }));

    expect(await screen.findByText('Demo accounts are turned off on this server.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /demo/ })).not.toBeInTheDocument();
  });
});

/** Web Locks as the browser grants them: one holder per name, the others in request order. jsdom has none. */
function webLocks(): LockManagerLike {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    request<T>(_name: string, callback: () => Promise<T>): Promise<T> {
      const granted = tail.then(callback);
      tail = granted.catch(() => undefined);
      return granted;
    },
  };
}

/** The two auth endpoints the coordinator calls, answering after a network-like pause and counting calls. */
function authEndpoints(user: User) {
  const calls = { refresh: 0, me: 0 };
  const later = <T,>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 10));
  return {
    calls,
    refresh: () => {
      calls.refresh += 1;
      return later(user);
    },
    current: () => {
      calls.me += 1;
      return later(user);
    },
  };
}

/** One tab's coordinator; the tabs share the locks and localStorage, as the tabs of one browser do. */
const tab = (endpoints: ReturnType<typeof authEndpoints>, locks: LockManagerLike | undefined) =>
  createRefreshCoordinator({ refresh: endpoints.refresh, current: endpoints.current, locks, storage: localStorage });

describe('refreshes across tabs', () => {
  it('when two tabs need a refresh at once, then one refresh goes out and the other tab reads the renewed session', async () => {
    const buyer = makeUser();
    const endpoints = authEndpoints(buyer);
    const locks = webLocks();
    const [first, second] = [tab(endpoints, locks), tab(endpoints, locks)];

    const users = await Promise.all([first(), second()]);

    expect(users).toEqual([buyer, buyer]);
    expect(endpoints.calls).toEqual({ refresh: 1, me: 1 });
  });

  it('when requests of one tab fail together, then they share one refresh', async () => {
    const endpoints = authEndpoints(makeUser());
    const only = tab(endpoints, webLocks());

    await Promise.all([only(), only(), only()]);

    expect(endpoints.calls).toEqual({ refresh: 1, me: 0 });
  });

  it('when a tab needs a refresh after another tab finished its own, then it refreshes again', async () => {
    const endpoints = authEndpoints(makeUser());
    const locks = webLocks();
    const [first, second] = [tab(endpoints, locks), tab(endpoints, locks)];

    await first();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await second();

    expect(endpoints.calls).toEqual({ refresh: 2, me: 0 });
  });

  it('when the browser has no Web Locks, then each tab refreshes on its own (the server grace answers the second)', async () => {
    const endpoints = authEndpoints(makeUser());
    const [first, second] = [tab(endpoints, undefined), tab(endpoints, undefined)];

    await Promise.all([first(), second()]);

    expect(endpoints.calls).toEqual({ refresh: 2, me: 0 });
  });
});
