import { useState, type FormEvent } from 'react';
import { LIMITS, MY_PRODUCT_SORTS, type MyProductSort } from '../../api/contracts';

const SORT_LABELS: Record<MyProductSort, string> = {
  newest: 'Newest first',
  name: 'Name (A–Z)',
  price_asc: 'Price, lowest first',
  price_desc: 'Price, highest first',
  stock: 'Stock, lowest first',
};

export function parseMySort(value: string | null): MyProductSort {
  return MY_PRODUCT_SORTS.find((sort) => sort === value) ?? 'newest';
}

interface Props {
  q: string;
  sort: MyProductSort;
  onChange: (changes: { q?: string; sort?: MyProductSort }) => void;
}

/** A search by name (sent on submit) and a sort (applied at once) over the seller's own products. */
export function MyProductsFilters({ q, sort, onChange }: Props) {
  const [text, setText] = useState(q);
  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    onChange({ q: text.trim() });
  };
  return (
    <form role="search" className="filters" onSubmit={onSearch}>
      <div className="field">
        <label htmlFor="my-products-q">Search my products by name</label>
        <div className="inline">
          <input
            id="my-products-q"
            type="search"
            value={text}
            maxLength={LIMITS.searchMax}
            onChange={(event) => setText(event.target.value)}
          />
          <button type="submit" className="button">
            Search
          </button>
        </div>
      </div>
      <div className="field">
        <label htmlFor="my-products-sort">Sort</label>
        <select
          id="my-products-sort"
          value={sort}
          onChange={(event) => onChange({ sort: parseMySort(event.target.value) })}
        >
          {MY_PRODUCT_SORTS.map((option) => (
            <option key={option} value={option}>
              {SORT_LABELS[option]}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
