import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { AddressView } from '../addresses/address-view';
import type { Address } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { placeOrder } from '../api/orders-api';
import { queryKeys } from '../api/query-client';
import { CartChanges } from '../cart/cart-changes';
import { readCart, writeCart } from '../cart/cart-storage';
import { checkoutKeyFor, forgetCheckoutKey } from '../cart/checkout-key';
import { useCartCheck } from '../cart/use-cart-check';
import { ErrorState } from '../components/status-views';
import { formatMoney } from '../lib/money';
import { useCountdown } from '../lib/use-countdown';
import { ItemsTable } from '../orders/order-items-table';

function buttonLabel(checking: boolean, placing: boolean, waitLeft: number): string {
  if (placing) return 'Placing order…';
  if (checking) return 'Checking prices…';
  return waitLeft > 0 ? `Place order (in ${waitLeft} s)` : 'Place order';
}

/** Step 2: the lines at the catalog's current prices, the total and the address; then the order. */
export function ReviewStep({ address }: { address: Address }) {
  const { cart, checking, changes, error, setError, recheck } = useCartCheck();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [placing, setPlacing] = useState(false);
  const [rechecking, setRechecking] = useState(false);
  // After a 503 OVERLOADED the button rests for Retry-After seconds: trying sooner only adds to the queue.
  const wait = useCountdown();
  const { userId } = cart;

  const place = async () => {
    if (!userId) return;
    setError(null);
    setRechecking(true);
    try {
      const found = await recheck();
      const lines = readCart(userId);
      if (found.length > 0 || lines.length === 0) return;
      const body = {
        items: lines.map(({ productId, quantity, unitPrice }) => ({ productId, quantity, unitPrice })),
        shippingAddressId: address.id,
      };
      setPlacing(true);
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
      setError(described.fields.shippingAddressId ?? described.message);
      if (described.retryAfterSeconds) wait.start(described.retryAfterSeconds);
    } finally {
      setRechecking(false);
      setPlacing(false);
    }
  };

  const busy = checking || rechecking || placing;
  return (
    <>
      <CartChanges
        checking={checking}
        changes={changes}
        next="Check the order below, or go back to the cart to change it."
      />
      {error && <ErrorState message={error} />}
      <h2>Items</h2>
      <ItemsTable caption="Items you are ordering" lines={cart.lines} />
      <p className="cart-total">
        Total: <strong>{formatMoney(cart.total)}</strong>
      </p>
      <p>
        <Link to="/cart">Change the items in your cart</Link>
      </p>
      <h2>Shipping address</h2>
      <AddressView address={address} />
      <p>
        <Link to={`/checkout?address=${encodeURIComponent(address.id)}`}>Change the address</Link>
      </p>
      {cart.lines.length > 0 && (
        <button
          type="button"
          className="button button-primary"
          disabled={busy || wait.left > 0}
          onClick={() => void place()}
        >
          {buttonLabel(checking || rechecking, placing, wait.left)}
        </button>
      )}
    </>
  );
}
