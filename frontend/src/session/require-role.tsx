import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import type { Role } from '../api/contracts';
import { LoadingState } from '../components/status-views';
import { usePageTitle } from '../lib/use-page-title';
import { SESSION_ENDED_NOTICE, useSession } from './session-context';

const ROLE_NAMES: Record<Role, string> = { buyer: 'buyers', seller: 'sellers', admin: 'administrators' };

function NotAllowed({ roles, current }: { roles: readonly Role[]; current: Role }) {
  usePageTitle('Not allowed');
  const who = roles.map((role) => ROLE_NAMES[role]).join(' and ');
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Not allowed
      </h1>
      <p className="notice notice-error" role="alert">
        This page is only for {who}. You are signed in as a {current}.
      </p>
      <p>
        <Link to="/">Back to the catalog</Link>
      </p>
    </section>
  );
}

/** Guards a page: anonymous visitors go to login (and come back), other roles see why they cannot enter. */
export function RequireRole({ roles, children }: { roles?: readonly Role[]; children: ReactNode }) {
  const { user, ready, ended } = useSession();
  const location = useLocation();
  if (!ready) return <LoadingState label="Checking your session" />;
  if (!user) {
    const from = `${location.pathname}${location.search}`;
    const notice = ended ? SESSION_ENDED_NOTICE : 'Please log in to see that page.';
    return <Navigate to="/login" replace state={{ from, notice }} />;
  }
  if (roles && !roles.includes(user.role)) return <NotAllowed roles={roles} current={user.role} />;
  return children;
}
