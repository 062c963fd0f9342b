import { Link } from 'react-router-dom';
import { CartChanges } from '../cart/cart-changes';
import { useCartCheck } from '../cart/use-cart-check';
import { EmptyState, ErrorState } from '../components/status-views';
import { formatMoney } from '../lib/money';
import { usePageTitle } from '../lib/use-page-title';
import { CartLineRow } from './cart-line-row';

export default function CartPage() {
  usePageTitle('Cart');
  const { cart, checking, changes, error } = useCartCheck();

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Your cart</h1>
      <CartChanges checking={checking} changes={changes} next="Review your cart, then check out." />
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
                  disabled={checking}
                  onQuantity={(quantity) => cart.setQuantity(line.productId, quantity)}
                  onRemove={() => cart.remove(line.productId)}
                />
              ))}
            </tbody>
          </table>
          <p className="cart-total">
            Total: <strong>{formatMoney(cart.total)}</strong>
          </p>
          {cart.userId ? (
            <p>
              <Link to="/checkout" className="button button-primary">
                Checkout
              </Link>{' '}
              <span className="muted">Choose the shipping address, then review and place the order.</span>
            </p>
          ) : (
            <p>
              <Link to="/login" state={{ from: '/cart' }} className="button button-primary">
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
