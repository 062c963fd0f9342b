import type { User } from './contracts';

interface SessionHooks {
  onRefreshed(user: User): void;
  onSessionEnded(): void;
}

let hooks: SessionHooks = { onRefreshed: () => {}, onSessionEnded: () => {} };

/**
 * The session provider listens here; the HTTP client reports here. Kept apart from the client so the
 * app shell can listen without loading axios before its first paint.
 */
export function setSessionHooks(next: SessionHooks): void {
  hooks = next;
}

export function reportRefreshed(user: User): void {
  hooks.onRefreshed(user);
}

export function reportSessionEnded(): void {
  hooks.onSessionEnded();
}
