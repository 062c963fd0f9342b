import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { createQueryClient } from './api/query-client';
import { useSession } from './session/session-context';

/**
 * The query cache for everything the pages read. Loaded with the first page rather than in the app
 * shell, so the shell paints without the query library and axios. One client per mounted app.
 */
export default function DataLayer({ children }: { children: ReactNode }) {
  const [client] = useState(createQueryClient);
  const userId = useSession().user?.id ?? null;
  const previous = useRef(userId);

  useEffect(() => {
    // Another account (or none) must never see what the last one read: orders, sales, users.
    if (previous.current !== null && previous.current !== userId) client.clear();
    previous.current = userId;
  }, [client, userId]);

  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
