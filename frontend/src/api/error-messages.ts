import axios from 'axios';
import { isErrorCode, type ErrorCode, type FieldError } from './contracts';

const SENTENCES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Some fields need attention. Check the messages next to them.',
  MALFORMED_JSON: 'The request could not be read. Please try again.',
  UNAUTHENTICATED: 'Please log in to continue.',
  INVALID_CREDENTIALS: 'That email and password do not match an account.',
  FORBIDDEN: 'Your account is not allowed to do that.',
  CSRF_FAILED: 'The request was blocked as a security precaution. Reload the page and try again.',
  NOT_FOUND: 'We could not find what you were looking for.',
  CONFLICT: 'That conflicts with something that already exists.',
  VERSION_CONFLICT: 'Someone else changed this while you were editing it.',
  PAYLOAD_TOO_LARGE: 'That is too large to send. Shorten it and try again.',
  UNSUPPORTED_MEDIA_TYPE: 'The request was sent in a format the server does not accept.',
  IDEMPOTENCY_KEY_REUSED: 'This checkout was already submitted with a different cart. Review your cart and try again.',
  RATE_LIMITED: 'Too many attempts. Please wait a moment and try again.',
  INTERNAL: 'Something went wrong on our side. Please try again.',
  SERVICE_UNAVAILABLE: 'The service is temporarily unavailable. Please try again shortly.',
};

export interface DescribedError {
  code: ErrorCode | 'NETWORK' | 'UNKNOWN';
  status: number | null;
  message: string;
  /** Field name (dotted path) to a sentence, for messages shown next to form fields. */
  fields: Record<string, string>;
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
    const message = overrides.UNKNOWN ?? `The server answered unexpectedly (status ${response.status}). Please try again.`;
    return { code: 'UNKNOWN', status: response.status, message, fields: {} };
  }
  const code = body.code;
  const fallback = code === 'RATE_LIMITED' ? retryAfterSentence(response.headers['retry-after']) : SENTENCES[code];
  return {
    code,
    status: response.status,
    message: overrides[code] ?? fallback,
    fields: fieldMessages(Array.isArray(body.details) ? body.details : undefined),
  };
}

export function isNotFound(error: unknown): boolean {
  return axios.isAxiosError(error) && error.response?.status === 404;
}
