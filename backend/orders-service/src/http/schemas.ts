import { FAILURE_REASONS, LIMITS, MONEY_PATTERN, ORDER_STATUSES } from '@market/contracts';
import { errorEnvelopeSchema } from '@market/kit';

/**
 * JSON schemas of the orders API: Fastify validates requests and serializes responses with
 * them, and @fastify/swagger turns them into the OpenAPI document. Shapes follow contracts/http.ts.
 */

/** Idempotency keys: what a UUID, a ULID or a client's own token looks like; no spaces or quotes. */
export const IDEMPOTENCY_KEY_MAX = LIMITS.idempotencyKeyMax;
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._:-]+$';
export const DEFAULT_PAGE_SIZE = 20;

const money = { type: 'string', pattern: MONEY_PATTERN.source, examples: ['19.99'] } as const;
const nullableMoney = { type: ['string', 'null'], pattern: MONEY_PATTERN.source } as const;
const uuid = { type: 'string', format: 'uuid' } as const;
const timestamp = { type: 'string', format: 'date-time' } as const;

export const orderItemSchema = {
  type: 'object',
  required: ['productId', 'productName', 'sellerId', 'quantity', 'unitPrice'],
  properties: {
    productId: uuid,
    productName: { type: ['string', 'null'] },
    sellerId: { type: ['string', 'null'] },
    quantity: { type: 'integer' },
    unitPrice: money,
  },
} as const;

export const orderSchema = {
  type: 'object',
  required: ['id', 'status', 'reason', 'total', 'items', 'createdAt', 'updatedAt'],
  properties: {
    id: uuid,
    status: { type: 'string', enum: [...ORDER_STATUSES] },
    reason: { type: ['string', 'null'], enum: [...FAILURE_REASONS, null] },
    total: nullableMoney,
    items: { type: 'array', items: orderItemSchema },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
} as const;

export const saleSchema = {
  type: 'object',
  required: ['orderId', 'productId', 'productName', 'quantity', 'unitPrice', 'status', 'createdAt'],
  properties: {
    orderId: uuid,
    productId: uuid,
    productName: { type: ['string', 'null'] },
    quantity: { type: 'integer' },
    unitPrice: money,
    status: { type: 'string', enum: [...ORDER_STATUSES] },
    createdAt: timestamp,
  },
} as const;

const paginationSchema = {
  type: 'object',
  required: ['page', 'pageSize', 'total', 'totalPages'],
  properties: { page: { type: 'integer' }, pageSize: { type: 'integer' }, total: { type: 'integer' }, totalPages: { type: 'integer' } },
} as const;

export const pageOf = (item: object) => ({
  type: 'object',
  required: ['data', 'pagination'],
  properties: { data: { type: 'array', items: item }, pagination: paginationSchema },
});

/** The error answers a route can give, each in the shared envelope. */
export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, errorEnvelopeSchema]));

export const placeOrderBody = {
  type: 'object',
  required: ['items'],
  additionalProperties: false,
  properties: {
    items: {
      type: 'array',
      minItems: 1,
      maxItems: LIMITS.orderLinesMax,
      items: {
        type: 'object',
        required: ['productId', 'quantity', 'unitPrice'],
        additionalProperties: false,
        properties: {
          productId: uuid,
          quantity: { type: 'integer', minimum: LIMITS.quantityMin, maximum: LIMITS.quantityMax },
          /** The price the buyer saw; the catalog decides whether it still holds. */
          unitPrice: money,
        },
      },
    },
  },
} as const;

export const idempotencyHeaders = {
  type: 'object',
  required: ['idempotency-key'],
  properties: {
    'idempotency-key': { type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX, pattern: IDEMPOTENCY_KEY_PATTERN },
  },
} as const;

export const orderIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: uuid },
} as const;

export const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100_000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: LIMITS.pageSizeMax, default: DEFAULT_PAGE_SIZE },
  },
} as const;

export interface PageQuery {
  page: number;
  pageSize: number;
}
