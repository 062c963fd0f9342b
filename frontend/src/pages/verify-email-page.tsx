import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { verifyEmail } from '../api/auth-api';
import { describeError } from '../api/error-messages';
import { ErrorState, LoadingState } from '../components/status-views';
import { usePageTitle } from '../lib/use-page-title';
import { useSession } from '../session/session-context';

/** Opened from the mailed link: confirms the address, then renews the session so it carries the new state. */
export default function VerifyEmailPage() {
  usePageTitle('Confirm your email address');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { renew } = useSession();
  const [outcome, setOutcome] = useState<{ ok: true } | { ok: false; message: string } | null>(null);
  // The token works once: a second effect run (React's strict mode) must not spend it again.
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    verifyEmail(token)
      .then(() => renew().catch(() => null))
      .then(
        () => setOutcome({ ok: true }),
        (caught: unknown) => setOutcome({ ok: false, message: describeError(caught).message }),
      );
  }, [token, renew]);

  return (
    <section className="form-page" aria-labelledby="page-title">
      <h1 id="page-title">Confirm your email address</h1>
      {!outcome && <LoadingState label="Confirming your address" />}
      {outcome?.ok && (
        <p className="notice notice-info" role="status">
          Your email address is confirmed. You can now place orders and list products.
        </p>
      )}
      {outcome && !outcome.ok && <ErrorState message={outcome.message} />}
      <p>
        <Link to="/">Go to the catalog</Link>
      </p>
    </section>
  );
}
