/**
 * Constants of the public HTTP API (DESIGN section 5), shared by the services and the SPA. The
 * shapes themselves are zod schemas in ./api (one definition: validation, types, OpenAPI); the
 * SPA imports their types only, so zod never reaches its bundle.
 */
export const ROLES = ['buyer', 'seller', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const SIGNUP_ROLES = ['buyer', 'seller'] as const;
export type SignupRole = (typeof SIGNUP_ROLES)[number];

/** Header a cross-site form cannot send; required on every state-changing request. */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'marketplace';

/**
 * The session cookies' names. Over HTTPS the prefixes make the browser enforce how they were set:
 * `__Host-` (Secure, Path=/, no Domain: no sibling subdomain and no plain-http page can plant or
 * overwrite it) and `__Secure-` (Secure). Browsers refuse a prefixed cookie without Secure, so
 * plain-http development (COOKIE_SECURE=false) uses the unprefixed names.
 */
export const SESSION_COOKIES = {
  secure: { access: '__Host-access_token', refresh: '__Secure-refresh_token' },
  plain: { access: 'access_token', refresh: 'refresh_token' },
} as const;

export const LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  emailMax: 254,
  passwordMinBytes: 10,
  passwordMaxBytes: 72,
  productNameMax: 120,
  productDescriptionMax: 5000,
  imagesPerProductMax: 5,
  imageAltMax: 250,
  priceMax: '999999.99',
  stockMax: 1_000_000,
  /** A search needs a letter or digit: punctuation alone names no word to look for. */
  searchMinLettersOrDigits: 1,
  searchMax: 100,
  /** Words of a search beyond this many are ignored (each one is a term of the full-text query). */
  searchTermsMax: 8,
  pageSizeMax: 100,
  quantityMin: 1,
  quantityMax: 99,
  orderLinesMax: 50,
  idempotencyKeyMax: 128,
} as const;

export const CATEGORIES = ['books', 'clothing', 'electronics', 'garden', 'home', 'sports', 'toys', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Money travels as a decimal string with exactly two places, e.g. "19.99". */
export type Money = string;
export const MONEY_PATTERN = /^(0|[1-9]\d{0,8})\.\d{2}$/;

/** `relevance` applies to a search (`q`); it is the default then, and `newest` without one. */
export const PRODUCT_SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'name'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export const ORDER_STATUSES = ['PENDING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Why products refused an order's stock (the reasons an inventory.result carries). */
export const STOCK_FAILURE_REASONS = ['OUT_OF_STOCK', 'PRICE_CHANGED', 'PRODUCT_UNAVAILABLE', 'OWN_PRODUCT'] as const;
/** Why an order FAILED: a stock reason, or TIMED_OUT when no answer came within ORDER_DEADLINE_SECONDS. */
export const FAILURE_REASONS = [...STOCK_FAILURE_REASONS, 'TIMED_OUT'] as const;
export type StockFailureReason = (typeof STOCK_FAILURE_REASONS)[number];
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Fixed ids of the demo accounts, so every service's demo seed agrees without reading another's database. */
export const DEMO_USERS = {
  buyer: { id: '00000000-0000-4000-8000-000000000001', username: 'demo-buyer', email: 'buyer@demo.local' },
  seller: { id: '00000000-0000-4000-8000-000000000002', username: 'demo-seller', email: 'seller@demo.local' },
  /** Owns part of the demo catalog; has no login. */
  otherSeller: { id: '00000000-0000-4000-8000-000000000004', username: 'acme-outlet' },
} as const;

/** A Redis stream entry id, e.g. `1733000000000-0`. */
export const STREAM_ID_PATTERN = /^\d{1,20}-\d{1,20}$/;

export const DEAD_LETTER_ORDERS = ['newest', 'oldest'] as const;
export type DeadLetterOrder = (typeof DEAD_LETTER_ORDERS)[number];
