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
  /** Saved shipping addresses per user. */
  addressesPerUserMax: 10,
  addressNameMax: 100,
  addressLineMax: 200,
  addressCityMax: 100,
  addressPostalCodeMax: 20,
  addressRegionMax: 100,
  addressPhoneMax: 30,
  carrierMax: 60,
  trackingNumberMax: 60,
  moderationReasonMin: 3,
  moderationReasonMax: 500,
} as const;

/** ISO 3166-1 alpha-2: the countries a shipping address may name. */
export const COUNTRY_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
  'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
  'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
  'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
  'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

export const CATEGORIES = ['books', 'clothing', 'electronics', 'garden', 'home', 'sports', 'toys', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Money travels as a decimal string with exactly two places, e.g. "19.99". */
export type Money = string;
export const MONEY_PATTERN = /^(0|[1-9]\d{0,8})\.\d{2}$/;

/** `relevance` applies to a search (`q`); it is the default then, and `newest` without one. */
export const PRODUCT_SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'name'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
/** A seller's own list sorts by these; stock lets them find what runs out. */
export const MY_PRODUCT_SORTS = ['newest', 'name', 'price_asc', 'price_desc', 'stock'] as const;
export type MyProductSort = (typeof MY_PRODUCT_SORTS)[number];
/** `unlisted`: an admin took the product out of the catalog, with a reason its seller sees; only an admin relists it. */
export const PRODUCT_STATUSES = ['active', 'archived', 'unlisted'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const ORDER_STATUSES = ['PENDING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/**
 * The fulfilment of one seller's part of a COMPLETED order (the lines of that seller):
 * CONFIRMED → SHIPPED (carrier, tracking number) → DELIVERED.
 */
export const PART_STATES = ['CONFIRMED', 'SHIPPED', 'DELIVERED'] as const;
export type PartState = (typeof PART_STATES)[number];

/**
 * Whether nothing more can happen to the order: FAILED, CANCELLED, or COMPLETED with every part
 * delivered. Its event stream ends there, and the SPA stops following it.
 */
export function isOrderFinal(order: { status: OrderStatus; parts: readonly { state: PartState }[] }): boolean {
  if (order.status === 'COMPLETED') return order.parts.length > 0 && order.parts.every((p) => p.state === 'DELIVERED');
  return order.status !== 'PENDING';
}
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
