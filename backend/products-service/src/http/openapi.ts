import { CATEGORIES, LIMITS, PRODUCT_SORTS } from '@market/contracts';
import { buildOpenApiDocument, openApi, type OpenApiOperation } from '@market/kit';
import { CATALOG_COUNT_CAP, SEARCH_COUNT_CAP } from '../domain/catalog';

const { ref, body, ok, error } = openApi;

const session = { accessCookie: [] };
const sellerWrite: Record<string, string[]>[] = [{ ...session, csrfHeader: [] }, { bearer: [], csrfHeader: [] }];
const sellerRead: Record<string, string[]>[] = [session, { bearer: [] }];
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const pageParams = [
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
  { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: LIMITS.pageSizeMax, default: 20 } },
];
const guarded = {
  '400': error('VALIDATION_FAILED (details name each field), MALFORMED_JSON'),
  '401': error('UNAUTHENTICATED'),
  '403': error('FORBIDDEN (not a seller, or not the owner or an admin) or CSRF_FAILED'),
  '413': error('PAYLOAD_TOO_LARGE'),
};

const paths: Record<string, Record<string, OpenApiOperation>> = {
  '/api/products': {
    get: {
      summary: 'Search active products',
      parameters: [
        {
          name: 'q',
          in: 'query',
          description: `Text found in the name or description (taken literally). Needs at least ${LIMITS.searchMinLettersOrDigits} letters or digits, so the trigram index can answer it; fewer answer 400 VALIDATION_FAILED naming query.q. Empty means no search.`,
          schema: { type: 'string', maxLength: LIMITS.searchMax },
        },
        { name: 'category', in: 'query', schema: { type: 'string', enum: CATEGORIES } },
        { name: 'sort', in: 'query', schema: { type: 'string', enum: PRODUCT_SORTS, default: 'newest' } },
        ...pageParams,
      ],
      responses: { '200': ok('A page of active products', ref('ProductPage')), '400': guarded['400'] },
    },
    post: {
      summary: 'Create a product (seller or admin); the seller name is taken from the access token',
      security: sellerWrite,
      requestBody: body('CreateProductRequest'),
      responses: { '201': ok('The new product', ref('Product')), ...guarded },
    },
  },
  '/api/products/categories': {
    get: { summary: 'The categories a product may have', responses: { '200': ok('Categories', { type: 'object', properties: { data: { type: 'array', items: { type: 'string', enum: CATEGORIES } } } }) } },
  },
  '/api/products/mine': {
    get: {
      summary: "The caller's products, archived ones included",
      security: sellerRead,
      parameters: pageParams,
      responses: { '200': ok('A page of products', ref('ProductPage')), '401': guarded['401'], '403': guarded['403'] },
    },
  },
  '/api/products/{id}': {
    get: {
      summary: 'One product; an archived one only for its seller or an admin',
      parameters: [idParam],
      responses: { '200': ok('The product', ref('Product')), '404': error('NOT_FOUND') },
    },
    patch: {
      summary: 'Edit a product (owner or admin), based on the version the edit started from',
      security: sellerWrite,
      parameters: [idParam],
      requestBody: body('UpdateProductRequest'),
      responses: {
        '200': ok('The updated product (version + 1)', ref('Product')),
        ...guarded,
        '404': error('NOT_FOUND'),
        '409': error('VERSION_CONFLICT: the product changed (an edit or a sale) since that version; nothing was changed'),
      },
    },
    delete: {
      summary: 'Archive a product (owner or admin); orders keep their snapshots',
      security: sellerWrite,
      parameters: [idParam, { name: 'version', in: 'query', description: 'Archive only if still at this version', schema: { type: 'integer', minimum: 1 } }],
      responses: { '200': ok('The archived product', ref('Product')), ...guarded, '404': error('NOT_FOUND'), '409': error('VERSION_CONFLICT') },
    },
  },
};

const money = { type: 'string', pattern: '^\\d+\\.\\d{2}$', example: '19.99', description: 'Exact decimal with two places' };
const priceInput = {
  oneOf: [{ type: 'string', pattern: '^\\d{1,6}(\\.\\d{1,2})?$' }, { type: 'number', exclusiveMinimum: 0, multipleOf: 0.01 }],
  description: `Greater than 0, at most two decimals, at most ${LIMITS.priceMax}`,
};
const editable = {
  name: { type: 'string', minLength: 1, maxLength: LIMITS.productNameMax },
  description: { type: 'string', maxLength: LIMITS.productDescriptionMax },
  category: { type: 'string', enum: CATEGORIES },
  price: priceInput,
  stock: { type: 'integer', minimum: 0, maximum: LIMITS.stockMax },
  imageUrl: { type: ['string', 'null'], format: 'uri', maxLength: LIMITS.imageUrlMax, description: 'http or https only' },
};

export const openApiDocument = buildOpenApiDocument({
  title: 'Marketplace products-service',
  description: 'The catalog: public search and seller management with optimistic concurrency.',
  security: ['accessCookie', 'bearer', 'csrfHeader'],
  paths,
  schemas: {
    Product: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        sellerId: { type: 'string', format: 'uuid' },
        sellerName: { type: 'string' },
        name: { type: 'string' },
        description: { type: 'string' },
        category: { type: 'string', enum: CATEGORIES },
        price: money,
        stock: { type: 'integer', minimum: 0 },
        imageUrl: { type: ['string', 'null'] },
        status: { type: 'string', enum: ['active', 'archived'] },
        version: { type: 'integer', minimum: 1 },
        createdAt: { type: 'string', format: 'date-time' },
        updatedAt: { type: 'string', format: 'date-time' },
      },
    },
    ProductPage: {
      type: 'object',
      properties: {
        data: { type: 'array', items: ref('Product') },
        pagination: {
          type: 'object',
          required: ['page', 'pageSize', 'total', 'totalPages'],
          properties: {
            page: { type: 'integer' },
            pageSize: { type: 'integer' },
            total: { type: 'integer', description: 'Matching products; exact unless totalCapped' },
            totalPages: { type: 'integer', description: 'Pages up to total' },
            totalCapped: {
              type: 'boolean',
              description:
                `True when counting stopped at total: more products match, so a next page exists. The public list counts up to ${CATALOG_COUNT_CAP} matches (${SEARCH_COUNT_CAP} for a text search), or to the end of the requested page when that lies further; pages beyond still answer. False: total is exact.`,
            },
          },
        },
      },
    },
    CreateProductRequest: { type: 'object', additionalProperties: false, required: ['name', 'category', 'price', 'stock'], properties: editable },
    UpdateProductRequest: {
      type: 'object',
      additionalProperties: false,
      required: ['version'],
      minProperties: 2,
      properties: { version: { type: 'integer', minimum: 1 }, ...editable },
    },
  },
});
