import type { Pagination as PageInfo } from '../api/contracts';

interface Props {
  info: PageInfo;
  onChange: (page: number) => void;
  label?: string;
  /** Also a button per page near this one, and the first and the last counted page. */
  numbered?: boolean;
}

/** The pages worth a button: the first, two either side of `page`, the last counted; null marks a gap. */
export function pageWindow(page: number, last: number): (number | null)[] {
  const pages = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, last])]
    .filter((n) => n >= 1 && n <= Math.max(last, page))
    .sort((a, b) => a - b);
  // A gap of one page shows that page rather than "…".
  return pages.flatMap((n, i) => {
    const gap = i > 0 ? n - pages[i - 1]! - 1 : 0;
    if (gap === 1) return [n - 1, n];
    return gap > 1 ? [null, n] : [n];
  });
}

/**
 * A capped total (`totalCapped`) means more items follow than were counted, so the page count
 * reads "500+" and the next page stays open, also on the last counted page.
 */
export function Pagination({ info, onChange, label = 'Pages', numbered = false }: Props) {
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
      {numbered && (
        <ul className="page-numbers">
          {pageWindow(info.page, info.totalPages).map((n, i) =>
            n === null ? (
              <li key={`gap-${i}`} aria-hidden="true">
                …
              </li>
            ) : (
              <li key={n}>
                <button
                  type="button"
                  className="button"
                  aria-current={n === info.page ? 'page' : undefined}
                  aria-label={`Page ${n}`}
                  onClick={() => onChange(n)}
                >
                  {n}
                </button>
              </li>
            ),
          )}
        </ul>
      )}
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
