import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { Product } from '../api/contracts';
import { useSession } from '../session/session-context';
import { addLine, cartCount, cartTotal, removeLine, setLineQuantity, type CartLine } from './cart-lines';
import { readCart, subscribeCart, writeCart } from './cart-storage';

const NO_LINES: CartLine[] = [];

/** The signed-in user's cart; anonymous visitors and logged-out views have none. */
export function useCart() {
  const { user } = useSession();
  const userId = user?.id ?? null;
  const lines = useSyncExternalStore(subscribeCart, () => (userId ? readCart(userId) : NO_LINES));

  const update = useCallback(
    (change: (current: CartLine[]) => CartLine[]) => {
      if (userId) writeCart(userId, change(readCart(userId)));
    },
    [userId],
  );

  const add = useCallback(
    (product: Product, quantity: number): number => {
      if (!userId) return 0;
      const result = addLine(readCart(userId), product, quantity);
      writeCart(userId, result.lines);
      return result.added;
    },
    [userId],
  );

  return useMemo(
    () => ({
      userId,
      lines,
      count: cartCount(lines),
      total: cartTotal(lines),
      add,
      update,
      setQuantity: (productId: string, quantity: number) =>
        update((current) => setLineQuantity(current, productId, quantity)),
      remove: (productId: string) => update((current) => removeLine(current, productId)),
      clear: () => update(() => []),
    }),
    [userId, lines, add, update],
  );
}
