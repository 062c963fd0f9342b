import { describe, expect, it } from 'vitest';
import type { User } from '../src/api/contracts';
import { api } from '../src/api/http-client';
import { createRefreshCoordinator, type LockManagerLike } from '../src/api/refresh-coordinator';
import { apiServer } from './support/api-server';
import { makeUser } from './support/fixtures';

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

/** One tab's coordinator over the real HTTP client; the tabs share the locks and localStorage, as tabs do. */
const tab = (locks: LockManagerLike | undefined) =>
  createRefreshCoordinator({
    refresh: async () => (await api.post<User>('/auth/refresh')).data,
    current: async () => (await api.get<User>('/auth/me')).data,
    locks,
    storage: localStorage,
  });

describe('refreshes across tabs', () => {
  it('when two tabs need a refresh at once, then one refresh goes out and the other tab reads the renewed session', async () => {
    const buyer = makeUser();
    const server = apiServer().on('POST', '/auth/refresh', [200, buyer]).on('GET', '/auth/me', [200, buyer]);
    const locks = webLocks();
    const [first, second] = [tab(locks), tab(locks)];

    const users = await Promise.all([first(), second()]);

    expect(users).toEqual([buyer, buyer]);
    expect(server.sent('POST', '/auth/refresh')).toHaveLength(1);
    expect(server.sent('GET', '/auth/me')).toHaveLength(1);
  });

  it('when requests of one tab fail together, then they share one refresh', async () => {
    const buyer = makeUser();
    const server = apiServer().on('POST', '/auth/refresh', [200, buyer]);
    const only = tab(webLocks());

    await Promise.all([only(), only(), only()]);

    expect(server.sent('POST', '/auth/refresh')).toHaveLength(1);
  });

  it('when a tab needs a refresh after another tab finished its own, then it refreshes again', async () => {
    const buyer = makeUser();
    const server = apiServer().on('POST', '/auth/refresh', [200, buyer]);
    const locks = webLocks();
    const [first, second] = [tab(locks), tab(locks)];

    await first();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await second();

    expect(server.sent('POST', '/auth/refresh')).toHaveLength(2);
  });
});
