import type { FieldError } from '@market/contracts';
import { AppError } from '@market/kit';

/**
 * The shared Ajv instance coerces types (query strings need it), which would turn a price
 * sent as the number 19.9 into the string "19.9" or a quantity "2" into 2. A body field must
 * already have its JSON type, so this runs before validation on the raw body.
 */
export function assertOrderBodyTypes(body: unknown): void {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { items?: unknown }).items)) return;
  const details: FieldError[] = [];
  (body as { items: unknown[] }).items.forEach((item, i) => {
    if (!item || typeof item !== 'object') return;
    const { productId, quantity, unitPrice } = item as Record<string, unknown>;
    if (productId !== undefined && typeof productId !== 'string') details.push({ field: `items.${i}.productId`, message: 'must be a string' });
    if (quantity !== undefined && typeof quantity !== 'number') details.push({ field: `items.${i}.quantity`, message: 'must be an integer' });
    if (unitPrice !== undefined && typeof unitPrice !== 'string') {
      details.push({ field: `items.${i}.unitPrice`, message: 'must be a decimal string with two places, e.g. "19.99"' });
    }
  });
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', 'some fields are not valid', 400, details);
}
