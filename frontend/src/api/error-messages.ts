import axios from 'axios';
import { isErrorCode, type ErrorCode, type FieldError } from './contracts';

// OVERLOADED (503) carries Retry-After in seconds; without a usable one the orders service's own 2 s is assumed,
// and no wait longer than a minute is shown: the pipeline catches up well before that.
const OVERLOADED_WAIT_FALLBACK = 2;
const OVERLOADED_WAIT_MAX = 60;

const overloadedSentence = (seconds: number) => `The shop is busy right now — please try again in ${seconds} s.`;

const SENTENCES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Some fields need attention. Check the messages next to them.',
  MALFORMED_JSON: 'The request could not be read. Please try again.',
  UNAUTHENTICATED: 'Please log in to continue.',
  INVALID_CREDENTIALS: 'That email and password do not match an account.',
  FORBIDDEN: 'Your account is not allowed to do that.',
  CSRF_FAILED: 'The request was blocked as a security precaution. Reload the page and try again.',
  EMAIL_NOT_VERIFIED:
    'Confirm your email address first: open the link we mailed you, or send it again from the banner at the top.',
  INVALID_TOKEN: 'This link is no longer valid: it was used already, has expired, or is incomplete. Ask for a new one.',
  NOT_FOUND: 'We could not find what you were looking for.',
  METHOD_NOT_ALLOWED: 'That action is not available here. Reload the page and try again.',
  CONFLICT: 'That conflicts with something that already exists.',
  VERSION_CONFLICT: 'Someone else changed this while you were editing it.',
  PAYLOAD_TOO_LARGE: 'That is too large to send. Shorten it and try again.',
  UNSUPPORTED_MEDIA_TYPE: 'The request was sent in a format the server does not accept.',
  TOO_MANY_IMAGES: 'This product has as many pictures as it can have. Remove one first.',
  TOO_MANY_ADDRESSES: 'You have saved as many addresses as you can. Delete one you no longer use first.',
  IMAGE_REJECTED: 'The picture could not be read, or it has too many pixels. Try another file.',
  IDEMPOTENCY_KEY_REUSED: 'This checkout was already submitted with a different cart. Review your cart and try again.',
  RATE_LIMITED: 'Too many attempts. Please wait a moment and try again.',
  INTERNAL: 'Something went wrong on our side. Please try again.',
  SERVICE_UNAVAILABLE: 'The service is temporarily unavailable. Please try again shortly.',
  OVERLOADED: overloadedSentence(OVERLOADED_WAIT_FALLBACK),
};

export interface DescribedError {
  code: ErrorCode | 'NETWORK' | 'UNKNOWN';
  status: number | null;
  message: string;
  /** Field name (dotted path) to a sentence, for messages shown next to form fields. */
  fields: Record<string, string>;
  /** Whole seconds the server asked to wait before trying again (OVERLOADED only). */
  retryAfterSeconds?: number;
}

export type MessageOverrides = Partial<Record<DescribedError['code'], string>>;

function fieldMessages(details: FieldError[] | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const detail of details ?? []) {
    // joi quotes the field name ("\"password\" length must be…"); the label already names the field.
    const text = detail.message.replace(/^"[^"]*"\s*/, '');
    fields[detail.field] ??= text.charAt(0).toUpperCase() + text.slice(1);
  }
  return fields;
}

function retryAfterSentence(header: unknown): string {
  const seconds = Number(header);
  if (!Number.isFinite(seconds) || seconds <= 0) return SENTENCES.RATE_LIMITED;
  const unit = seconds === 1 ? 'second' : 'seconds';
  return `Too many attempts. Please wait ${Math.ceil(seconds)} ${unit} and try again.`;
}

/** Retry-After as whole seconds, 1 to the cap. An HTTP date is valid there too, but no service sends one. */
function overloadedWait(header: unknown): number {
  const text = typeof header === 'string' || typeof header === 'number' ? String(header).trim() : '';
  if (!/^\d+(\.\d+)?$/.test(text)) return OVERLOADED_WAIT_FALLBACK;
  return Math.min(OVERLOADED_WAIT_MAX, Math.max(1, Math.ceil(Number(text))));
}

/** Turns anything a request can throw into a sentence for people, never a stack or raw server text. */
export function describeError(error: unknown, overrides: MessageOverrides = {}): DescribedError {
  if (!axios.isAxiosError(error)) {
    return { code: 'UNKNOWN', status: null, message: overrides.UNKNOWN ?? SENTENCES.INTERNAL, fields: {} };
  }
  const response = error.response;
  if (!response) {
    const message = overrides.NETWORK ?? 'Could not reach the server. Check your connection and try again.';
    return { code: 'NETWORK', status: null, message, fields: {} };
  }
  const body = (response.data as { error?: { code?: unknown; details?: FieldError[] } } | undefined)?.error;
  if (!body || !isErrorCode(body.code)) {
    const message =
      overrides.UNKNOWN ?? `The server answered unexpectedly (status ${response.status}). Please try again.`;
    return { code: 'UNKNOWN', status: response.status, message, fields: {} };
  }
  const code = body.code;
  const fields = fieldMessages(Array.isArray(body.details) ? body.details : undefined);
  if (code === 'OVERLOADED') {
    const seconds = overloadedWait(response.headers['retry-after']);
    const message = overrides[code] ?? overloadedSentence(seconds);
    return { code, status: response.status, message, fields, retryAfterSeconds: seconds };
  }
  const fallback = code === 'RATE_LIMITED' ? retryAfterSentence(response.headers['retry-after']) : SENTENCES[code];
  return { code, status: response.status, message: overrides[code] ?? fallback, fields };
}

export function isNotFound(error: unknown): boolean {
  return axios.isAxiosError(error) && error.response?.status === 404;
}

/** A link to something that is not there: unknown (404) or not even a well-formed id (400). */
export function isBadLink(error: unknown): boolean {
  return isNotFound(error) || (axios.isAxiosError(error) && error.response?.status === 400);
}
