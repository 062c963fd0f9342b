import { useEffect, useState } from 'react';
import { startCartSync } from '../cart/cart-sync';
import { useSession } from '../session/session-context';

/** Keeps the signed-in buyer's cart in step with the server, and says when it had to be reloaded. */
export function CartSync() {
  const { user } = useSession();
  const userId = user?.id;
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => (userId ? startCartSync(userId, { notify: setMessage }) : undefined), [userId]);
  return <div aria-live="polite">{message && <p className="notice notice-info">{message}</p>}</div>;
}
