import { useState } from 'react';
import type { Product } from '../api/contracts';
import { maxQuantity } from '../cart/cart-lines';
import { useCart } from '../cart/use-cart';
import { useSession } from '../session/session-context';

interface Props {
  product: Product;
  quantity?: number;
}

/**
 * The one way into the cart, for buyers and for visitors not signed in (their cart is kept in the
 * browser and joins the account's at sign-in): sold-out, own products and full carts say why instead of adding.
 */
export function AddToCart({ product, quantity = 1 }: Props) {
  const { user } = useSession();
  const cart = useCart();
  const [feedback, setFeedback] = useState<{ text: string; limited: boolean } | null>(null);

  if (user && product.sellerId === user.id) return <p className="muted">This is your product.</p>;

  const cap = maxQuantity(product.stock);
  const inCart = cart.lines.find((line) => line.productId === product.id)?.quantity ?? 0;
  const soldOut = product.stock <= 0 || product.status !== 'active';
  const full = !soldOut && inCart >= cap;

  const onAdd = () => {
    const added = cart.add(product, quantity);
    const total = Math.min(inCart + added, cap);
    if (added >= quantity)
      return setFeedback({ text: `Added. Your cart holds ${total} of this product.`, limited: false });
    // Say which limit stopped it: the stock, or the most one order line may hold.
    const why = cap === product.stock ? `only ${cap} are in stock` : `an order holds at most ${cap} of one product`;
    setFeedback({ text: `Your cart now holds ${total}: ${why}.`, limited: true });
  };

  return (
    <div className="add-to-cart">
      <button type="button" className="button button-primary" disabled={soldOut || full} onClick={onAdd}>
        {soldOut ? 'Sold out' : full ? 'All available in cart' : 'Add to cart'}
        <span className="visually-hidden"> {product.name}</span>
      </button>
      <span className={feedback?.limited ? 'add-feedback add-feedback-limited' : 'add-feedback'} role="status">
        {feedback?.text}
      </span>
    </div>
  );
}
