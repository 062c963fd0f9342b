import {
  CATEGORIES,
  CONTRACT_RULES,
  LIMITS,
  type Category,
  type CreateProductRequest,
  type Product,
} from '../../api/contracts';
import { normalizeMoneyInput } from '../../lib/money';
import type { FieldErrors } from '../../lib/validation';

/** What the form holds: text as typed, so half-typed prices are not lost. */
export interface ProductValues {
  name: string;
  description: string;
  category: Category | '';
  price: string;
  stock: string;
}

export const PRODUCT_FIELDS = [
  'name',
  'description',
  'category',
  'price',
  'stock',
] as const satisfies readonly (keyof ProductValues)[];
export type ProductField = (typeof PRODUCT_FIELDS)[number];

export const EMPTY_VALUES: ProductValues = {
  name: '',
  description: '',
  category: '',
  price: '',
  stock: '',
};

export function valuesFromProduct(product: Product): ProductValues {
  return {
    name: product.name,
    description: product.description,
    category: product.category,
    price: product.price,
    stock: String(product.stock),
  };
}

/** The server's rules for these fields, generated from the contracts. */
const RULES = CONTRACT_RULES.createProduct;

export function checkProduct(values: ProductValues): { errors: FieldErrors; body: CreateProductRequest | null } {
  const errors: FieldErrors = {};
  const name = values.name.trim();
  const description = values.description.trim();
  const price = normalizeMoneyInput(values.price);
  const stock = Number(values.stock);

  if (!name) errors.name = 'Enter a name.';
  else if (name.length > RULES.name.maxLength) errors.name = `Use at most ${RULES.name.maxLength} characters.`;
  if (!description) errors.description = 'Describe the product in a sentence or two.';
  else if (description.length > RULES.description.maxLength) {
    errors.description = `Use at most ${RULES.description.maxLength} characters.`;
  }
  const category = CATEGORIES.find((c) => c === values.category);
  if (!category) errors.category = 'Choose a category.';
  if (price === null && /,\d{1,2}$/.test(values.price.trim())) {
    errors.price = 'Use a dot before the cents, like 19.99.';
  } else if (price === null || price === '0.00') {
    errors.price = `Enter a price between 0.01 and ${LIMITS.priceMax}, like 19.99 or 1,250.`;
  }
  if (!values.stock.trim() || !Number.isInteger(stock) || stock < RULES.stock.min || stock > RULES.stock.max) {
    errors.stock = `Enter a whole number from ${RULES.stock.min} to ${RULES.stock.max.toLocaleString('en-US')}.`;
  }
  if (Object.keys(errors).length > 0 || !category || price === null) return { errors, body: null };
  return { errors, body: { name, description, category, price, stock } };
}

/** Fields the seller really edited, so a save never rewrites (say) stock that a sale just changed. */
export function editedFields(values: ProductValues, pristine: ProductValues): ProductField[] {
  return PRODUCT_FIELDS.filter((field) => values[field].trim() !== pristine[field].trim());
}
