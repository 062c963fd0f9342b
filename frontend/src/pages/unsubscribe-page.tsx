import { useMutation } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { unsubscribe } from '../api/auth-api';
import { describeError } from '../api/error-messages';
import { usePageTitle } from '../lib/use-page-title';

const KIND_WORDS = { order: 'order updates', sale: 'sales' } as const;

/**
 * Where an email's unsubscribe link leads: it asks before turning anything off (mail scanners
 * open links; only a person clicks the button), then sends the signed token to auth-service.
 */
export default function UnsubscribePage() {
  usePageTitle('Unsubscribe');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const done = useMutation({ mutationFn: unsubscribe });

  return (
    <section className="form-page" aria-labelledby="page-title">
      <h1 id="page-title">Unsubscribe</h1>
      {!token ? (
        <p role="alert">
          This link is incomplete. Open it again from the email, or change your emails on your account page.
        </p>
      ) : done.isSuccess ? (
        <p role="status">
          Done: you will no longer get emails about {KIND_WORDS[done.data.kind]}. You can turn them on again on{' '}
          <Link to="/account">your account page</Link>.
        </p>
      ) : (
        <>
          <p>Stop the emails this link came with? Security emails, such as a password reset, are always sent.</p>
          <button type="button" onClick={() => done.mutate(token)} disabled={done.isPending}>
            Unsubscribe
          </button>
          {done.isError && (
            <p role="alert">
              {
                describeError(done.error, {
                  NOT_FOUND: 'This unsubscribe link is not valid. Change your emails on your account page instead.',
                }).message
              }
            </p>
          )}
        </>
      )}
    </section>
  );
}
