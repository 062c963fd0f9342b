import { useState } from 'react';
import { describeError, isNotFound } from '../api/error-messages';
import { useSession } from '../session/session-context';

// Remembered for the tab so the buttons stay hidden once the server said demo mode is off.
const DEMO_OFF_KEY = 'market.demo-off';

function demoKnownOff(): boolean {
  try {
    return sessionStorage.getItem(DEMO_OFF_KEY) === '1';
  } catch {
    return false;
  }
}

export function DemoLogin({ onDone }: { onDone: () => void }) {
  const { demoLogin } = useSession();
  const [hidden, setHidden] = useState(demoKnownOff);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const start = async (who: 'buyer' | 'seller') => {
    setBusy(true);
    setMessage(null);
    try {
      await demoLogin(who);
      onDone();
    } catch (caught) {
      if (isNotFound(caught)) {
        try {
          sessionStorage.setItem(DEMO_OFF_KEY, '1');
        } catch {
          // hidden for this page only
        }
        setHidden(true);
        setMessage('Demo accounts are turned off on this server.');
      } else {
        setMessage(describeError(caught).message);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="demo" aria-labelledby="demo-title">
      <h2 id="demo-title">Just looking?</h2>
      {!hidden && (
        <div className="inline">
          <button type="button" className="button" disabled={busy} onClick={() => void start('buyer')}>
            Try as demo buyer
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => void start('seller')}>
            Try as demo seller
          </button>
        </div>
      )}
      {!hidden && (
        <p className="muted">
          The demo administrator (admin@demo.local) signs in without a second factor; on a real server every
          administrator must use two-factor sign-in.
        </p>
      )}
      <div aria-live="polite">{message && <p className="notice notice-info">{message}</p>}</div>
      {hidden && !message && <p className="muted">Demo accounts are not available on this server.</p>}
    </section>
  );
}
