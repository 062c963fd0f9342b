import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { Product } from '../api/contracts';
import { useSession } from '../session/session-context';
import { addLine, cartCount, cartTotal, removeLine, setLineQuantity, type CartLine } from './cart-lines';
import { GUEST, readCart, subscribeCart, writeCart } from './cart-storage';

/** The signed-in user's cart, or this browser's guest cart for a visitor who is not signed in. */
export function useCart() {
  const { user } = useSession();
  const userId = user?.id ?? null;
  const owner = userId ?? GUEST;
  const lines = useSyncExternalStore(subscribeCart, () => readCart(owner));

  const update = useCallback(
    (change: (current: CartLine[]) => CartLine[]) => writeCart(owner, change(readCart(owner))),
    [owner],
  );

  const add = useCallback(
    (product: Product, quantity: number): number => {
      const result = addLine(readCart(owner), product, quantity);
      writeCart(owner, result.lines);
      return result.added;
    },
    [owner],
  );

  return useMemo(
    () => ({
      /** Null for a visitor who is not signed in. */
      userId,
      /** Whose stored cart this is: the user id, or GUEST. */
      owner,
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
    [userId, owner, lines, add, update],
  );
}
