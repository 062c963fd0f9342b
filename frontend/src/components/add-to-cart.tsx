import { useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import type { Product } from '../api/contracts';
import { maxQuantity } from '../cart/cart-lines';
import { useCart } from '../cart/use-cart';
import { useSession } from '../session/session-context';

interface Props {
  product: Product;
  quantity?: number;
}

/** The one way into the cart: sold-out, own products and full carts say why instead of adding. */
export function AddToCart({ product, quantity = 1 }: Props) {
  const { user } = useSession();
  const cart = useCart();
  const location = useLocation();
  const [feedback, setFeedback] = useState('');

  if (!user) {
    return (
      <Link to="/login" state={{ from: `${location.pathname}${location.search}` }} className="button">
        Log in to buy<span className="visually-hidden"> {product.name}</span>
      </Link>
    );
  }
  if (product.sellerId === user.id) return <p className="muted">This is your product.</p>;

  const cap = maxQuantity(product.stock);
  const inCart = cart.lines.find((line) => line.productId === product.id)?.quantity ?? 0;
  const soldOut = product.stock <= 0 || product.status !== 'active';
  const full = !soldOut && inCart >= cap;

  const onAdd = () => {
    const added = cart.add(product, quantity);
    const total = Math.min(inCart + added, cap);
    setFeedback(
      added < quantity
        ? `Only ${cap} can be ordered; your cart now holds ${total}.`
        : `Added. Your cart holds ${total} of this product.`,
    );
  };

  return (
    <div className="add-to-cart">
      <button type="button" className="button button-primary" disabled={soldOut || full} onClick={onAdd}>
        {soldOut ? 'Sold out' : full ? 'All available in cart' : 'Add to cart'}
        <span className="visually-hidden"> {product.name}</span>
      </button>
      <span className="add-feedback" role="status">
        {feedback}
      </span>
    </div>
  );
}
