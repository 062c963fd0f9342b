import { LIMITS } from '../api/contracts';

export type FieldErrors = Record<string, string>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function checkEmail(email: string): string | null {
  if (!email.trim()) return 'Enter your email address.';
  if (email.length > LIMITS.emailMax || !EMAIL.test(email.trim())) return 'Enter an email address like name@example.com.';
  return null;
}

/** bcrypt reads at most 72 bytes, so longer passwords are refused rather than silently cut. */
export function checkNewPassword(password: string): string | null {
  const bytes = byteLength(password);
  if (bytes < LIMITS.passwordMinBytes) return `Use at least ${LIMITS.passwordMinBytes} characters.`;
  if (bytes > LIMITS.passwordMaxBytes) {
    return `Use at most ${LIMITS.passwordMaxBytes} bytes (fewer if you use accents or emoji).`;
  }
  return null;
}

export function checkUsername(username: string): string | null {
  const name = username.trim();
  if (name.length < LIMITS.usernameMin || name.length > LIMITS.usernameMax) {
    return `Use ${LIMITS.usernameMin} to ${LIMITS.usernameMax} characters.`;
  }
  return null;
}

/** Keeps only the messages that exist, so `Object.keys(errors).length` says whether the form is valid. */
export function collectErrors(checks: Record<string, string | null>): FieldErrors {
  return Object.fromEntries(Object.entries(checks).filter((entry): entry is [string, string] => entry[1] !== null));
}

/** Moves focus to the first field that needs attention, in form order. */
export function focusFirstError(errors: FieldErrors, order: readonly string[], idPrefix: string): void {
  const first = order.find((name) => errors[name]);
  if (first) document.getElementById(`${idPrefix}-${first}`)?.focus();
}
