import { LIMITS, ROLES, SIGNUP_ROLES } from '@market/contracts';
import { buildOpenApiDocument, openApi, type OpenApiOperation, type OpenApiSchema } from '@market/kit';

const { ref, body, ok, error } = openApi;

const sessionCookies = {
  'Set-Cookie': {
    description: 'access_token (Path=/) and refresh_token (Path=/api/auth), both HttpOnly and SameSite=Strict',
    schema: { type: 'string' },
  },
};
const csrf = { csrfHeader: [] };
const session = { accessCookie: [] };
const withSession = (description: string, schema: OpenApiSchema) => ({ ...ok(description, schema), headers: sessionCookies });
const stateChanging = { '400': error('Invalid input (VALIDATION_FAILED, MALFORMED_JSON)'), '403': error('CSRF_FAILED: the X-Requested-With header is missing') };

const paths: Record<string, Record<string, OpenApiOperation>> = {
  '/api/auth/signup': {
    post: {
      summary: 'Create a buyer or seller account and sign in',
      security: [csrf],
      requestBody: body('SignupRequest'),
      responses: { '201': withSession('The new account', ref('User')), ...stateChanging, '409': error('CONFLICT: email or username taken') },
    },
  },
  '/api/auth/login': {
    post: {
      summary: 'Sign in with email and password',
      security: [csrf],
      requestBody: body('LoginRequest'),
      responses: {
        '200': withSession('Signed in', ref('User')),
        ...stateChanging,
        '401': error('INVALID_CREDENTIALS: the same answer for an unknown email and a wrong password'),
        '429': { ...error('RATE_LIMITED: too many failed attempts from this IP or for this account'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
      },
    },
  },
  '/api/auth/demo-login': {
    post: {
      summary: 'Sign in as the demo buyer or seller (demo mode only)',
      security: [csrf],
      requestBody: body('DemoLoginRequest'),
      responses: { '200': withSession('Signed in', ref('User')), ...stateChanging, '404': error('NOT_FOUND: demo mode is off') },
    },
  },
  '/api/auth/refresh': {
    post: {
      summary: 'Rotate the refresh token and mint a new access token; a replayed refresh token revokes its whole family',
      security: [{ ...csrf, refreshCookie: [] }],
      responses: { '200': withSession('New cookies', ref('User')), '401': error('UNAUTHENTICATED'), '403': stateChanging['403'] },
    },
  },
  '/api/auth/logout': {
    post: {
      summary: 'Revoke the session (its refresh token family) and clear the cookies',
      security: [csrf],
      responses: { '204': ok('Signed out'), '403': stateChanging['403'] },
    },
  },
  '/api/auth/me': {
    get: { summary: 'The signed-in user', security: [session], responses: { '200': ok('The caller', ref('User')), '401': error('UNAUTHENTICATED') } },
  },
  '/api/auth/.well-known/jwks.json': {
    get: { summary: 'Public keys that verify access tokens (ES256)', responses: { '200': ok('JWK set', ref('JwkSet')) } },
  },
  '/api/auth/users': {
    get: {
      summary: 'List users (admin)',
      security: [session],
      parameters: [
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
        { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: LIMITS.pageSizeMax, default: 20 } },
        { name: 'q', in: 'query', description: 'Part of an email or username', schema: { type: 'string', maxLength: LIMITS.searchMax } },
      ],
      responses: { '200': ok('A page of users', ref('AdminUserPage')), '401': error('UNAUTHENTICATED'), '403': error('FORBIDDEN') },
    },
  },
  '/api/auth/users/{id}': {
    patch: {
      summary: "Change a user's role or disabled flag (admin; not on oneself). Disabling revokes the user's sessions",
      security: [{ ...session, ...csrf }],
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      requestBody: body('UpdateUserRequest'),
      responses: { '200': ok('The updated user', ref('AdminUser')), ...stateChanging, '404': error('NOT_FOUND') },
    },
  },
};

const userProperties = {
  id: { type: 'string', format: 'uuid' },
  username: { type: 'string' },
  email: { type: 'string', format: 'email' },
  role: { type: 'string', enum: ROLES },
};
const password = { type: 'string', description: `${LIMITS.passwordMinBytes} to ${LIMITS.passwordMaxBytes} bytes of UTF-8; longer is rejected, never truncated` };

export const openApiDocument = buildOpenApiDocument({
  title: 'Marketplace auth-service',
  description: 'Accounts, sessions in HttpOnly cookies, and the keys other services verify tokens with.',
  security: ['accessCookie', 'refreshCookie', 'csrfHeader'],
  paths,
  schemas: {
    User: { type: 'object', required: Object.keys(userProperties), properties: userProperties },
    AdminUser: {
      type: 'object',
      required: [...Object.keys(userProperties), 'disabled', 'createdAt'],
      properties: { ...userProperties, disabled: { type: 'boolean' }, createdAt: { type: 'string', format: 'date-time' } },
    },
    AdminUserPage: {
      type: 'object',
      properties: {
        data: { type: 'array', items: ref('AdminUser') },
        pagination: { type: 'object', properties: { page: { type: 'integer' }, pageSize: { type: 'integer' }, total: { type: 'integer' }, totalPages: { type: 'integer' } } },
      },
    },
    SignupRequest: {
      type: 'object',
      additionalProperties: false,
      required: ['username', 'email', 'password', 'role'],
      properties: {
        username: { type: 'string', minLength: LIMITS.usernameMin, maxLength: LIMITS.usernameMax, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' },
        email: { type: 'string', format: 'email', maxLength: LIMITS.emailMax },
        password,
        role: { type: 'string', enum: SIGNUP_ROLES },
      },
    },
    LoginRequest: { type: 'object', additionalProperties: false, required: ['email', 'password'], properties: { email: { type: 'string' }, password: { type: 'string' } } },
    DemoLoginRequest: { type: 'object', additionalProperties: false, required: ['who'], properties: { who: { type: 'string', enum: ['buyer', 'seller'] } } },
    UpdateUserRequest: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: { role: { type: 'string', enum: ROLES }, disabled: { type: 'boolean' } },
    },
    JwkSet: { type: 'object', properties: { keys: { type: 'array', items: { type: 'object', required: ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use'] } } } },
  },
});
