import { Link } from 'react-router-dom';
import type { Product } from '../api/contracts';
import { formatMoney } from '../lib/money';
import { AddToCart } from './add-to-cart';
import { HighlightedText } from './highlighted-text';
import { ProductPicture } from './product-picture';

/**
 * How wide a card's picture is drawn (styles.css: main's 1rem padding, the grid's 15rem columns and 1rem
 * gap, the card's 1rem padding and 1px border). Up to 527px the grid has one column, so the picture is the
 * viewport less 4rem and 2px; wider, two or more columns keep it at most about 20rem.
 */
const CARD_IMAGE_SIZES = '(max-width: 527px) calc(100vw - 4rem - 2px), 20rem';

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
          sizes={CARD_IMAGE_SIZES}
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
