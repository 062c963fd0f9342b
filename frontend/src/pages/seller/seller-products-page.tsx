import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { Product } from '../../api/contracts';
import { describeError } from '../../api/error-messages';
import { archiveProduct, listMyProducts, relistProduct } from '../../api/products-api';
import { queryKeys, replaceInPages } from '../../api/query-client';
import { ConfirmButton } from '../../components/confirm-button';
import { LiveNotice, type Notice } from '../../components/live-notice';
import { PagedResult } from '../../components/paged-result';
import { formatMoney } from '../../lib/money';
import { usePagedQuery } from '../../lib/use-paged-query';
import { usePageTitle } from '../../lib/use-page-title';
import { MyProductsFilters, parseMySort } from './my-products-filters';

const STATUS_LABELS: Record<Product['status'], string> = {
  active: 'Listed',
  archived: 'Archived',
  unlisted: 'Unlisted by an admin',
};

export default function SellerProductsPage() {
  usePageTitle('My products');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const sort = parseMySort(params.get('sort'));
  const { result, setPage } = usePagedQuery(
    (page) => queryKeys.myProducts({ page, q, sort }),
    (page, pageSize, signal) => listMyProducts({ page, pageSize, q, sort }, signal),
  );
  const [message, setMessage] = useState<Notice | null>(null);
  const client = useQueryClient();
  const onFilter = (changes: { q?: string; sort?: string }) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value && !(key === 'sort' && value === 'newest')) next.set(key, value);
      else next.delete(key);
    }
    next.delete('page');
    setParams(next);
  };
  const relist = useMutation({
    mutationFn: (product: Product) => relistProduct(product.id),
    onMutate: () => setMessage(null),
    onSuccess: (relisted) => {
      client.setQueryData(queryKeys.product(relisted.id), relisted);
      void client.invalidateQueries({ queryKey: queryKeys.products });
      setMessage({ text: `“${relisted.name}” is listed again.`, error: false });
    },
    onError: (caught) => setMessage({ text: describeError(caught).message, error: true }),
  });
  const archive = useMutation({
    mutationFn: (product: Product) => archiveProduct(product.id),
    onMutate: () => setMessage(null),
    onSuccess: (archived, product) => {
      replaceInPages(client, queryKeys.products, archived);
      client.setQueryData(queryKeys.product(archived.id), archived);
      // The catalog no longer lists it.
      void client.invalidateQueries({ queryKey: queryKeys.products });
      setMessage({ text: `“${product.name}” is archived and no longer listed.`, error: false });
    },
    onError: (caught) => setMessage({ text: describeError(caught).message, error: true }),
  });

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">My products</h1>
      <p>
        <Link to="/seller/products/new" className="button button-primary">
          Add a product
        </Link>
      </p>
      <MyProductsFilters q={q} sort={sort} onChange={onFilter} />
      <LiveNotice notice={message} />
      <PagedResult
        result={result}
        loadingLabel="Loading your products"
        empty={
          !result.isPlaceholderData && (
            <p>
              {q
                ? `None of your products has “${q}” in its name.`
                : 'You have no products yet. Add your first one to start selling.'}
            </p>
          )
        }
        caption="Your products, including archived and unlisted ones"
        columns={
          <>
            <th scope="col">Name</th>
            <th scope="col" className="num">
              Price
            </th>
            <th scope="col" className="num">
              Stock
            </th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </>
        }
        renderRow={(product) => (
          <tr key={product.id} data-testid="my-product-row">
            <th scope="row">
              {product.status === 'active' ? <Link to={`/products/${product.id}`}>{product.name}</Link> : product.name}
            </th>
            <td data-label="Price" className="num">
              {formatMoney(product.price)}
            </td>
            <td data-label="Stock" className="num">
              {product.stock}
            </td>
            <td data-label="Status">
              <span className={`badge badge-${product.status}`}>{STATUS_LABELS[product.status]}</span>
              {product.moderation && (
                <p className="small" data-testid="moderation-reason">
                  Reason: {product.moderation.reason}
                </p>
              )}
            </td>
            <td className="actions">
              <Link to={`/seller/products/${product.id}/edit`} className="button">
                Edit<span className="visually-hidden"> {product.name}</span>
              </Link>
              {product.status === 'active' && (
                <ConfirmButton
                  label={`Archive ${product.name}`}
                  confirmLabel={`Yes, archive ${product.name}`}
                  onConfirm={() => archive.mutate(product)}
                />
              )}
              {product.status === 'archived' && (
                <button
                  type="button"
                  className="button"
                  disabled={relist.isPending}
                  onClick={() => relist.mutate(product)}
                >
                  Relist<span className="visually-hidden"> {product.name}</span>
                </button>
              )}
            </td>
          </tr>
        )}
        onPage={setPage}
      />
    </section>
  );
}
