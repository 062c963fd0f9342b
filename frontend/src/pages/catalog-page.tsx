import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import type { Pagination as PageInfo } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { listProducts } from '../api/products-api';
import { queryKeys } from '../api/query-client';
import { Pagination, parsePage } from '../components/pagination';
import { ProductCard } from '../components/product-card';
import { EmptyState, ErrorState, LoadingState } from '../components/status-views';
import { usePageTitle } from '../lib/use-page-title';
import { CatalogFilters, checkSearch, parseSort } from './catalog-filters';

const PAGE_SIZE = 12;

/** The API stops counting at a cap on a large catalog; then the count reads "10,000+". */
export function describeCount({ total, totalCapped }: PageInfo): string {
  const amount = `${total.toLocaleString('en-US')}${totalCapped ? '+' : ''}`;
  return `${amount} ${total === 1 && !totalCapped ? 'product' : 'products'} found.`;
}

export default function CatalogPage() {
  usePageTitle('Catalog');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const category = params.get('category') ?? '';
  const sort = parseSort(params.get('sort'));
  const page = parsePage(params.get('page'));
  // A link may carry a search the API would refuse; the search field says why, and nothing is asked.
  const searchProblem = checkSearch(q);
  const query = { q, category, sort, page, pageSize: PAGE_SIZE };
  const result = useQuery({
    queryKey: queryKeys.productList(query),
    queryFn: ({ signal }) => listProducts(query, signal),
    enabled: !searchProblem,
    placeholderData: keepPreviousData,
  });

  // Filters live in the address, so Back, reload and shared links show the same results.
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };

  const products = searchProblem ? undefined : result.data;
  const settled = result.isSuccess && !result.isFetching;
  const filtered = Boolean(q || category);
  let count = 'Loading products…';
  if (settled && products) {
    count = describeCount(products.pagination);
  } else if (result.isError || searchProblem) count = '';

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Catalog</h1>
      <CatalogFilters key={q} q={q} category={category} sort={sort} onChange={update} />
      <p className="result-count" role="status">
        {count}
      </p>
      {result.isError && (
        <ErrorState message={describeError(result.error).message} onRetry={() => void result.refetch()} />
      )}
      {result.isPending && !searchProblem && <LoadingState label="Loading products" />}
      {products && products.data.length === 0 && settled && (
        <EmptyState>
          <p>{filtered ? 'No products match your search.' : 'There are no products for sale yet.'}</p>
          {filtered && <Link to="/">Show all products</Link>}
        </EmptyState>
      )}
      {products && products.data.length > 0 && (
        <>
          <ul className="product-grid" aria-busy={result.isFetching}>
            {products.data.map((product, index) => (
              <ProductCard key={product.id} product={product} eager={index < 4} priority={index === 0} />
            ))}
          </ul>
          <Pagination info={products.pagination} onChange={(next) => update({ page: String(next) })} />
        </>
      )}
    </section>
  );
}
