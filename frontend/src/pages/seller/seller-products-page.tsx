import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { Product } from '../../api/contracts';
import { describeError } from '../../api/error-messages';
import { archiveProduct, listMyProducts } from '../../api/products-api';
import { ConfirmButton } from '../../components/confirm-button';
import { Pagination, parsePage } from '../../components/pagination';
import { EmptyState, ErrorState, LoadingState } from '../../components/status-views';
import { formatMoney } from '../../lib/money';
import { useAsync } from '../../lib/use-async';
import { usePageTitle } from '../../lib/use-page-title';

const PAGE_SIZE = 20;

export default function SellerProductsPage() {
  usePageTitle('My products');
  const [params, setParams] = useSearchParams();
  const page = parsePage(params.get('page'));
  const result = useAsync((signal) => listMyProducts(page, PAGE_SIZE, signal), [page]);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const onArchive = async (product: Product) => {
    setMessage(null);
    try {
      const archived = await archiveProduct(product.id);
      if (result.data) {
        result.replace({ ...result.data, data: result.data.data.map((p) => (p.id === product.id ? archived : p)) });
      }
      setMessage({ text: `“${product.name}” is archived and no longer listed.`, error: false });
    } catch (caught) {
      setMessage({ text: describeError(caught).message, error: true });
    }
  };

  const products = result.data;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">My products</h1>
      <p>
        <Link to="/seller/products/new" className="button button-primary">
          Add a product
        </Link>
      </p>
      <div aria-live="polite">
        {message && <p className={message.error ? 'notice notice-error' : 'notice notice-info'}>{message.text}</p>}
      </div>
      {result.status === 'error' && <ErrorState message={describeError(result.error).message} onRetry={result.reload} />}
      {!products && result.status === 'loading' && <LoadingState label="Loading your products" />}
      {products?.data.length === 0 && (
        <EmptyState>
          <p>You have no products yet. Add your first one to start selling.</p>
        </EmptyState>
      )}
      {products && products.data.length > 0 && (
        <>
          <table className="table">
            <caption className="visually-hidden">Your products, including archived ones</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="num">Price</th>
                <th scope="col" className="num">Stock</th>
                <th scope="col">Status</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {products.data.map((product) => (
                <tr key={product.id} data-testid="my-product-row">
                  <th scope="row">
                    {product.status === 'active' ? <Link to={`/products/${product.id}`}>{product.name}</Link> : product.name}
                  </th>
                  <td className="num">{formatMoney(product.price)}</td>
                  <td className="num">{product.stock}</td>
                  <td>
                    <span className={`badge badge-${product.status}`}>{product.status === 'active' ? 'Listed' : 'Archived'}</span>
                  </td>
                  <td className="actions">
                    <Link to={`/seller/products/${product.id}/edit`} className="button">
                      Edit<span className="visually-hidden"> {product.name}</span>
                    </Link>
                    {product.status === 'active' && (
                      <ConfirmButton
                        label={`Archive ${product.name}`}
                        confirmLabel={`Yes, archive ${product.name}`}
                        onConfirm={() => void onArchive(product)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination info={products.pagination} onChange={(next) => setParams({ page: String(next) })} />
        </>
      )}
    </section>
  );
}
