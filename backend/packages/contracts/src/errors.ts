/**
 * The one catalog of error codes shared by every service and the SPA.
 * Each code carries the HTTP status it is answered with unless a caller says otherwise.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  /** Placing an order and listing a product need an account whose email address is verified. */
  EMAIL_NOT_VERIFIED: 403,
  /** A password-reset or verification link that is unknown, used or expired. */
  INVALID_TOKEN: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  VERSION_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** A product may have at most LIMITS.imagesPerProductMax images. */
  TOO_MANY_IMAGES: 409,
  /** A user may save at most LIMITS.addressesPerUserMax shipping addresses. */
  TOO_MANY_ADDRESSES: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  /** An upload that is not a readable image within the pixel limit. */
  IMAGE_REJECTED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
  /** The order pipeline is behind by more than its bound: try again after Retry-After seconds. */
  OVERLOADED: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export interface FieldError {
  /** Dotted path of the offending field, e.g. `items.0.quantity`. */
  field: string;
  message: string;
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: FieldError[];
  };
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}
