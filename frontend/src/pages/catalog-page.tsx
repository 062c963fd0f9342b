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
import { CatalogFilters, checkPrices, checkSearch, parseSort } from './catalog-filters';

const PAGE_SIZE = 12;

/** The API stops counting at a cap on a large catalog; then the count reads "10,000+". */
export function describeCount({ total, totalCapped }: PageInfo): string {
  const amount = `${total.toLocaleString('en-US')}${totalCapped ? '+' : ''}`;
  return `${amount} ${total === 1 && !totalCapped ? 'product' : 'products'} found.`;
}

/** The same search from its first page, for a link to a page past the last one. */
export function firstPageOf(params: URLSearchParams): string {
  const first = new URLSearchParams(params);
  first.delete('page');
  const search = first.toString();
  return search ? `/?${search}` : '/';
}

export default function CatalogPage() {
  usePageTitle('Catalog');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const category = params.get('category') ?? '';
  const sort = parseSort(params.get('sort'), q);
  const minPrice = params.get('minPrice') ?? '';
  const maxPrice = params.get('maxPrice') ?? '';
  const inStock = params.get('inStock') === 'true';
  const page = parsePage(params.get('page'));
  // A link may carry a search the API would refuse; the fields say why, and nothing is asked.
  const prices = checkPrices(minPrice, maxPrice);
  const searchProblem = checkSearch(q) ?? prices.min ?? prices.max;
  const query = { q, category, sort, minPrice, maxPrice, inStock, page, pageSize: PAGE_SIZE };
  const result = useQuery({
    queryKey: queryKeys.productList(query),
    queryFn: ({ signal }) => listProducts(query, signal),
    enabled: !searchProblem,
    placeholderData: keepPreviousData,
  });

  // Filters live in the address, so Back, reload and shared links show the same results.
  const update = (changes: Record<string, string>, options?: { replace: boolean }) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: options?.replace ?? false });
  };

  const products = searchProblem ? undefined : result.data;
  const settled = result.isSuccess && !result.isFetching;
  const filtered = Boolean(q || category || minPrice || maxPrice || inStock);
  let count = 'Loading products…';
  if (settled && products) {
    count = describeCount(products.pagination);
  } else if (result.isError || searchProblem) count = '';

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Catalog</h1>
      <CatalogFilters
        values={{ q, category, sort, minPrice, maxPrice, inStock }}
        facets={products?.facets}
        onChange={update}
      />
      {products?.search && products.search.corrections.length > 0 && (
        <p className="search-corrections">
          Also showing results for{' '}
          {products.search.corrections
            .flatMap((correction) => correction.to)
            .map((word, i) => (
              <span key={word}>
                {i > 0 && ', '}
                <strong>{word}</strong>
              </span>
            ))}
          .
        </p>
      )}
      <p className="result-count" role="status">
        {count}
      </p>
      {result.isError && (
        <ErrorState message={describeError(result.error).message} onRetry={() => void result.refetch()} />
      )}
      {result.isPending && !searchProblem && <LoadingState label="Loading products" />}
      {products && products.data.length === 0 && settled && (
        <EmptyState>
          {products.pagination.total > 0 ? (
            <>
              <p>No products on this page.</p>
              <Link to={firstPageOf(params)}>Go to the first page</Link>
            </>
          ) : (
            <>
              <p>{filtered ? 'No products match your search.' : 'There are no products for sale yet.'}</p>
              {filtered && <Link to="/">Show all products</Link>}
            </>
          )}
        </EmptyState>
      )}
      {products && products.data.length > 0 && (
        <>
          <ul className="product-grid" aria-busy={result.isFetching}>
            {products.data.map((product, index) => (
              <ProductCard
                key={product.id}
                product={product}
                eager={index < 4}
                priority={index === 0}
                highlight={products.search?.words}
              />
            ))}
          </ul>
          <Pagination info={products.pagination} onChange={(next) => update({ page: String(next) })} />
        </>
      )}
    </section>
  );
}
