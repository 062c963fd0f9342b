import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import {
  CATEGORIES,
  CONTRACT_RULES,
  LIMITS,
  PRODUCT_SORTS,
  type CategoryFacets,
  type ProductSort,
} from '../api/contracts';
import { listCategories } from '../api/products-api';
import { queryKeys } from '../api/query-client';
import { useDebounced } from '../lib/use-debounced';

const SORT_LABELS: Record<ProductSort, string> = {
  relevance: 'Best match',
  newest: 'Newest first',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
  name: 'Name',
};

/** Typing pauses this long before the catalog asks the API. */
export const SEARCH_DEBOUNCE_MS = 300;

/** The sort named in the address, else the API's default: relevance for a search, newest without. */
export function parseSort(value: string | null, q: string): ProductSort {
  return PRODUCT_SORTS.find((sort) => sort === value) ?? (q ? 'relevance' : 'newest');
}

/** The API refuses a search with no letter or digit (it names no word); empty means no search. */
export function checkSearch(text: string): string | null {
  const lettersOrDigits = text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  if (text.trim() === '' || lettersOrDigits >= LIMITS.searchMinLettersOrDigits) return null;
  return 'Type a letter or digit to search.';
}

const PRICE_PATTERN = new RegExp(CONTRACT_RULES.searchProducts.minPrice.pattern ?? '', 'u');

/** The API's sentence for a price bound it would refuse, or null; min above max is named on the maximum. */
export function checkPrices(min: string, max: string): { min: string | null; max: string | null } {
  const bad = (value: string) => value !== '' && !PRICE_PATTERN.test(value);
  return {
    min: bad(min) ? 'Enter an amount such as 19.99.' : null,
    max: bad(max)
      ? 'Enter an amount such as 19.99.'
      : min && max && !bad(min) && Number(min) > Number(max)
        ? 'The maximum must not be below the minimum.'
        : null,
  };
}

const capitalised = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export interface CatalogFilterValues {
  q: string;
  category: string;
  sort: ProductSort;
  minPrice: string;
  maxPrice: string;
  inStock: boolean;
}

interface Props {
  values: CatalogFilterValues;
  facets: CategoryFacets | undefined;
  /** `replace`: a step of typing, kept out of the history so Back leaves the search in one step. */
  onChange: (changes: Record<string, string>, options?: { replace: boolean }) => void;
}

export function CatalogFilters({ values, facets, onChange }: Props) {
  const [text, setText] = useState(values.q);
  const [prices, setPrices] = useState({ min: values.minPrice, max: values.maxPrice });
  // The address changed from outside (Back, a link): the fields show what it says.
  const address = `${values.q}\n${values.minPrice}\n${values.maxPrice}`;
  const [shown, setShown] = useState(address);
  if (shown !== address) {
    setShown(address);
    if (values.q !== text.trim()) setText(values.q);
    if (values.minPrice !== prices.min || values.maxPrice !== prices.max)
      setPrices({ min: values.minPrice, max: values.maxPrice });
  }
  // Navigation renders in a transition: until it commits, the controls show the choice just made, not the old address.
  const [choices, setChoices] = useState({ category: values.category, sort: values.sort, inStock: values.inStock });
  const addressChoices = `${values.category}\n${values.sort}\n${values.inStock}`;
  const [shownChoices, setShownChoices] = useState(addressChoices);
  if (shownChoices !== addressChoices) {
    setShownChoices(addressChoices);
    setChoices({ category: values.category, sort: values.sort, inStock: values.inStock });
  }
  const choose = (change: Partial<typeof choices>, address: Record<string, string>) => {
    setChoices({ ...choices, ...change });
    onChange(address);
  };
  const problem = checkSearch(text);
  const priceProblems = checkPrices(prices.min.trim(), prices.max.trim());

  const typed = useDebounced(text.trim(), SEARCH_DEBOUNCE_MS);
  const typedPrices = useDebounced(prices, SEARCH_DEBOUNCE_MS);
  useEffect(() => {
    // The first step of a search is a new history entry (Back leaves the search); later steps replace it.
    if (typed !== values.q && !checkSearch(typed)) onChange({ q: typed }, { replace: values.q !== '' });
    // Only a pause in typing asks; a change of the address alone does not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [typed]);
  useEffect(() => {
    const min = typedPrices.min.trim();
    const max = typedPrices.max.trim();
    const problems = checkPrices(min, max);
    if ((min !== values.minPrice || max !== values.maxPrice) && !problems.min && !problems.max)
      onChange({ minPrice: min, maxPrice: max }, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [typedPrices]);

  // The list barely changes; until it arrives (or if it cannot), the known categories stand in.
  const categories = useQuery({
    queryKey: queryKeys.categories,
    queryFn: ({ signal }) => listCategories(signal),
    staleTime: 5 * 60_000,
  });
  const options = categories.data?.length ? categories.data : [...CATEGORIES];
  const counts = new Map<string, number>(facets?.categories.map((facet) => [facet.category, facet.count]));
  const countText = (name: string) => {
    if (!facets) return '';
    const n = counts.get(name);
    if (n === undefined) return facets.capped ? '' : ' (0)';
    return ` (${n.toLocaleString('en-US')}${facets.capped ? '+' : ''})`;
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!problem) onChange({ q: text.trim() });
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
            autoComplete="off"
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
        <select
          id="filter-category"
          value={choices.category}
          onChange={(event) => choose({ category: event.target.value }, { category: event.target.value })}
        >
          <option value="">All categories</option>
          {options.map((name) => (
            <option key={name} value={name}>
              {capitalised(name)}
              {countText(name)}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field price-range">
        <legend>Price</legend>
        {(['min', 'max'] as const).map((bound) => (
          <div key={bound} className="price-bound">
            <label htmlFor={`filter-price-${bound}`}>{bound === 'min' ? 'From' : 'To'}</label>
            <input
              id={`filter-price-${bound}`}
              inputMode="decimal"
              size={8}
              value={prices[bound]}
              aria-invalid={Boolean(priceProblems[bound])}
              aria-describedby={priceProblems[bound] ? `filter-price-${bound}-error` : undefined}
              onChange={(event) => setPrices({ ...prices, [bound]: event.target.value })}
            />
            {priceProblems[bound] && (
              <p className="field-error" id={`filter-price-${bound}-error`}>
                {priceProblems[bound]}
              </p>
            )}
          </div>
        ))}
      </fieldset>
      <div className="field field-checkbox">
        <input
          id="filter-in-stock"
          type="checkbox"
          checked={choices.inStock}
          onChange={(event) =>
            choose({ inStock: event.target.checked }, { inStock: event.target.checked ? 'true' : '' })
          }
        />
        <label htmlFor="filter-in-stock">In stock only</label>
      </div>
      <div className="field">
        <label htmlFor="filter-sort">Sort by</label>
        <select
          id="filter-sort"
          value={choices.sort}
          onChange={(event) => choose({ sort: event.target.value as ProductSort }, { sort: event.target.value })}
        >
          {PRODUCT_SORTS.filter((value) => value !== 'relevance' || values.q).map((value) => (
            <option key={value} value={value}>
              {SORT_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
