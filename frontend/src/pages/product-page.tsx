import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { describeError, isBadLink } from '../api/error-messages';
import { getProduct } from '../api/products-api';
import { queryKeys } from '../api/query-client';
import { AddToCart } from '../components/add-to-cart';
import { StockText } from '../components/product-card';
import { ProductPicture } from '../components/product-picture';
import { ErrorState, LoadingState, MissingPage } from '../components/status-views';
import { maxQuantity } from '../cart/cart-lines';
import { formatMoney } from '../lib/money';
import { usePageTitle } from '../lib/use-page-title';
import { useSession } from '../session/session-context';

const ModerationPanel = lazy(() => import('./product-moderation'));

export default function ProductPage() {
  const { id = '' } = useParams();
  const result = useQuery({ queryKey: queryKeys.product(id), queryFn: ({ signal }) => getProduct(id, signal) });
  const [quantity, setQuantity] = useState(1);
  const { user } = useSession();
  const product = result.data;
  const missing = result.isError && !product && isBadLink(result.error);
  usePageTitle(product?.name ?? (missing ? 'Product not found' : 'Product'));

  if (missing) {
    return (
      <MissingPage title="Product not found" back={{ to: '/', label: 'Back to the catalog' }}>
        This product doesn't exist (or was removed).
      </MissingPage>
    );
  }
  if (result.isError && !product) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">Product</h1>
        <ErrorState message={describeError(result.error).message} onRetry={() => void result.refetch()} />
        <p>
          <Link to="/">Back to the catalog</Link>
        </p>
      </section>
    );
  }
  if (!product) return <LoadingState label="Loading product" />;

  const cap = maxQuantity(product.stock);
  const active = product.status === 'active';
  return (
    <article className="product-detail" aria-labelledby="page-title">
      <p>
        <Link to="/">← Back to the catalog</Link>
      </p>
      <h1 id="page-title">{product.name}</h1>
      {product.images.length > 0 && (
        <ul className="product-gallery" aria-label="Pictures">
          {product.images.map((image, index) => (
            <li key={image.id}>
              <ProductPicture
                className="product-image"
                image={image}
                sizes={index === 0 ? '(max-width: 672px) calc(100vw - 2rem), 640px' : '200px'}
                priority={index === 0}
              />
            </li>
          ))}
        </ul>
      )}
      <p className="muted">
        {product.category} · sold by {product.sellerName}
      </p>
      <p className="price price-large">{formatMoney(product.price)}</p>
      {active ? (
        <StockText stock={product.stock} />
      ) : (
        <p className="notice notice-warning">This product is no longer sold.</p>
      )}
      {product.moderation && (
        <p className="notice notice-error" data-testid="moderation-notice">
          An admin took this product out of the catalog. Reason: {product.moderation.reason}
        </p>
      )}
      <p className="description">{product.description}</p>
      {active && cap > 0 && (
        <div className="field field-narrow">
          <label htmlFor="quantity">Quantity</label>
          <input
            id="quantity"
            type="number"
            inputMode="numeric"
            min={1}
            max={cap}
            value={quantity}
            onChange={(event) => setQuantity(Math.max(1, Math.min(cap, Math.trunc(Number(event.target.value)) || 1)))}
          />
        </div>
      )}
      {active && <AddToCart product={product} quantity={quantity} />}
      {user?.role === 'admin' && (
        <Suspense fallback={null}>
          <ModerationPanel product={product} />
        </Suspense>
      )}
    </article>
  );
}
