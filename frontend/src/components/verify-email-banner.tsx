import { useState } from 'react';
import { resendVerification } from '../api/auth-api';
import { describeError } from '../api/error-messages';

/** Shown to a signed-in user whose address is not confirmed yet: browsing and the cart work, ordering and selling wait. */
export default function VerifyEmailBanner({ email }: { email: string }) {
  const [state, setState] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });

  const resend = async () => {
    setState({ busy: true, message: null });
    try {
      setState({ busy: false, message: (await resendVerification()).message });
    } catch (caught) {
      setState({ busy: false, message: describeError(caught).message });
    }
  };

  return (
    <div className="notice notice-info verify-banner" role="region" aria-label="Email address not confirmed">
      <p>
        Confirm your email address ({email}) to place orders and list products: open the link we mailed you.{' '}
        <button type="button" className="button" disabled={state.busy} onClick={() => void resend()}>
          {state.busy ? 'Sending…' : 'Send the link again'}
        </button>
      </p>
      {state.message && <p role="status">{state.message}</p>}
    </div>
  );
}
