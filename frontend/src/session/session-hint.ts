// Not a credential: only the id of the last signed-in user, so an anonymous visit skips a pointless GET /me.
const KEY = 'market.session-user';

export function readSessionHint(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function writeSessionHint(userId: string | null): void {
  try {
    if (userId) localStorage.setItem(KEY, userId);
    else localStorage.removeItem(KEY);
  } catch {
    // Storage can be unavailable (private mode, quota); the session still works without the hint.
  }
}
