import { QueryClient, type QueryKey } from '@tanstack/react-query';
import axios from 'axios';
import type { Page } from './contracts';

/** One key per resource; a mutation invalidates the prefix of what it changed (say, every ['products', …]). */
export const queryKeys = {
  products: ['products'] as const,
  productList: (query: object) => ['products', 'list', query] as const,
  product: (id: string) => ['products', 'detail', id] as const,
  categories: ['products', 'categories'] as const,
  myProducts: (query: object) => ['products', 'mine', query] as const,
  orders: ['orders'] as const,
  myOrders: (page: number) => ['orders', 'mine', page] as const,
  order: (id: string) => ['orders', 'detail', id] as const,
  sales: (query: object) => ['orders', 'sales', query] as const,
  salesTotals: (query: object) => ['orders', 'sales-totals', query] as const,
  allOrders: (query: object) => ['orders', 'all', query] as const,
  twoFactor: ['two-factor'] as const,
  addresses: ['addresses'] as const,
  emailPreferences: ['email-preferences'] as const,
  users: ['users'] as const,
  userList: (query: { page: number; q: string }) => ['users', 'list', query] as const,
  deadLetters: ['dead-letters'] as const,
  deadLetterStreams: ['dead-letters', 'streams'] as const,
  deadLetterList: (stream: string, query: object) => ['dead-letters', 'list', stream, query] as const,
};

const MAX_RETRIES = 2;

/** Worth asking again: the network or the server failed. A 4xx answer would only come back the same. */
function isTransient(error: unknown): boolean {
  if (!axios.isAxiosError(error)) return false;
  const status = error.response?.status;
  return status === undefined || status >= 500;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Stale at once (TanStack's default): a page seen before shows its cached answer immediately and asks
        // again behind it, since stock, orders and users change through other people too.
        staleTime: 0,
        retry: (failures, error) => failures < MAX_RETRIES && isTransient(error),
        retryDelay: (attempt) => 500 * 2 ** attempt,
      },
    },
  });
}

/** Shows an item a mutation returned in every cached page under `key`, in place of the one with its id. */
export function replaceInPages<T extends { id: string }>(client: QueryClient, key: QueryKey, updated: T): void {
  client.setQueriesData<Page<T>>({ queryKey: key }, (page) =>
    page && 'data' in page && Array.isArray(page.data)
      ? { ...page, data: page.data.map((item) => (item.id === updated.id ? updated : item)) }
      : page,
  );
}
