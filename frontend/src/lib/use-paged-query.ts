import { keepPreviousData, useQuery, type QueryKey } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import type { Page } from '../api/contracts';
import { parsePage } from '../components/pagination';

const PAGE_SIZE = 20;

type LoadPage<T> = (page: number, pageSize: number, signal: AbortSignal) => Promise<Page<T>>;

/** The page of a list that `?page=` names, through the query cache; the last page stays on screen while the next loads. */
export function usePagedQuery<T>(key: (page: number) => QueryKey, load: LoadPage<T>) {
  const [params, setParams] = useSearchParams();
  const page = parsePage(params.get('page'));
  const result = useQuery({
    queryKey: key(page),
    queryFn: ({ signal }) => load(page, PAGE_SIZE, signal),
    placeholderData: keepPreviousData,
  });

  /** Changes only `page`: the list's other parameters (a search, say) stay. */
  const setPage = (next: number) =>
    setParams((current) => {
      const updated = new URLSearchParams(current);
      updated.set('page', String(next));
      return updated;
    });
  return { result, setPage };
}
