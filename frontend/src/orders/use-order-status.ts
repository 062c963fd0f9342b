import axios from 'axios';
import { useEffect, useRef, useState } from 'react';
import type { Order } from '../api/contracts';
import { getOrder, orderEventsUrl } from '../api/orders-api';

export const POLL_INTERVAL_MS = 2000;

export type WatchMode = 'connecting' | 'live' | 'polling' | 'stopped';

function parseOrder(data: unknown): Order | null {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data) as Partial<Order>;
    return typeof value.id === 'string' && typeof value.status === 'string' ? (value as Order) : null;
  } catch {
    return null;
  }
}

function isFinal(error: unknown): boolean {
  const status = axios.isAxiosError(error) ? error.response?.status : undefined;
  return status === 401 || status === 403 || status === 404;
}

/**
 * Follows one order while it is PENDING: Server-Sent Events first, polling every two seconds
 * when the stream fails (a proxy that buffers, an expired access token, an old browser).
 */
export function useOrderStatus(orderId: string) {
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [mode, setMode] = useState<WatchMode>('connecting');
  const latest = useRef<Order | null>(null);

  useEffect(() => {
    let closed = false;
    let source: EventSource | null = null;
    let timer: number | undefined;
    const controller = new AbortController();
    latest.current = null;
    setOrder(null);
    setError(null);
    setMode('connecting');

    const accept = (next: Order): boolean => {
      latest.current = next;
      setOrder(next);
      setError(null);
      const settled = next.status !== 'PENDING';
      if (settled) setMode('stopped');
      return settled;
    };

    const poll = async () => {
      try {
        const next = await getOrder(orderId, controller.signal);
        if (closed || accept(next)) return;
      } catch (caught) {
        if (closed) return;
        setError(caught);
        if (isFinal(caught)) return setMode('stopped');
      }
      timer = window.setTimeout(() => void poll(), POLL_INTERVAL_MS);
    };

    const startPolling = () => {
      source?.close();
      source = null;
      setMode('polling');
      void poll();
    };

    if (typeof EventSource === 'undefined') {
      startPolling();
    } else {
      source = new EventSource(orderEventsUrl(orderId), { withCredentials: true });
      source.addEventListener('status', (event) => {
        const next = parseOrder((event as MessageEvent).data);
        if (closed || !next) return;
        setMode('live');
        if (accept(next)) source?.close();
      });
      source.onerror = () => {
        if (closed) return;
        if (latest.current && latest.current.status !== 'PENDING') source?.close();
        else startPolling();
      };
    }

    return () => {
      closed = true;
      source?.close();
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [orderId]);

  const replace = (next: Order) => {
    latest.current = next;
    setOrder(next);
  };

  return { order, error, mode, replace };
}
