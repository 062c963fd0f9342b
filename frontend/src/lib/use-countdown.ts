import { useEffect, useState } from 'react';

/**
 * Whole seconds left of a wait (say, the Retry-After of a busy server), ticking down to 0.
 * One timer per second rather than an interval, so a new `start` simply replaces the old wait.
 */
export function useCountdown() {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => setLeft((seconds) => seconds - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  return { left, start: setLeft };
}
