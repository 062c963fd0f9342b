import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { LIMITS, MONEY_PATTERN } from '../http';

/**
 * What a zod definition cannot say by itself but the services' validators must do: a named
 * behaviour a service supplies (`kind`), joi message templates, and "at least one of these keys".
 * The joi converter in the kit reads these and refuses a kind nobody registered.
 */
export interface ContractRules {
  kind?: string;
  /** joi message templates by joi error code; `{{#label}}` is the field's path. */
  messages?: Record<string, string>;
  /** An object must carry at least one of these keys. */
  oneOrMoreOf?: readonly string[];
  /** An object must carry at least this many keys (unknown ones count, and are refused on their own). */
  minKeys?: number;
}

export const contractRules = z.registry<ContractRules>();

/** A copy of `schema` carrying `rules`; apply it after the checks (a later check makes a copy without them). */
export function withRules<T extends z.ZodType>(schema: T, rules: ContractRules): T {
  const copy = schema.clone();
  contractRules.add(copy, rules);
  return copy;
}

/** PostgreSQL text cannot hold NUL; refusing it at the edge keeps it from becoming a 500. */
// eslint-disable-next-line no-control-regex -- NUL is exactly the character refused
export const NO_NUL_PATTERN = /^[^\u0000]*$/;
export const noNulMessage = '{{#label}} must not contain NUL characters';

/** Text a person typed: any characters but NUL. Further checks go before `asText`. */
export const asText = <T extends z.ZodString>(schema: T): T =>
  withRules(schema, { messages: { 'string.pattern.base': noNulMessage } });
export const text = () => z.string().regex(NO_NUL_PATTERN);

/** An id; any UUID version, as the databases generate v4 and the demo seeds use fixed ones. */
export const id = () => z.guid();
export const money = () =>
  z
    .string()
    .regex(MONEY_PATTERN)
    .meta({ description: 'Exact decimal with two places', examples: ['19.99'] });
export const timestamp = () => z.iso.datetime({ offset: true });

export const pageNumber = () => z.number().int().min(1).max(100_000).default(1);
export const pageSize = (fallback = 20) => z.number().int().min(1).max(LIMITS.pageSizeMax).default(fallback);
export const PageQuery = z.strictObject({ page: pageNumber(), pageSize: pageSize() });
export type PageQuery = z.output<typeof PageQuery>;

export const Pagination = z.strictObject({
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  totalPages: z.number().int(),
  totalCapped: z.boolean().optional().meta({
    description:
      'True when counting stopped at `total`: more items match, so at least one more page follows and `totalPages` counts only the pages up to `total`. Absent or false: `total` is exact.',
  }),
});
export type Pagination = z.output<typeof Pagination>;

export const pageOf = <T extends z.ZodType>(item: T) => z.strictObject({ data: z.array(item), pagination: Pagination });
export interface Page<T> {
  data: T[];
  pagination: Pagination;
}

const FieldError = z.strictObject({
  field: z.string().meta({ description: 'Dotted path of the offending field, e.g. `items.0.quantity`' }),
  message: z.string(),
});
/** `{ error: { code, message, details? } }`, what every error mapper writes. */
export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(ERROR_CODES as [string, ...string[]]),
    message: z.string(),
    details: z.array(FieldError).optional(),
  }),
});

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';
export type SecurityScheme = 'accessCookie' | 'refreshCookie' | 'bearer' | 'csrfHeader';

export interface ApiResponse {
  description: string;
  /** The JSON body; absent for an empty answer. */
  body?: z.ZodType;
  /** A body that is not JSON (an event stream), by content type. */
  contentType?: string;
  headers?: Record<string, { description?: string; schema: Record<string, unknown> }>;
}

/**
 * One HTTP operation: the one definition its server validation, its OpenAPI entry and the SPA's
 * checks come from. `path` is the public path in OpenAPI form (`/api/products/{id}`).
 */
export interface ApiOperation {
  method: HttpMethod;
  path: string;
  summary: string;
  description?: string;
  /** Alternatives, each a set of schemes sent together; absent for a public operation. */
  security?: SecurityScheme[][];
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /**
   * A multipart/form-data request instead of JSON: `body` then holds its text fields and this
   * names the one file field.
   */
  upload?: { field: string; description: string };
  responses: Record<number, ApiResponse>;
}

export const operation = <T extends ApiOperation>(op: T): T => op;

/** An error answer in the shared envelope. */
export const errorAnswer = (description: string): ApiResponse => ({ description, body: ErrorBodySchema });

/** A request body: a JSON object, closed to unknown keys. */
export const requestBody = <T extends z.core.$ZodLooseShape>(shape: T, rules: ContractRules = {}) =>
  withRules(z.strictObject(shape), rules);
