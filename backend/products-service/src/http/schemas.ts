import Joi from 'joi';
import { CATEGORIES, LIMITS, PRODUCT_SORTS } from '@market/contracts';
import { parsePrice } from '../domain/money';

const jsonBody = (keys: Joi.PartialSchemaMap) => Joi.object(keys).required().messages({ 'any.required': 'send a JSON object body' });

/** PostgreSQL text cannot hold NUL; refusing it here keeps it from becoming a 500. */
const text = () =>
  Joi.string().custom((value: string, helpers) =>
    value.includes(String.fromCharCode(0)) ? helpers.message({ custom: `${helpers.state.path?.join('.') ?? 'text'} must not contain NUL characters` }) : value,
  );

const page = Joi.number().integer().min(1).max(100_000).default(1);
const pageSize = Joi.number().integer().min(1).max(LIMITS.pageSizeMax).default(20);

export const productIdParams = Joi.object({ id: Joi.string().uuid().required().messages({ 'string.guid': 'id must be a product id (UUID)' }) });

/**
 * pg_trgm draws no trigram from text with fewer letters or digits, so the index could not narrow
 * such a search and every product would be read; it is refused with a message a person can act on.
 */
const searchText = text()
  .trim()
  .max(LIMITS.searchMax)
  .custom((value: string, helpers) =>
    value !== '' && (value.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < LIMITS.searchMinLettersOrDigits
      ? helpers.message({ custom: `q must contain at least ${LIMITS.searchMinLettersOrDigits} letters or digits` })
      : value,
  )
  .allow('');

/**
 * How deep an anonymous visitor may page into the public list: OFFSET and the count both grow
 * with it, so page × pageSize is bounded; past it, a search or a category narrows the list.
 */
export const CATALOG_DEPTH_MAX = 100_000;

export const listProductsQuery = Joi.object({
  q: searchText,
  category: Joi.string().valid(...CATEGORIES),
  sort: Joi.string()
    .valid(...PRODUCT_SORTS)
    .default('newest'),
  page: page.max(Joi.ref('pageSize', { adjust: (size: number) => Math.max(1, Math.floor(CATALOG_DEPTH_MAX / size)) })).messages({
    'number.max': `page may reach only the first ${CATALOG_DEPTH_MAX.toLocaleString('en')} products of a list; narrow it with a search or a category`,
  }),
  pageSize,
});

export const pageQuery = Joi.object({ page, pageSize });

export const archiveQuery = Joi.object({ version: Joi.number().integer().min(1) });

const name = text().trim().min(1).max(LIMITS.productNameMax);
const description = text().trim().max(LIMITS.productDescriptionMax).allow('');
const category = Joi.string().valid(...CATEGORIES);
/** A decimal string ("19.99") or a JSON number, read exactly into the canonical two-place string. */
const price = Joi.any().custom((value: unknown, helpers) => {
  const money = parsePrice(value);
  return money ?? helpers.message({ custom: `price must be a positive amount with at most two decimals, at most ${LIMITS.priceMax}` });
});
const stock = Joi.number()
  .integer()
  .min(0)
  .max(LIMITS.stockMax)
  .messages({ 'number.integer': 'stock must be a whole number' });
const imageUrl = Joi.string()
  .trim()
  .max(LIMITS.imageUrlMax)
  .uri({ scheme: ['http', 'https'] })
  .allow(null)
  .messages({ 'string.uriCustomScheme': 'imageUrl must be an http or https URL' });

export const createProductBody = jsonBody({
  name: name.required(),
  description: description.default(''),
  category: category.required(),
  price: price.required(),
  stock: stock.required(),
  imageUrl: imageUrl.default(null),
});

const EDITABLE = ['name', 'description', 'category', 'price', 'stock', 'imageUrl'] as const;

export const updateProductBody = jsonBody({
  version: Joi.number().integer().min(1).required().messages({ 'any.required': 'version is required: send the version your edit is based on' }),
  name,
  description,
  category,
  price,
  stock,
  imageUrl,
})
  .or(...EDITABLE)
  .messages({ 'object.missing': `send at least one of ${EDITABLE.join(', ')} besides version` });
