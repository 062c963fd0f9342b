import type { Pagination as PageInfo } from '../api/contracts';

interface Props {
  info: PageInfo;
  onChange: (page: number) => void;
  label?: string;
}

/**
 * A capped total (`totalCapped`) means more items follow than were counted, so the page count
 * reads "500+" and the next page stays open, also on the last counted page.
 */
export function Pagination({ info, onChange, label = 'Pages' }: Props) {
  const hasNext = info.totalCapped === true || info.page < info.totalPages;
  if (info.page <= 1 && !hasNext) return null;
  return (
    <nav className="pagination" aria-label={label}>
      <button type="button" className="button" disabled={info.page <= 1} onClick={() => onChange(info.page - 1)}>
        Previous page
      </button>
      <span>
        Page {info.page} of {info.totalPages.toLocaleString('en-US')}
        {info.totalCapped ? '+' : ''}
      </span>
      <button type="button" className="button" disabled={!hasNext} onClick={() => onChange(info.page + 1)}>
        Next page
      </button>
    </nav>
  );
}

/** Reads a 1-based page number from a query string value, defaulting to 1 on anything odd. */
export function parsePage(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}
