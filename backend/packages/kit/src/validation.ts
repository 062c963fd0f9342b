import type Joi from 'joi';
import type { FieldError } from '@market/contracts';

export function joiDetails(error: Joi.ValidationError, prefix = ''): FieldError[] {
  return error.details.map((detail) => ({
    field: `${prefix}${detail.path.join('.')}` || '(body)',
    message: detail.message,
  }));
}
