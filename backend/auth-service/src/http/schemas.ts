import Joi from 'joi';
import { LIMITS, ROLES, SIGNUP_ROLES } from '@market/contracts';
import { passwordProblem } from '../domain/passwords';

const jsonBody = (keys: Joi.PartialSchemaMap) => Joi.object(keys).required().messages({ 'any.required': 'send a JSON object body' });

const email = Joi.string().trim().lowercase().max(LIMITS.emailMax).email({ tlds: { allow: false } }).required();

const newPassword = Joi.string()
  .required()
  .custom((value: string, helpers) => {
    const problem = passwordProblem(value);
    return problem ? helpers.message({ custom: problem }) : value;
  });

export const signupBody = jsonBody({
  username: Joi.string()
    .trim()
    .min(LIMITS.usernameMin)
    .max(LIMITS.usernameMax)
    .pattern(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/)
    .required()
    .messages({ 'string.pattern.base': 'username may hold letters, digits, dots, dashes and underscores, and must start with a letter or digit' }),
  email,
  password: newPassword,
  role: Joi.string()
    .valid(...SIGNUP_ROLES)
    .required(),
});

// Login never explains password rules: a wrong password is a wrong password.
export const loginBody = jsonBody({ email, password: Joi.string().min(1).max(1024).required() });

export const demoLoginBody = jsonBody({ who: Joi.string().valid('buyer', 'seller').required() });

export const listUsersQuery = Joi.object({
  page: Joi.number().integer().min(1).max(100_000).default(1),
  pageSize: Joi.number().integer().min(1).max(LIMITS.pageSizeMax).default(20),
  q: Joi.string().trim().max(LIMITS.searchMax).allow(''),
});

export const userIdParams = Joi.object({ id: Joi.string().uuid().required() });

export const updateUserBody = jsonBody({
  role: Joi.string().valid(...ROLES),
  disabled: Joi.boolean().strict(),
})
  .min(1)
  .messages({ 'object.min': 'send role, disabled or both' });
