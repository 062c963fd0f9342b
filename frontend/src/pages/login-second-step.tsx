import { useState, type FormEvent } from 'react';
import type { SecondStepRequired, TwoFactorEnabled } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { Field } from '../components/field';
import { ErrorState } from '../components/status-views';
import { CODE_ERRORS, RecoveryCodes, TwoFactorSetup, useFocusOnMount } from '../components/two-factor-setup';
import { usePageTitle } from '../lib/use-page-title';
import { useSession } from '../session/session-context';

interface Props {
  step: SecondStepRequired;
  onDone: () => void;
  /** Back to email and password (the challenge expired, or another account). */
  onRestart: () => void;
}

/** After a right password: a code from the app or a recovery code, or (an admin without TOTP) setting it up. */
export function SecondStep({ step, onDone, onRestart }: Props) {
  usePageTitle(step.secondStep === 'code' ? 'Two-factor sign-in' : 'Set up two-factor sign-in');
  return (
    <section className="form-page" aria-labelledby="page-title">
      {step.secondStep === 'code' ? (
        <CodeStep challenge={step.challenge} onDone={onDone} />
      ) : (
        <EnrolStep challenge={step.challenge} onDone={onDone} />
      )}
      <p>
        <button type="button" className="button-link" onClick={onRestart}>
          Start again with email and password
        </button>
      </p>
    </section>
  );
}

function CodeStep({ challenge, onDone }: { challenge: string; onDone: () => void }) {
  const { loginSecondStep } = useSession();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useFocusOnMount<HTMLHeadingElement>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (code.trim().length < 6) return setError('Enter the 6-digit code from your app, or a recovery code.');
    setBusy(true);
    setError(null);
    try {
      await loginSecondStep({ challenge, code: code.trim() });
      onDone();
    } catch (caught) {
      setError(describeError(caught, CODE_ERRORS).message);
      setBusy(false);
    }
  };

  return (
    <>
      <h1 id="page-title" tabIndex={-1} ref={heading}>
        Two-factor sign-in
      </h1>
      {error && <ErrorState message={error} />}
      <form noValidate onSubmit={(event) => void submit(event)}>
        <Field
          id="login-code"
          label="Code"
          hint="The 6-digit code your authenticator app shows, or one of your recovery codes."
        >
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
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Checking…' : 'Log in'}
        </button>
      </form>
    </>
  );
}

function EnrolStep({ challenge, onDone }: { challenge: string; onDone: () => void }) {
  const { signedIn } = useSession();
  const [enabled, setEnabled] = useState<TwoFactorEnabled | null>(null);
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const finish = () => {
    if (enabled?.user) signedIn(enabled.user);
    onDone();
  };
  return (
    <>
      <h1 id="page-title" tabIndex={-1} ref={heading}>
        Set up two-factor sign-in
      </h1>
      {enabled ? (
        <RecoveryCodes codes={enabled.recoveryCodes} onDone={finish} />
      ) : (
        <>
          <p>Administrators must sign in with a code from an authenticator app. Set it up now to continue.</p>
          <TwoFactorSetup challenge={challenge} onEnabled={setEnabled} />
        </>
      )}
    </>
  );
}
