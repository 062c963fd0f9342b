import Joi from 'joi';
import { CATALOG_DEPTH_MAX, LIMITS, productsApi } from '@market/contracts';
import { joiForOperation, type JoiKind } from '@market/kit';
import { parsePrice } from '../domain/money';

/**
 * The joi validators of the products API, generated from its zod contract (productsApi) with the
 * behaviours the contract names and only this service can supply.
 */
const kinds: Record<string, JoiKind> = {
  /** Punctuation alone names no word to search for: refused, '' aside (no search). */
  'search-text': (base) =>
    base().custom((value: string, helpers) =>
      value !== '' && (value.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < LIMITS.searchMinLettersOrDigits
        ? helpers.error('search.tooShort')
        : value,
    ),
  /** page × pageSize stays within CATALOG_DEPTH_MAX, so OFFSET and the count stay bounded. */
  'catalog-page': (base) =>
    (base() as Joi.NumberSchema).max(
      Joi.ref('pageSize', { adjust: (size: number) => Math.max(1, Math.floor(CATALOG_DEPTH_MAX / size)) }),
    ),
  /** A price bound that must not be below its sibling minPrice (compared as numbers: both have two decimals at most). */
  'max-price': (base) =>
    base().custom((value: string, helpers) => {
      const [parent] = helpers.state.ancestors as [{ minPrice?: unknown }];
      return typeof parent.minPrice === 'string' && Number(parent.minPrice) > Number(value)
        ? helpers.error('price.belowMin')
        : value;
    }),
  /** A query-string flag: `true` or `false` (the body's booleans stay strict JSON). */
  'query-flag': () => Joi.boolean(),
  /** A decimal string ("19.99") or a JSON number, read exactly into the canonical two-place string. */
  price: () => Joi.any().custom((value: unknown, helpers) => parsePrice(value) ?? helpers.error('price.invalid')),
};

const validatorsOf = <K extends keyof typeof productsApi>(name: K) => joiForOperation(productsApi[name], { kinds });

export const validators = {
  search: validatorsOf('search'),
  mine: validatorsOf('mine'),
  read: validatorsOf('read'),
  create: validatorsOf('create'),
  update: validatorsOf('update'),
  archive: validatorsOf('archive'),
  relist: validatorsOf('relist'),
  unlist: validatorsOf('unlist'),
  uploadImage: validatorsOf('uploadImage'),
  arrangeImages: validatorsOf('arrangeImages'),
  deleteImage: validatorsOf('deleteImage'),
};
