import { Link } from 'react-router-dom';
import type { Product } from '../api/contracts';
import { formatMoney } from '../lib/money';
import { AddToCart } from './add-to-cart';
import { HighlightedText } from './highlighted-text';

export function StockText({ stock }: { stock: number }) {
  return <p className={stock > 0 ? 'stock' : 'stock stock-out'}>{stock > 0 ? `${stock} in stock` : 'Sold out'}</p>;
}

/** `highlight`: the words a search looked for, marked in the name. */
export function ProductCard({ product, highlight = [] }: { product: Product; highlight?: readonly string[] }) {
  return (
    <li className="card" data-testid="product-card">
      <h2 className="card-title">
        <Link to={`/products/${product.id}`}>
          <HighlightedText text={product.name} words={highlight} />
        </Link>
      </h2>
      <p className="muted">
        {product.category} · sold by {product.sellerName}
      </p>
      <p className="price">{formatMoney(product.price)}</p>
      <StockText stock={product.stock} />
      <AddToCart product={product} />
    </li>
  );
}
