import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { describeError } from '../api/error-messages';
import { placeOrder } from '../api/orders-api';
import { getProduct } from '../api/products-api';
import { queryKeys } from '../api/query-client';
import { applyFreshProducts, describeChange, fetchFreshProducts, type CartChange } from '../cart/cart-refresh';
import { readCart, writeCart } from '../cart/cart-storage';
import { checkoutKeyFor, forgetCheckoutKey } from '../cart/checkout-key';
import { useCart } from '../cart/use-cart';
import { EmptyState, ErrorState } from '../components/status-views';
import { formatMoney } from '../lib/money';
import { useCountdown } from '../lib/use-countdown';
import { usePageTitle } from '../lib/use-page-title';
import { CartLineRow } from './cart-line-row';

type Phase = 'checking' | 'idle' | 'placing';

function buttonLabel(phase: Phase, waitLeft: number): string {
  if (phase === 'placing') return 'Placing order…';
  if (phase === 'checking') return 'Checking prices…';
  return waitLeft > 0 ? `Place order (in ${waitLeft} s)` : 'Place order';
}

export default function CartPage() {
  usePageTitle('Cart');
  const cart = useCart();
  const { userId, owner } = cart;
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [phase, setPhase] = useState<Phase>('checking');
  const [changes, setChanges] = useState<CartChange[]>([]);
  const [error, setError] = useState<string | null>(null);
  // After a 503 OVERLOADED the button rests for Retry-After seconds: trying sooner only adds to the queue.
  const wait = useCountdown();

  /** Re-reads every line from the catalog; returns what changed so checkout can stop and show it. */
  const refresh = useCallback(async (): Promise<CartChange[]> => {
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
    refresh().then(
      () => active && setPhase('idle'),
      (caught: unknown) => {
        if (!active) return;
        setError(`We could not check the latest prices. ${describeError(caught).message}`);
        setPhase('idle');
      },
    );
    return () => {
      active = false;
    };
  }, [refresh]);

  const checkout = async () => {
    if (!userId) return;
    setError(null);
    setPhase('checking');
    try {
      const found = await refresh();
      const lines = readCart(userId);
      if (found.length > 0 || lines.length === 0) return setPhase('idle');
      const body = { items: lines.map(({ productId, quantity, unitPrice }) => ({ productId, quantity, unitPrice })) };
      setPhase('placing');
      const order = await placeOrder(body, checkoutKeyFor(userId, body));
      forgetCheckoutKey(userId);
      writeCart(userId, []);
      // My orders gain one; the stock the catalog shows is about to change.
      void client.invalidateQueries({ queryKey: queryKeys.orders });
      void client.invalidateQueries({ queryKey: queryKeys.products });
      await navigate(`/orders/${order.id}`, { state: { notice: 'Order placed. Its status updates on this page.' } });
    } catch (caught) {
      // The cart and its checkout key stay: a 503 placed no order, and after a lost answer the retry of the
      // same cart sends the same key, so the server hands back the order it took instead of placing another.
      const described = describeError(caught);
      setError(described.message);
      if (described.retryAfterSeconds) wait.start(described.retryAfterSeconds);
      setPhase('idle');
    }
  };

  const busy = phase !== 'idle';
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Your cart</h1>
      <div aria-live="polite">
        {phase === 'checking' && <p className="muted">Checking the latest prices and stock…</p>}
        {changes.length > 0 && (
          <div className="notice notice-warning">
            <p>Your cart was updated to match the catalog:</p>
            <ul>
              {changes.map((change, index) => (
                <li key={index}>{describeChange(change)}</li>
              ))}
            </ul>
            <p>Review your cart, then place the order.</p>
          </div>
        )}
      </div>
      {error && <ErrorState message={error} />}
      {cart.lines.length === 0 ? (
        <EmptyState>
          <p>Your cart is empty.</p>
          <Link to="/">Browse the catalog</Link>
        </EmptyState>
      ) : (
        <>
          <table className="table">
            <caption className="visually-hidden">Items in your cart</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col">Quantity</th>
                <th scope="col" className="num">
                  Subtotal
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cart.lines.map((line) => (
                <CartLineRow
                  key={line.productId}
                  line={line}
                  disabled={busy}
                  onQuantity={(quantity) => cart.setQuantity(line.productId, quantity)}
                  onRemove={() => cart.remove(line.productId)}
                />
              ))}
            </tbody>
          </table>
          <p className="cart-total">
            Total: <strong>{formatMoney(cart.total)}</strong>
          </p>
          {userId ? (
            <button
              type="button"
              className="button button-primary"
              disabled={busy || wait.left > 0}
              onClick={() => void checkout()}
            >
              {buttonLabel(phase, wait.left)}
            </button>
          ) : (
            <p>
              <Link to="/login" state={{ from: location.pathname }} className="button button-primary">
                Log in to place the order
              </Link>{' '}
              <span className="muted">Your cart stays with you when you log in.</span>
            </p>
          )}
        </>
      )}
    </section>
  );
}
