import { describe, expect, it } from 'vitest';
import type { User } from '../src/api/contracts';
import { createRefreshCoordinator, type LockManagerLike } from '../src/api/refresh-coordinator';
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
