import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { AppRoutes } from '../../src/app';
import type { User } from '../../src/api/contracts';
import { writeSessionHint } from '../../src/session/session-hint';
import { SessionProvider } from '../../src/session/session-context';
import type { ApiServer } from './api-server';

/** Renders the whole SPA at `path`, signed in as `user` (GET /auth/me answers with it) or anonymous. */
export function renderApp(server: ApiServer, path: string, user: User | null = null) {
  if (user) {
    writeSessionHint(user.id);
    server.on('GET', '/auth/me', [200, user]);
  }
  return render(
    <MemoryRouter initialEntries={[path]}>
      <SessionProvider>
        <AppRoutes />
      </SessionProvider>
    </MemoryRouter>,
  );
}
