import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../api/error-messages';
import { getProduct } from '../api/products-api';
import { queryKeys } from '../api/query-client';
import { applyFreshProducts, fetchFreshProducts, type CartChange } from './cart-refresh';
import { readCart, writeCart } from './cart-storage';
import { useCart } from './use-cart';

/**
 * The cart checked against the catalog when the page opens, and again by `recheck` (before an
 * order is placed): prices and stock refreshed, and every change listed so the buyer sees it.
 */
export function useCartCheck() {
  const cart = useCart();
  const { userId, owner } = cart;
  const client = useQueryClient();
  const [checking, setChecking] = useState(true);
  const [changes, setChanges] = useState<CartChange[]>([]);
  const [error, setError] = useState<string | null>(null);

  /** Re-reads every line from the catalog; returns what changed so checkout can stop and show it. */
  const recheck = useCallback(async (): Promise<CartChange[]> => {
    // Always asked again (staleTime 0), and the answers refresh the product pages' cache too.
    const load = (id: string) =>
      client.fetchQuery({ queryKey: queryKeys.product(id), queryFn: () => getProduct(id), staleTime: 0 });
    const fresh = await fetchFreshProducts(readCart(owner), load);
    const result = applyFreshProducts(readCart(owner), fresh, userId);
    writeCart(owner, result.lines);
    setChanges(result.changes);
    return result.changes;
  }, [client, owner, userId]);

  useEffect(() => {
    let active = true;
    recheck().then(
      () => active && setChecking(false),
      (caught: unknown) => {
        if (!active) return;
        setError(`We could not check the latest prices. ${describeError(caught).message}`);
        setChecking(false);
      },
    );
    return () => {
      active = false;
    };
  }, [recheck]);

  return { cart, checking, changes, error, setError, recheck };
}
