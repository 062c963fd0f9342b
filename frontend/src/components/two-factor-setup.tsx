import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { TwoFactorEnabled, TwoFactorSetup as Setup } from '../api/contracts';
import { describeError, type MessageOverrides } from '../api/error-messages';
import { Field } from './field';
import { ErrorState } from './status-views';

const loadApi = () => import('../api/two-factor-api');

/** What a refused code means to the person typing it. */
export const CODE_ERRORS: MessageOverrides = {
  INVALID_CREDENTIALS: 'That code is not valid. Each code works only once: wait for the next one from your app.',
  UNAUTHENTICATED: 'This sign-in has expired. Start again with your email and password.',
};

/** The QR code as inline SVG (no image source, so any img-src policy allows it). */
function QrCode({ qrCode }: { qrCode: Setup['qrCode'] }) {
  const quiet = 4;
  const side = qrCode.size + 2 * quiet;
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label="QR code to scan with your authenticator app"
      viewBox={`${-quiet} ${-quiet} ${side} ${side}`}
      width="200"
      height="200"
      shapeRendering="crispEdges"
    >
      <rect x={-quiet} y={-quiet} width={side} height={side} fill="#fff" />
      <path d={qrCode.path} fill="#000" />
    </svg>
  );
}

/** Moves focus to a heading that replaced the content the user was on (a step, not a new route). */
export function useFocusOnMount<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

/** Recovery codes, shown once: copy or download them. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const text = `${codes.join('\n')}\n`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'marketplace-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <section className="notice notice-warning" aria-labelledby="recovery-title">
      <h2 id="recovery-title" tabIndex={-1} ref={heading}>
        Save your recovery codes
      </h2>
      <p>
        If you lose your phone, each of these codes signs you in once instead of a code from the app. They are shown
        only now.
      </p>
      <ul className="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="inline">
        <button type="button" className="button" onClick={() => void copy()}>
          Copy codes
        </button>
        <button type="button" className="button" onClick={download}>
          Download codes
        </button>
        <button type="button" className="button button-primary" onClick={onDone}>
          I have saved them
        </button>
      </div>
      <p aria-live="polite">{copied ? 'Copied.' : ''}</p>
    </section>
  );
}

/**
 * Setting up two-factor sign-in: a new secret as a QR code and a key to type, then the first code
 * from the app turns it on. `challenge`: an admin finishing a sign-in by enrolling.
 */
export function TwoFactorSetup({
  challenge,
  onEnabled,
}: {
  challenge?: string;
  onEnabled: (answer: TwoFactorEnabled) => void;
}) {
  const [setup, setSetup] = useState<Setup | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setSetup(await (await loadApi()).startTwoFactorSetup(challenge));
    } catch (caught) {
      setError(describeError(caught, CODE_ERRORS).message);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code.trim())) return setError('Enter the 6-digit code your app shows.');
    setBusy(true);
    setError(null);
    try {
      onEnabled(await (await loadApi()).enableTwoFactor(code.trim(), challenge));
    } catch (caught) {
      setError(describeError(caught, CODE_ERRORS).message);
      setBusy(false);
    }
  };

  if (!setup)
    return (
      <div>
        {error && <ErrorState message={error} />}
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void start()}>
          Set up two-factor sign-in
        </button>
      </div>
    );

  return (
    <div className="two-factor-setup">
      <ol>
        <li>
          <p>Scan this QR code with an authenticator app (for example Google Authenticator, Aegis or 1Password).</p>
          <QrCode qrCode={setup.qrCode} />
        </li>
        <li>
          <p>
            Or type this key into the app: <code data-testid="totp-secret">{setup.secret}</code>
          </p>
        </li>
        <li>
          <form noValidate onSubmit={(event) => void confirm(event)}>
            <Field id="totp-confirm-code" label="Code from the app" error={error ?? undefined}>
              {(control) => (
                <input
                  {...control}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  value={code}
                  onChange={(event) => setCode(event.target.value)}
                />
              )}
            </Field>
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Checking…' : 'Turn on'}
            </button>
          </form>
        </li>
      </ol>
    </div>
  );
}
