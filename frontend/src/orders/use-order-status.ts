import { useQuery, useQueryClient } from '@tanstack/react-query';
import axios from 'axios';
import { useEffect, useState } from 'react';
import { isOrderFinal, type Order } from '../api/contracts';
import { getOrder, orderEventsUrl } from '../api/orders-api';
import { queryKeys } from '../api/query-client';

const POLL_INTERVAL_MS = 2000;
/** A confirmed order changes when a seller ships, days later: asking every two seconds would be waste. */
const SLOW_POLL_INTERVAL_MS = 30_000;

/** How often the fallback asks about an order in this state. */
export const pollInterval = (order: Order | undefined) =>
  !order || order.status === 'PENDING' ? POLL_INTERVAL_MS : SLOW_POLL_INTERVAL_MS;

export type WatchMode = 'connecting' | 'live' | 'polling' | 'stopped';

function parseOrder(data: unknown): Order | null {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data) as Partial<Order>;
    return typeof value.id === 'string' && typeof value.status === 'string' && Array.isArray(value.parts)
      ? (value as Order)
      : null;
  } catch {
    return null;
  }
}

function isFinal(error: unknown): boolean {
  const status = axios.isAxiosError(error) ? error.response?.status : undefined;
  return status === 401 || status === 403 || status === 404;
}

/**
 * Follows one order until nothing more can happen to it (failed, cancelled, or every part
 * delivered): Server-Sent Events first, each event written into the query cache; when the stream
 * fails or is refused (a proxy that buffers, an expired access token, too many open tabs, an old
 * browser) the same query polls — every two seconds while the order is pending, then every thirty.
 */
export function useOrderStatus(orderId: string) {
  const client = useQueryClient();
  const [streamMode, setStreamMode] = useState<'connecting' | 'live' | 'failed'>('connecting');
  const key = queryKeys.order(orderId);

  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => getOrder(orderId, signal),
    enabled: streamMode === 'failed',
    // Polling is its own retry: every interval asks again, until the order settles or the answer is final.
    retry: false,
    staleTime: 0,
    refetchInterval: (current) => {
      if (current.state.error && isFinal(current.state.error)) return false;
      const known = current.state.data;
      return known && isOrderFinal(known) ? false : pollInterval(known);
    },
    refetchIntervalInBackground: true,
  });

  useEffect(() => {
    setStreamMode('connecting');
    if (typeof EventSource === 'undefined') {
      setStreamMode('failed');
      return;
    }
    let closed = false;
    const source = new EventSource(orderEventsUrl(orderId), { withCredentials: true });
    source.addEventListener('status', (event) => {
      const next = parseOrder(event.data);
      if (closed || !next) return;
      client.setQueryData(queryKeys.order(orderId), next);
      setStreamMode('live');
      if (isOrderFinal(next)) source.close();
    });
    source.onerror = () => {
      if (closed) return;
      source.close();
      const known = client.getQueryData<Order>(queryKeys.order(orderId));
      // The server ends the stream once the order is final; before that, an end means the stream failed.
      if (!known || !isOrderFinal(known)) setStreamMode('failed');
    };
    return () => {
      closed = true;
      source.close();
    };
  }, [client, orderId]);

  const order = query.data ?? null;
  const error: unknown = query.error;
  let mode: WatchMode = streamMode === 'failed' ? 'polling' : streamMode;
  if ((order && isOrderFinal(order)) || (error && isFinal(error))) mode = 'stopped';

  /** Shows the order a mutation (say, a cancel) returned. */
  const replace = (next: Order) => client.setQueryData(key, next);

  return { order, error, mode, replace };
}
