import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CATEGORIES, CONTRACT_RULES, LIMITS, PRODUCT_SORTS, type ProductSort } from '../api/contracts';
import { listCategories } from '../api/products-api';
import { queryKeys } from '../api/query-client';

const SORT_LABELS: Record<ProductSort, string> = {
  newest: 'Newest first',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
  name: 'Name',
};

export function parseSort(value: string | null): ProductSort {
  return PRODUCT_SORTS.find((sort) => sort === value) ?? 'newest';
}

/** The API refuses a search with fewer letters or digits (its index cannot answer it); empty means no search. */
export function checkSearch(text: string): string | null {
  const lettersOrDigits = text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  if (text.trim() === '' || lettersOrDigits >= LIMITS.searchMinLettersOrDigits) return null;
  return `Type at least ${LIMITS.searchMinLettersOrDigits} letters or digits to search.`;
}

interface Props {
  q: string;
  category: string;
  sort: ProductSort;
  onChange: (changes: Record<string, string>) => void;
}

export function CatalogFilters({ q, category, sort, onChange }: Props) {
  const [text, setText] = useState(q);
  const [problem, setProblem] = useState(() => checkSearch(q));
  // The list barely changes; until it arrives (or if it cannot), the known categories stand in.
  const categories = useQuery({
    queryKey: queryKeys.categories,
    queryFn: ({ signal }) => listCategories(signal),
    staleTime: 5 * 60_000,
  });
  const options = categories.data?.length ? categories.data : [...CATEGORIES];

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkSearch(text);
    setProblem(found);
    if (!found) onChange({ q: text.trim() });
  };

  return (
    <div className="filters">
      <form role="search" className="search-form" onSubmit={onSubmit}>
        <label htmlFor="search-q">Search products</label>
        <div className="inline">
          <input
            id="search-q"
            type="search"
            name="q"
            value={text}
            maxLength={CONTRACT_RULES.searchProducts.q.maxLength}
            aria-invalid={Boolean(problem)}
            aria-describedby={problem ? 'search-q-error' : undefined}
            onChange={(event) => setText(event.target.value)}
          />
          <button type="submit" className="button button-primary">
            Search
          </button>
        </div>
        {problem && (
          <p className="field-error" id="search-q-error">
            {problem}
          </p>
        )}
      </form>
      <div className="field">
        <label htmlFor="filter-category">Category</label>
        <select id="filter-category" value={category} onChange={(event) => onChange({ category: event.target.value })}>
          <option value="">All categories</option>
          {options.map((name) => (
            <option key={name} value={name}>
              {name.charAt(0).toUpperCase() + name.slice(1)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-sort">Sort by</label>
        <select id="filter-sort" value={sort} onChange={(event) => onChange({ sort: event.target.value })}>
          {PRODUCT_SORTS.map((value) => (
            <option key={value} value={value}>
              {SORT_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
