import type Joi from 'joi';
import type { FieldError } from '@market/contracts';

/** An absent body: said here, as a message on the body's object would reach each of its keys. */
const NO_BODY = 'send a JSON object body';

export function joiDetails(error: Joi.ValidationError, prefix = ''): FieldError[] {
  return error.details.map((detail) => {
    const field = `${prefix}${detail.path.join('.')}`;
    if (field === '' && detail.type === 'any.required') return { field: '(body)', message: NO_BODY };
    return { field: field || '(body)', message: detail.message };
  });
}
