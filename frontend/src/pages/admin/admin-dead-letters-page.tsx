import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { listDeadLetterStreams } from '../../api/dead-letters-api';
import { describeError } from '../../api/error-messages';
import { queryKeys } from '../../api/query-client';
import { LiveNotice, type Notice } from '../../components/live-notice';
import { ErrorState, LoadingState } from '../../components/status-views';
import { usePageTitle } from '../../lib/use-page-title';
import { DeadLetterList } from './dead-letter-list';

/**
 * The saga's dead letters (`<stream>:dead`): the messages a consumer gave up on, per stream, to
 * replay or drop; the same as `npm run dlq`.
 */
export default function AdminDeadLettersPage() {
  usePageTitle('Dead letters');
  const [params] = useSearchParams();
  const streams = useQuery({
    queryKey: queryKeys.deadLetterStreams,
    queryFn: ({ signal }) => listDeadLetterStreams(signal),
  });
  const [notice, setNotice] = useState<Notice | null>(null);
  const known = streams.data ?? [];
  const wanted = params.get('stream');
  const selected = known.find((s) => s.stream === wanted)?.stream ?? known[0]?.stream;

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Dead letters</h1>
      <p className="muted">
        Messages of the stock saga that a consumer gave up on. Replay puts one back on its stream; the consumers skip it
        if its effect was in fact applied. Drop deletes it for good.
      </p>
      {streams.isError && (
        <ErrorState message={describeError(streams.error).message} onRetry={() => void streams.refetch()} />
      )}
      {streams.isPending && <LoadingState label="Loading streams" />}
      {known.length > 0 && (
        <nav aria-label="Saga streams" className="subnav">
          <ul className="nav-list">
            {known.map(({ stream, count }) => (
              <li key={stream}>
                <Link
                  to={`?stream=${encodeURIComponent(stream)}`}
                  aria-current={stream === selected ? 'page' : undefined}
                >
                  {stream} ({count.toLocaleString('en-US')})
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <LiveNotice notice={notice} />
      {selected && (
        <>
          <h2>{selected}</h2>
          <DeadLetterList key={selected} stream={selected} onNotice={setNotice} />
        </>
      )}
    </section>
  );
}
