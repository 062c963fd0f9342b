import { Link } from 'react-router-dom';
import type { Product } from '../api/contracts';
import { formatMoney } from '../lib/money';
import { AddToCart } from './add-to-cart';
import { HighlightedText } from './highlighted-text';
import { ProductPicture } from './product-picture';

export function StockText({ stock }: { stock: number }) {
  return <p className={stock > 0 ? 'stock' : 'stock stock-out'}>{stock > 0 ? `${stock} in stock` : 'Sold out'}</p>;
}

/**
 * `eager` for the cards likely in the first screen, so their pictures are not held back; `priority`
 * for the first, whose picture is usually the page's largest paint. `highlight`: the words a search
 * looked for, marked in the name.
 */
export function ProductCard({
  product,
  eager = false,
  priority = false,
  highlight = [],
}: {
  product: Product;
  eager?: boolean;
  priority?: boolean;
  highlight?: readonly string[];
}) {
  const [image] = product.images;
  return (
    <li className="card" data-testid="product-card">
      {image && (
        <ProductPicture
          className="card-image"
          image={image}
          sizes="(max-width: 640px) 100vw, 320px"
          eager={eager}
          priority={priority}
        />
      )}
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
