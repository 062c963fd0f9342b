import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Page } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { Pagination } from './pagination';
import { EmptyState, ErrorState, LoadingState } from './status-views';

interface Props<T> {
  result: UseQueryResult<Page<T>>;
  loadingLabel: string;
  /** What an empty page says; `false` says nothing, for a message that the data on screen may no longer match. */
  empty: ReactNode;
  caption: string;
  /** The `<th scope="col">` cells of the header row. */
  columns: ReactNode;
  /** One keyed `<tr>` per item. */
  renderRow: (item: T) => ReactNode;
  onPage: (page: number) => void;
  /** A button per nearby page besides Previous and Next. */
  numbered?: boolean;
}

/** One page of a server-paged list: its error, loading and empty states, else a table of the items and the page links. */
export function PagedResult<T>({
  result,
  loadingLabel,
  empty,
  caption,
  columns,
  renderRow,
  onPage,
  numbered,
}: Props<T>) {
  const page = result.data;
  return (
    <>
      {result.isError && (
        <ErrorState message={describeError(result.error).message} onRetry={() => void result.refetch()} />
      )}
      {result.isPending && <LoadingState label={loadingLabel} />}
      {page?.data.length === 0 && empty !== false && <EmptyState>{empty}</EmptyState>}
      {page && page.data.length > 0 && (
        <>
          <table className="table">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>{columns}</tr>
            </thead>
            <tbody>{page.data.map((item) => renderRow(item))}</tbody>
          </table>
          <Pagination info={page.pagination} onChange={onPage} numbered={numbered} />
        </>
      )}
    </>
  );
}
