import { lazy, Suspense, useRef } from 'react';
import { Outlet, useLocation } from 'react-router-dom';
import { CartSync } from './cart-sync';
import { SiteHeader } from './site-header';
import { LoadingState } from './status-views';
import { useRouteFocus } from './use-route-focus';

// The query cache (and axios behind it) arrives with the first page, not with the shell.
const DataLayer = lazy(() => import('../data-layer'));

function FlashNotice() {
  const state = useLocation().state as { notice?: unknown } | null;
  if (typeof state?.notice !== 'string') return null;
  return (
    <p className="notice notice-info" role="status">
      {state.notice}
    </p>
  );
}

export function Layout() {
  const mainRef = useRef<HTMLElement>(null);
  useRouteFocus(mainRef);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SiteHeader />
      <main id="main" ref={mainRef} tabIndex={-1}>
        <FlashNotice />
        <CartSync />
        <Suspense fallback={<LoadingState label="Loading page" />}>
          <DataLayer>
            <Suspense fallback={<LoadingState label="Loading page" />}>
              <Outlet />
            </Suspense>
          </DataLayer>
        </Suspense>
      </main>
      <footer className="site-footer">
        <p>Marketplace · prices in US dollars · orders are confirmed by the sellers' stock.</p>
      </footer>
    </>
  );
}
