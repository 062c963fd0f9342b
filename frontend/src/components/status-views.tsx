import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

export function LoadingState({ label = 'Loading' }: { label?: string }) {
  return (
    <p className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}…
    </p>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="state notice notice-error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

/** What a link to a product or an order that is not there leads to: a page that says so. */
export function MissingPage(props: { title: string; back: { to: string; label: string }; children: ReactNode }) {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{props.title}</h1>
      <p>{props.children}</p>
      <p>
        <Link to={props.back.to}>{props.back.label}</Link>
      </p>
    </section>
  );
}
