import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { describeError } from '../api/error-messages';
import { placeOrder } from '../api/orders-api';
import { getProduct } from '../api/products-api';
import { applyFreshProducts, describeChange, fetchFreshProducts, type CartChange } from '../cart/cart-refresh';
import { readCart, writeCart } from '../cart/cart-storage';
import { checkoutKeyFor, forgetCheckoutKey } from '../cart/checkout-key';
import { useCart } from '../cart/use-cart';
import { EmptyState, ErrorState } from '../components/status-views';
import { formatMoney } from '../lib/money';
import { usePageTitle } from '../lib/use-page-title';
import { CartLineRow } from './cart-line-row';

type Phase = 'checking' | 'idle' | 'placing';

export default function CartPage() {
  usePageTitle('Cart');
  const cart = useCart();
  const { userId } = cart;
  const navigate = useNavigate();
  const [phase, setPhase] = useState<Phase>('checking');
  const [changes, setChanges] = useState<CartChange[]>([]);
  const [error, setError] = useState<string | null>(null);

  /** Re-reads every line from the catalog; returns what changed so checkout can stop and show it. */
  const refresh = useCallback(async (): Promise<CartChange[]> => {
    if (!userId) return [];
    const fresh = await fetchFreshProducts(readCart(userId), (id) => getProduct(id));
    const result = applyFreshProducts(readCart(userId), fresh, userId);
    writeCart(userId, result.lines);
    setChanges(result.changes);
    return result.changes;
  }, [userId]);

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
      navigate(`/orders/${order.id}`, { state: { notice: 'Order placed. Its status updates on this page.' } });
    } catch (caught) {
      setError(describeError(caught).message);
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
                <th scope="col" className="num">Price</th>
                <th scope="col">Quantity</th>
                <th scope="col" className="num">Subtotal</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
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
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void checkout()}>
            {phase === 'placing' ? 'Placing order…' : phase === 'checking' ? 'Checking prices…' : 'Place order'}
          </button>
        </>
      )}
    </section>
  );
}
