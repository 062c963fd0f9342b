import type { Pagination as PageInfo } from '../api/contracts';

interface Props {
  info: PageInfo;
  onChange(page: number): void;
  label?: string;
}

export function Pagination({ info, onChange, label = 'Pages' }: Props) {
  if (info.totalPages <= 1) return null;
  return (
    <nav className="pagination" aria-label={label}>
      <button type="button" className="button" disabled={info.page <= 1} onClick={() => onChange(info.page - 1)}>
        Previous page
      </button>
      <span>
        Page {info.page} of {info.totalPages}
      </span>
      <button
        type="button"
        className="button"
        disabled={info.page >= info.totalPages}
        onClick={() => onChange(info.page + 1)}
      >
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
