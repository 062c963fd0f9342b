import { useSearchParams } from 'react-router-dom';
import type { Page } from '../api/contracts';
import { parsePage } from '../components/pagination';
import { useAsync } from './use-async';

const PAGE_SIZE = 20;

type LoadPage<T> = (page: number, pageSize: number, signal: AbortSignal) => Promise<Page<T>>;

/** Loads the page of a list that `?page=` names, again whenever it or `deps` change. */
export function usePagedList<T extends object>(load: LoadPage<T>, deps: readonly unknown[] = []) {
  const [params, setParams] = useSearchParams();
  const page = parsePage(params.get('page'));
  const result = useAsync((signal) => load(page, PAGE_SIZE, signal), [page, ...deps]);

  const setPage = (next: number) => setParams({ page: String(next) });
  /** Shows an item the API just changed in place of the one with its id, without reloading the page. */
  const replaceItem = (updated: T & { id: string }) => {
    if (!result.data) return;
    const data = result.data.data.map((item) => ('id' in item && item.id === updated.id ? updated : item));
    result.replace({ ...result.data, data });
  };
  return { result, setPage, replaceItem };
}
