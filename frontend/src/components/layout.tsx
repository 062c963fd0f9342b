import { lazy, Suspense, useRef } from 'react';
import { Outlet, useLocation } from 'react-router-dom';
import { CartSync } from './cart-sync';
import { SiteHeader } from './site-header';
import { LoadingState } from './status-views';
import { useSession } from '../session/session-context';
import { useRouteFocus } from './use-route-focus';

// The query cache (and axios behind it) arrives with the first page, not with the shell.
const DataLayer = lazy(() => import('../data-layer'));
// Only unverified accounts load it (with axios, for its "send again").
const VerifyEmailBanner = lazy(() => import('./verify-email-banner'));

function VerifyNotice() {
  const { user } = useSession();
  const { pathname } = useLocation();
  if (!user || user.emailVerified || pathname === '/verify-email') return null;
  return (
    <Suspense fallback={null}>
      <VerifyEmailBanner email={user.email} />
    </Suspense>
  );
}

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
        <VerifyNotice />
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
