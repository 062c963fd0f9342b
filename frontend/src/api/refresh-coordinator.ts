import type { User } from './contracts';

/** The part of the Web Locks API the coordinator uses (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

const REFRESH_LOCK = 'marketplace:session-refresh';
const REFRESHED_AT = 'marketplace:session-refreshed-at';

/**
 * One refresh at a time across every tab of the shop. Tabs that wake together would otherwise
 * each present the same refresh cookie. The Web Lock lines them up; the tab holding it notes the
 * time of its refresh in localStorage (shared by the tabs, and written before the lock is
 * released), so a tab that waited behind it sees that its cookies are new already and only reads
 * the account back instead of rotating again. Without Web Locks (older browsers) the tabs refresh
 * on their own, and the server's reuse grace answers a second refresh with a sibling token.
 */
export function createRefreshCoordinator(deps: {
  refresh: () => Promise<User>;
  /** Reads the account with the cookies another tab has just renewed. */
  current: () => Promise<User>;
  locks?: LockManagerLike;
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  now?: () => number;
}): () => Promise<User> {
  const now = deps.now ?? Date.now;
  const refreshedAt = () => Number(deps.storage?.getItem(REFRESHED_AT) ?? 0);
  let inTab: Promise<User> | null = null;

  const refreshOnce = async (askedAt: number): Promise<User> => {
    if (refreshedAt() >= askedAt) return deps.current();
    const user = await deps.refresh();
    deps.storage?.setItem(REFRESHED_AT, String(now()));
    return user;
  };

  return () => {
    // Any number of requests that failed together in this tab share one refresh.
    inTab ??= (() => {
      const askedAt = now();
      const run = () => refreshOnce(askedAt);
      return deps.locks ? deps.locks.request(REFRESH_LOCK, run) : run();
    })().finally(() => {
      inTab = null;
    });
    return inTab;
  };
}
