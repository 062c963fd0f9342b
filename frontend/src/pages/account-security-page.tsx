import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { describeError } from '../api/error-messages';
import { queryKeys } from '../api/query-client';
import { Field } from '../components/field';
import { ErrorState, LoadingState } from '../components/status-views';
import { CODE_ERRORS, RecoveryCodes, TwoFactorSetup } from '../components/two-factor-setup';
import { usePageTitle } from '../lib/use-page-title';

const loadApi = () => import('../api/two-factor-api');

function TurnOff({ onDone }: { onDone: () => void }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (code.trim().length < 6) return setError('Enter a code from your app or a recovery code.');
    setBusy(true);
    setError(null);
    try {
      await (await loadApi()).disableTwoFactor(code.trim());
      onDone();
    } catch (caught) {
      setError(describeError(caught, CODE_ERRORS).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate onSubmit={(event) => void submit(event)}>
      <h2>Turn off</h2>
      <Field id="totp-disable-code" label="Code from your app or a recovery code" error={error ?? undefined}>
        {(control) => (
          <input
            {...control}
            autoComplete="one-time-code"
            maxLength={20}
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="button" disabled={busy}>
        Turn off two-factor sign-in
      </button>
    </form>
  );
}

/** Two-factor sign-in for the signed-in user: set it up, see it on, turn it off. */
export default function AccountSecurityPage() {
  usePageTitle('Sign-in security');
  const client = useQueryClient();
  const status = useQuery({
    queryKey: queryKeys.twoFactor,
    queryFn: async () => (await loadApi()).fetchTwoFactorStatus(),
  });
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: queryKeys.twoFactor });

  let body;
  if (recoveryCodes) body = <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />;
  else if (status.isPending) body = <LoadingState label="Loading your sign-in settings" />;
  else if (status.isError) body = <ErrorState message={describeError(status.error).message} onRetry={refresh} />;
  else if (status.data.enabled)
    body = (
      <>
        <p className="notice notice-info">
          Two-factor sign-in is <strong>on</strong>. You have {status.data.recoveryCodesLeft} unused recovery codes.
        </p>
        {status.data.required ? (
          <p>Administrators must keep it on: turning it off means setting it up again at your next sign-in.</p>
        ) : null}
        <TurnOff onDone={refresh} />
      </>
    );
  else
    body = (
      <>
        <p>
          Two-factor sign-in is <strong>off</strong>. With it on, signing in needs your password and a code from an
          authenticator app on your phone, so a stolen password alone is not enough.
        </p>
        <TwoFactorSetup
          onEnabled={(answer) => {
            setRecoveryCodes(answer.recoveryCodes);
            refresh();
          }}
        />
      </>
    );

  return (
    <section className="form-page" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Sign-in security
      </h1>
      {body}
    </section>
  );
}
