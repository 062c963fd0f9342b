import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DeadLetter, DeadLetterOrder } from '../../api/contracts';
import { dropDeadLetter, listDeadLetters, replayDeadLetter } from '../../api/dead-letters-api';
import { describeError } from '../../api/error-messages';
import { queryKeys } from '../../api/query-client';
import type { Notice } from '../../components/live-notice';
import { EmptyState, ErrorState, LoadingState } from '../../components/status-views';
import { DeadLetterRow } from './dead-letter-row';

export const DEAD_LETTER_PAGE_SIZE = 20;

interface Props {
  stream: string;
  onNotice: (notice: Notice | null) => void;
}

/** One saga stream's dead letters, a page at a time (the API pages by cursor), each with Replay and Drop. */
export function DeadLetterList({ stream, onNotice }: Props) {
  const [order, setOrder] = useState<DeadLetterOrder>('newest');
  // The cursors of the pages before this one; the last is this page's.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const query = { pageSize: DEAD_LETTER_PAGE_SIZE, cursor, order };
  const result = useQuery({
    queryKey: queryKeys.deadLetterList(stream, query),
    queryFn: ({ signal }) => listDeadLetters(stream, query, signal),
    placeholderData: keepPreviousData,
  });
  const page = result.data;
  const client = useQueryClient();
  const act = useMutation({
    mutationFn: async ({ letter, action }: { letter: DeadLetter; action: 'replay' | 'drop' }): Promise<string> => {
      if (action === 'drop') {
        await dropDeadLetter(stream, letter.id);
        return `Dropped ${letter.id} for good.`;
      }
      const replayed = await replayDeadLetter(stream, letter.id);
      return `Replayed ${letter.id} onto ${stream} as ${replayed.replayedAs}. If it had in fact been applied, the consumers skip it.`;
    },
    onMutate: () => onNotice(null),
    onSuccess: (text) => onNotice({ text, error: false }),
    onError: (caught, { letter }) => {
      const gone = `${letter.id} is no longer a dead letter: someone replayed or dropped it already.`;
      onNotice({ text: describeError(caught, { NOT_FOUND: gone }).message, error: true });
    },
    // Either way the list and the streams' counts are read again: after a failure they show what is there now.
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.deadLetters }),
  });

  const pages = page ? Math.max(1, Math.ceil(page.pagination.total / DEAD_LETTER_PAGE_SIZE)) : 1;
  const next = page?.pagination.next;
  return (
    <>
      <div className="inline">
        <label htmlFor="dead-letter-order">Show</label>
        <select
          id="dead-letter-order"
          value={order}
          onChange={(event) => {
            setOrder(event.target.value as DeadLetterOrder);
            setCursors([]);
          }}
        >
          <option value="newest">Newest first</option>
          <option value="oldest">Oldest first</option>
        </select>
      </div>
      {result.isError && (
        <ErrorState message={describeError(result.error).message} onRetry={() => void result.refetch()} />
      )}
      {result.isPending && <LoadingState label="Loading dead letters" />}
      {page?.data.length === 0 && (
        <EmptyState>
          {cursors.length === 0
            ? `No dead letters on ${stream}: nothing waits for an operator.`
            : 'Nothing left on this page.'}
        </EmptyState>
      )}
      {page && page.data.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">
            Dead letters of {stream}, {order} first
          </caption>
          <thead>
            <tr>
              <th scope="col">Dead letter</th>
              <th scope="col">Event</th>
              <th scope="col">Order</th>
              <th scope="col">Group</th>
              <th scope="col" className="num">
                Deliveries
              </th>
              <th scope="col">Reason</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.data.map((letter) => (
              <DeadLetterRow
                key={letter.id}
                letter={letter}
                busy={act.isPending}
                onReplay={() => act.mutate({ letter, action: 'replay' })}
                onDrop={() => act.mutate({ letter, action: 'drop' })}
              />
            ))}
          </tbody>
        </table>
      )}
      {page && (cursors.length > 0 || next) && (
        <nav className="pagination" aria-label="Pages of dead letters">
          <button
            type="button"
            className="button"
            disabled={cursors.length === 0}
            onClick={() => setCursors((all) => all.slice(0, -1))}
          >
            Previous page
          </button>
          <span>
            Page {Math.min(cursors.length + 1, pages)} of {pages}
          </span>
          <button
            type="button"
            className="button"
            disabled={!next}
            onClick={() => next && setCursors((all) => [...all, next])}
          >
            Next page
          </button>
        </nav>
      )}
    </>
  );
}
