import { z } from 'zod';
import { CATEGORIES, LIMITS, MY_PRODUCT_SORTS, PRODUCT_SORTS, PRODUCT_STATUSES } from '../http';
import {
  asText,
  errorAnswer,
  noNulMessage,
  id,
  money,
  operation,
  pageNumber,
  pageOf,
  pageSize,
  requestBody,
  text,
  timestamp,
  withRules,
  type SecurityScheme,
} from './common';

/**
 * How deep an anonymous visitor may page into the public list: OFFSET and the count both grow
 * with it, so page × pageSize is bounded; past it, a search or a category narrows the list.
 */
export const CATALOG_DEPTH_MAX = 100_000;

/** What a client may send as a price: up to six integer digits and at most two decimals. */
export const PRICE_INPUT_PATTERN = /^\d{1,6}(\.\d{1,2})?$/;

/** One stored size of an image: a WebP file under a content-addressed (never changing) URL. */
export const ImageVariant = z.strictObject({
  url: z.string(),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
});

/** An uploaded product image: its alt text and its sizes, smallest first (for `srcset`). */
export const ProductImage = z.strictObject({
  id: id(),
  alt: z.string(),
  variants: z.array(ImageVariant).min(1),
});
export type ProductImage = z.output<typeof ProductImage>;

export const Product = z.strictObject({
  id: id(),
  sellerId: id(),
  sellerName: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.enum(CATEGORIES),
  price: money(),
  stock: z.number().int().min(0),
  images: z.array(ProductImage).max(LIMITS.imagesPerProductMax),
  status: z.enum(PRODUCT_STATUSES),
  moderation: z
    .strictObject({ reason: z.string(), at: timestamp() })
    .nullable()
    .meta({ description: 'Why and when an admin unlisted the product; null unless it is unlisted' }),
  version: z.number().int().min(1),
  createdAt: timestamp(),
  updatedAt: timestamp(),
});
export type Product = z.output<typeof Product>;
export const ProductPage = pageOf(Product);

export const CategoryFacets = z
  .strictObject({
    categories: z.array(z.strictObject({ category: z.enum(CATEGORIES), count: z.number().int().min(1) })),
    capped: z.boolean().meta({
      description:
        'True when counting stopped at the cap (as `pagination.totalCapped`): each count is then a lower bound and a category missing from the list may still hold matches.',
    }),
  })
  .meta({ description: 'Matches per category for the search, every filter applied but the category' });
export type CategoryFacets = z.output<typeof CategoryFacets>;

export const SearchWords = z
  .strictObject({
    words: z.array(z.string()).meta({ description: 'The words searched, lower-case, corrections included' }),
    corrections: z.array(z.strictObject({ from: z.string(), to: z.array(z.string()) })).meta({
      description: 'Words no product has, searched as the known words closest to them',
    }),
  })
  .meta({ description: 'What the search looked for, so a client can highlight it and say "showing results for …"' });

/** A page of the public list; with `q`, also the facets and the words searched. */
export const ProductSearchPage = ProductPage.extend({
  facets: CategoryFacets.optional(),
  search: SearchWords.optional(),
});
export type ProductSearchPage = z.output<typeof ProductSearchPage>;

export const ProductIdParams = z.strictObject({
  id: withRules(id(), { messages: { 'string.guid': 'id must be a product id (UUID)' } }),
});

/** A search needs a letter or digit; `search-text` refuses punctuation alone with a message. */
const searchText = withRules(text().trim().max(LIMITS.searchMax), {
  kind: 'search-text',
  messages: {
    'string.pattern.base': noNulMessage,
    'search.tooShort': '{{#label}} must contain a letter or digit',
  },
}).meta({
  description:
    'Words found in the name (weighted above the description) or the description: every word must match, the last one also as a prefix (search as you type), a misspelt word by its closest known words. One or two characters (`tv`, `C#`) are served too. Empty means no search.',
});

const priceBound = (name: string, kind?: string) =>
  withRules(z.string().regex(PRICE_INPUT_PATTERN), {
    ...(kind ? { kind } : {}),
    messages: {
      'string.pattern.base': `${name} must be an amount such as 19.99 (at most ${LIMITS.priceMax}, two decimals)`,
      ...(kind ? { 'price.belowMin': `${name} must not be below minPrice` } : {}),
    },
  });

export const ListProductsQuery = z.strictObject({
  q: searchText.optional(),
  category: z.enum(CATEGORIES).optional(),
  sellerId: withRules(id(), { messages: { 'string.guid': 'sellerId must be a seller id (UUID)' } })
    .optional()
    .meta({ description: "Only this seller's products" }),
  minPrice: priceBound('minPrice').optional().meta({ description: 'Lowest price, inclusive' }),
  maxPrice: priceBound('maxPrice', 'max-price')
    .optional()
    .meta({ description: 'Highest price, inclusive; not below minPrice' }),
  inStock: withRules(z.boolean(), { kind: 'query-flag' })
    .optional()
    .meta({ description: 'true: only products with stock left' }),
  sort: z.enum(PRODUCT_SORTS).optional().meta({
    description:
      '`relevance` (the default with `q`; without it, the same as `newest`), `newest` (the default without `q`), price or name',
  }),
  page: withRules(pageNumber(), {
    kind: 'catalog-page',
    messages: {
      'number.max': `page may reach only the first ${CATALOG_DEPTH_MAX.toLocaleString('en')} products of a list; narrow it with a search or a category`,
    },
  }),
  pageSize: pageSize(),
});
export type ListProductsQuery = z.output<typeof ListProductsQuery>;

export const ArchiveQuery = z.strictObject({
  version: z.number().int().min(1).optional().meta({ description: 'Archive only if still at this version' }),
});

export const MyProductsQuery = z.strictObject({
  q: asText(text().trim().max(LIMITS.searchMax))
    .optional()
    .meta({ description: 'Part of the name, any case; empty means all' }),
  sort: z.enum(MY_PRODUCT_SORTS).default('newest'),
  page: pageNumber(),
  pageSize: pageSize(),
});
export type MyProductsQuery = z.output<typeof MyProductsQuery>;

export const RelistQuery = z.strictObject({
  version: z.number().int().min(1).optional().meta({ description: 'Relist only if still at this version' }),
});

export const UnlistProductRequest = requestBody({
  reason: withRules(asText(text().trim().min(LIMITS.moderationReasonMin).max(LIMITS.moderationReasonMax)), {
    messages: { 'any.required': 'reason is required: the seller reads it' },
  }).meta({ description: 'Why the product leaves the catalog; its seller reads it' }),
});
export type UnlistProductRequest = z.input<typeof UnlistProductRequest>;

/** The `price` kind reads a decimal string ("19.99") or a JSON number exactly into the canonical two-place string. */
const priceInput = withRules(z.union([z.string().regex(PRICE_INPUT_PATTERN), z.number().gt(0).multipleOf(0.01)]), {
  kind: 'price',
  messages: {
    'price.invalid': `price must be a positive amount with at most two decimals, at most ${LIMITS.priceMax}`,
  },
}).meta({ description: `Greater than 0, at most two decimals, at most ${LIMITS.priceMax}` });

const editable = {
  name: asText(text().trim().min(1).max(LIMITS.productNameMax)),
  description: asText(text().trim().max(LIMITS.productDescriptionMax)),
  category: z.enum(CATEGORIES),
  price: priceInput,
  stock: withRules(z.number().int().min(0).max(LIMITS.stockMax), {
    messages: { 'number.integer': 'stock must be a whole number' },
  }),
};

export const CreateProductRequest = requestBody({
  name: editable.name,
  description: editable.description.default(''),
  category: editable.category,
  price: editable.price,
  stock: editable.stock,
});
export type CreateProductRequest = z.input<typeof CreateProductRequest>;

const EDITABLE = ['name', 'description', 'category', 'price', 'stock'] as const;

export const UpdateProductRequest = requestBody(
  {
    version: withRules(z.number().int().min(1), {
      messages: { 'any.required': 'version is required: send the version your edit is based on' },
    }).meta({
      description: 'The version the edit was based on; a stale one is answered 409',
    }),
    name: editable.name.optional(),
    description: editable.description.optional(),
    category: editable.category.optional(),
    price: editable.price.optional(),
    stock: editable.stock.optional(),
  },
  {
    oneOrMoreOf: EDITABLE,
    messages: { 'object.missing': `send at least one of ${EDITABLE.join(', ')} besides version` },
  },
);
export type UpdateProductRequest = z.input<typeof UpdateProductRequest>;

const altText = withRules(asText(text().trim().min(1).max(LIMITS.imageAltMax)), {
  messages: { 'any.required': 'alt is required: describe the image for people who cannot see it' },
}).meta({ description: 'What the image shows, for screen readers and when it cannot load' });

/** The text fields of an image upload (multipart/form-data); the file itself is the `image` field. */
export const UploadImageFields = requestBody({ alt: altText });
export type UploadImageFields = z.input<typeof UploadImageFields>;

export const ImageIdParams = z.strictObject({
  id: ProductIdParams.shape.id,
  imageId: withRules(id(), { messages: { 'string.guid': 'imageId must be an image id (UUID)' } }),
});

/** Every image of the product, in the order to show them, each with its (possibly new) alt text. */
export const ArrangeImagesRequest = requestBody({
  images: z
    .array(z.strictObject({ id: id(), alt: altText }))
    .min(1)
    .max(LIMITS.imagesPerProductMax),
});
export type ArrangeImagesRequest = z.input<typeof ArrangeImagesRequest>;

export const CategoryList = z.strictObject({ data: z.array(z.enum(CATEGORIES)) });

const sellerWrite: SecurityScheme[][] = [
  ['accessCookie', 'csrfHeader'],
  ['bearer', 'csrfHeader'],
];
const sellerRead: SecurityScheme[][] = [['accessCookie'], ['bearer']];
const guarded = {
  400: errorAnswer('VALIDATION_FAILED (details name each field), MALFORMED_JSON'),
  401: errorAnswer('UNAUTHENTICATED'),
  403: errorAnswer('FORBIDDEN (not a seller, or not the owner or an admin) or CSRF_FAILED'),
  413: errorAnswer('PAYLOAD_TOO_LARGE'),
  415: errorAnswer('UNSUPPORTED_MEDIA_TYPE: the body is not JSON'),
};

/** The products API; the service validates with it and serves it as its OpenAPI document. */
export const productsApi = {
  search: operation({
    method: 'get',
    path: '/api/products',
    summary: 'Search active products',
    query: ListProductsQuery,
    responses: {
      200: {
        description: 'A page of active products; with q, by relevance unless sort says otherwise',
        body: ProductSearchPage,
      },
      400: guarded[400],
    },
  }),
  create: operation({
    method: 'post',
    path: '/api/products',
    summary: 'Create a product (seller or admin); the seller name is taken from the access token',
    security: sellerWrite,
    body: CreateProductRequest,
    responses: {
      201: { description: 'The new product', body: Product },
      ...guarded,
      403: errorAnswer(
        "FORBIDDEN (not a seller or an admin), EMAIL_NOT_VERIFIED (the seller's address is not verified yet) or CSRF_FAILED",
      ),
    },
  }),
  categories: operation({
    method: 'get',
    path: '/api/products/categories',
    summary: 'The categories a product may have',
    responses: { 200: { description: 'Categories', body: CategoryList } },
  }),
  mine: operation({
    method: 'get',
    path: '/api/products/mine',
    summary: "The caller's products, archived and unlisted ones included",
    security: sellerRead,
    query: MyProductsQuery,
    responses: {
      200: { description: 'A page of products', body: ProductPage },
      400: guarded[400],
      401: guarded[401],
      403: guarded[403],
    },
  }),
  read: operation({
    method: 'get',
    path: '/api/products/{id}',
    summary: 'One product; an archived or unlisted one only for its seller or an admin',
    params: ProductIdParams,
    responses: { 200: { description: 'The product', body: Product }, 400: guarded[400], 404: errorAnswer('NOT_FOUND') },
  }),
  update: operation({
    method: 'patch',
    path: '/api/products/{id}',
    summary: 'Edit a product (owner or admin), based on the version the edit started from',
    security: sellerWrite,
    params: ProductIdParams,
    body: UpdateProductRequest,
    responses: {
      200: { description: 'The updated product (version + 1)', body: Product },
      ...guarded,
      404: errorAnswer('NOT_FOUND'),
      409: errorAnswer(
        'VERSION_CONFLICT: the product changed (an edit or a sale) since that version; nothing was changed',
      ),
    },
  }),
  uploadImage: operation({
    method: 'post',
    path: '/api/products/{id}/images',
    summary: `Add an image (owner or admin), at most ${LIMITS.imagesPerProductMax} per product; stored as WebP sizes`,
    description:
      'multipart/form-data with the file in `image` and its alt text in `alt`. The type is read from the content (JPEG, PNG or WebP), never from the name or the Content-Type; metadata (EXIF, GPS) is dropped.',
    security: sellerWrite,
    params: ProductIdParams,
    body: UploadImageFields,
    upload: { field: 'image', description: 'A JPEG, PNG or WebP image' },
    responses: {
      201: { description: 'The product with its images', body: Product },
      ...guarded,
      404: errorAnswer('NOT_FOUND'),
      409: errorAnswer(`TOO_MANY_IMAGES: the product has ${LIMITS.imagesPerProductMax} images already`),
      413: errorAnswer('PAYLOAD_TOO_LARGE: the file is over the size limit'),
      415: errorAnswer('UNSUPPORTED_MEDIA_TYPE: the content is not a JPEG, PNG or WebP image'),
      422: errorAnswer('IMAGE_REJECTED: the image is damaged or has more pixels than allowed'),
    },
  }),
  arrangeImages: operation({
    method: 'put',
    path: '/api/products/{id}/images',
    summary: 'Reorder the images and change their alt texts (owner or admin); lists every image once',
    security: sellerWrite,
    params: ProductIdParams,
    body: ArrangeImagesRequest,
    responses: {
      200: { description: 'The product with its images in the new order', body: Product },
      ...guarded,
      404: errorAnswer('NOT_FOUND'),
      409: errorAnswer("CONFLICT: the list is not exactly the product's current images"),
    },
  }),
  deleteImage: operation({
    method: 'delete',
    path: '/api/products/{id}/images/{imageId}',
    summary: 'Remove an image (owner or admin)',
    security: sellerWrite,
    params: ImageIdParams,
    responses: {
      200: { description: 'The product without that image', body: Product },
      ...guarded,
      404: errorAnswer('NOT_FOUND'),
    },
  }),
  archive: operation({
    method: 'delete',
    path: '/api/products/{id}',
    summary: 'Archive a product (owner or admin); orders keep their snapshots',
    security: sellerWrite,
    params: ProductIdParams,
    query: ArchiveQuery,
    responses: {
      200: { description: 'The archived product', body: Product },
      ...guarded,
      404: errorAnswer('NOT_FOUND'),
      409: errorAnswer('VERSION_CONFLICT'),
    },
  }),
  relist: operation({
    method: 'post',
    path: '/api/products/{id}/relist',
    summary: 'Put an archived product back in the catalog (owner or admin); an unlisted one only an admin relists',
    security: sellerWrite,
    params: ProductIdParams,
    query: RelistQuery,
    responses: {
      200: { description: 'The active product', body: Product },
      ...guarded,
      404: errorAnswer('NOT_FOUND'),
      409: errorAnswer('VERSION_CONFLICT'),
    },
  }),
  unlist: operation({
    method: 'post',
    path: '/api/products/{id}/unlist',
    summary: 'Take a product out of the catalog with a reason its seller sees (admin)',
    security: sellerWrite,
    params: ProductIdParams,
    body: UnlistProductRequest,
    responses: {
      200: { description: 'The unlisted product', body: Product },
      ...guarded,
      404: errorAnswer('NOT_FOUND'),
    },
  }),
};
