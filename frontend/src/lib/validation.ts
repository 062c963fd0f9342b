import type { FieldErrors as FormErrors, FieldValues, Path, Resolver, UseFormSetError } from 'react-hook-form';
import { CONTRACT_RULES, LIMITS } from '../api/contracts';

/** The server's rules for the sign-up fields, generated from the contracts. */
const SIGNUP = CONTRACT_RULES.signup;
const USERNAME_PATTERN = new RegExp(SIGNUP.username.pattern, 'u');

export type FieldErrors = Record<string, string>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function checkEmail(email: string): string | null {
  if (!email.trim()) return 'Enter your email address.';
  if (email.trim().length > SIGNUP.email.maxLength || !EMAIL.test(email.trim()))
    return 'Enter an email address like name@example.com.';
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
  const { minLength, maxLength } = SIGNUP.username;
  if (name.length < minLength || name.length > maxLength) return `Use ${minLength} to ${maxLength} characters.`;
  if (!USERNAME_PATTERN.test(name)) return `${capitalize(SIGNUP.username.messages['string.pattern.base'])}.`;
  return null;
}

function capitalize(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** Keeps only the messages that exist, so `Object.keys(errors).length` says whether the form is valid. */
export function collectErrors(checks: Record<string, string | null>): FieldErrors {
  return Object.fromEntries(Object.entries(checks).filter((entry): entry is [string, string] => entry[1] !== null));
}

/**
 * A react-hook-form resolver from one check of the whole form: the same rules (the contracts' limits)
 * decide what is sent, and their sentences appear next to the fields.
 */
export function resolverFrom<T extends FieldValues>(check: (values: T) => FieldErrors): Resolver<T> {
  return (values) => {
    const errors = check(values);
    if (Object.keys(errors).length === 0) return { values, errors: {} };
    const fieldErrors = Object.fromEntries(
      Object.entries(errors).map(([name, message]) => [name, { type: 'validate', message }]),
    );
    return { values: {}, errors: fieldErrors as FormErrors<T> };
  };
}

/** Puts the server's field messages (VALIDATION_FAILED details) next to the fields this form has. */
export function showServerErrors<T extends FieldValues>(
  setError: UseFormSetError<T>,
  fields: FieldErrors,
  names: readonly Path<T>[],
): void {
  for (const name of names) {
    const message = fields[name];
    if (message) setError(name, { type: 'server', message });
  }
}
