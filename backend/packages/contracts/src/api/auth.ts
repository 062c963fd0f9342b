import { z } from 'zod';
import { LIMITS, ROLES, SIGNUP_ROLES } from '../http';
import {
  errorAnswer,
  id,
  operation,
  pageNumber,
  pageOf,
  pageSize,
  requestBody,
  timestamp,
  withRules,
  type ApiResponse,
  type SecurityScheme,
} from './common';

export const User = z.strictObject({ id: id(), username: z.string(), email: z.string(), role: z.enum(ROLES) });
export type User = z.output<typeof User>;

export const AdminUser = z.strictObject({ ...User.shape, disabled: z.boolean(), createdAt: timestamp() });
export type AdminUser = z.output<typeof AdminUser>;
export const AdminUserPage = pageOf(AdminUser);

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const USERNAME_PATTERN_MESSAGE =
  'username may hold letters, digits, dots, dashes and underscores, and must start with a letter or digit';

const email = z.email().trim().toLowerCase().max(LIMITS.emailMax);

export const SignupRequest = requestBody({
  username: withRules(z.string().trim().min(LIMITS.usernameMin).max(LIMITS.usernameMax).regex(USERNAME_PATTERN), {
    messages: { 'string.pattern.base': USERNAME_PATTERN_MESSAGE },
  }),
  email,
  /** The `new-password` kind counts UTF-8 bytes: bcrypt reads at most 72, and a longer one is refused rather than cut. */
  password: withRules(z.string().min(1), { kind: 'new-password' }).meta({
    description: `${LIMITS.passwordMinBytes} to ${LIMITS.passwordMaxBytes} bytes of UTF-8; longer is rejected, never truncated`,
  }),
  role: z.enum(SIGNUP_ROLES),
});
export type SignupRequest = z.input<typeof SignupRequest>;

// Login never explains password rules: a wrong password is a wrong password.
export const LoginRequest = requestBody({ email, password: z.string().min(1).max(1024) });
export type LoginRequest = z.input<typeof LoginRequest>;

export const DemoLoginRequest = requestBody({ who: z.enum(['buyer', 'seller']) });
export type DemoLoginRequest = z.input<typeof DemoLoginRequest>;

export const ListUsersQuery = z.strictObject({
  page: pageNumber(),
  pageSize: pageSize(),
  q: z.string().trim().max(LIMITS.searchMax).optional().meta({ description: 'Part of an email or username' }),
});
export type ListUsersQuery = z.output<typeof ListUsersQuery>;

export const UserIdParams = z.strictObject({ id: id() });

export const UpdateUserRequest = requestBody(
  { role: z.enum(ROLES).optional(), disabled: z.boolean().optional() },
  { minKeys: 1, messages: { 'object.min': 'send role, disabled or both' } },
);
export type UpdateUserRequest = z.input<typeof UpdateUserRequest>;

export const JwkSet = z.strictObject({
  keys: z.array(
    z.strictObject({
      kty: z.string(),
      crv: z.string(),
      x: z.string(),
      y: z.string(),
      kid: z.string(),
      alg: z.string(),
      use: z.string(),
    }),
  ),
});

const sessionCookies = {
  'Set-Cookie': {
    description:
      '__Host-access_token (Path=/) and __Secure-refresh_token (Path=/api/auth), both HttpOnly, Secure and SameSite=Strict; unprefixed and without Secure in plain-http development (COOKIE_SECURE=false)',
    schema: { type: 'string' },
  },
};
const signedInAs = (description: string): ApiResponse => ({ description, body: User, headers: sessionCookies });
const csrf: SecurityScheme[][] = [['csrfHeader']];
const session: SecurityScheme[][] = [['accessCookie']];
const stateChanging = {
  400: errorAnswer('Invalid input (VALIDATION_FAILED, MALFORMED_JSON)'),
  403: errorAnswer('CSRF_FAILED: the X-Requested-With header is missing'),
  413: errorAnswer('PAYLOAD_TOO_LARGE'),
  415: errorAnswer('UNSUPPORTED_MEDIA_TYPE: the body is not JSON'),
};

const limited = (description: string): ApiResponse => ({
  ...errorAnswer(description),
  headers: { 'Retry-After': { schema: { type: 'integer' } } },
});

/** The auth API; the service validates with it and serves it as its OpenAPI document. */
export const authApi = {
  signup: operation({
    method: 'post',
    path: '/api/auth/signup',
    summary: 'Create a buyer or seller account and sign in',
    security: csrf,
    body: SignupRequest,
    responses: {
      201: signedInAs('The new account'),
      ...stateChanging,
      409: errorAnswer('CONFLICT: the email or the username is taken (the answer does not say which)'),
      429: limited('RATE_LIMITED: too many sign-ups from this address'),
    },
  }),
  login: operation({
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in with email and password',
    security: csrf,
    body: LoginRequest,
    responses: {
      200: signedInAs('Signed in'),
      ...stateChanging,
      401: errorAnswer('INVALID_CREDENTIALS: the same answer for an unknown email and a wrong password'),
      429: limited('RATE_LIMITED: too many failed attempts from this address, or for this account from this address'),
    },
  }),
  demoLogin: operation({
    method: 'post',
    path: '/api/auth/demo-login',
    summary: 'Sign in as the demo buyer or seller (demo mode only)',
    security: csrf,
    body: DemoLoginRequest,
    responses: { 200: signedInAs('Signed in'), ...stateChanging, 404: errorAnswer('NOT_FOUND: demo mode is off') },
  }),
  refresh: operation({
    method: 'post',
    path: '/api/auth/refresh',
    summary:
      'Rotate the refresh token and mint a new access token; a refresh token replayed after the reuse grace revokes its whole family',
    security: [['csrfHeader', 'refreshCookie']],
    responses: {
      200: signedInAs('New cookies'),
      401: errorAnswer('UNAUTHENTICATED'),
      403: stateChanging[403],
      429: limited('RATE_LIMITED: too many refreshes from this address'),
    },
  }),
  logout: operation({
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Revoke the session (its refresh token family) and clear the cookies',
    security: csrf,
    responses: { 204: { description: 'Signed out' }, 403: stateChanging[403] },
  }),
  logoutEverywhere: operation({
    method: 'post',
    path: '/api/auth/logout-everywhere',
    summary:
      'End every session of the caller: all refresh token families at once, the access tokens in every service within a second',
    security: [['accessCookie', 'csrfHeader']],
    responses: {
      204: { description: 'Signed out everywhere' },
      401: errorAnswer('UNAUTHENTICATED'),
      403: stateChanging[403],
      503: errorAnswer('SERVICE_UNAVAILABLE: the sessions could not be ended now; nothing changed, try again'),
    },
  }),
  me: operation({
    method: 'get',
    path: '/api/auth/me',
    summary: 'The signed-in user',
    security: session,
    responses: { 200: { description: 'The caller', body: User }, 401: errorAnswer('UNAUTHENTICATED') },
  }),
  jwks: operation({
    method: 'get',
    path: '/api/auth/.well-known/jwks.json',
    summary: 'Public keys that verify access tokens (ES256)',
    responses: { 200: { description: 'JWK set', body: JwkSet } },
  }),
  listUsers: operation({
    method: 'get',
    path: '/api/auth/users',
    summary: 'List users (admin)',
    security: session,
    query: ListUsersQuery,
    responses: {
      200: { description: 'A page of users', body: AdminUserPage },
      400: stateChanging[400],
      401: errorAnswer('UNAUTHENTICATED'),
      403: errorAnswer('FORBIDDEN'),
    },
  }),
  updateUser: operation({
    method: 'patch',
    path: '/api/auth/users/{id}',
    summary: "Change a user's role or disabled flag (admin; not on oneself). Disabling revokes the user's sessions",
    security: [['accessCookie', 'csrfHeader']],
    params: UserIdParams,
    body: UpdateUserRequest,
    responses: {
      200: { description: 'The updated user', body: AdminUser },
      ...stateChanging,
      401: errorAnswer('UNAUTHENTICATED'),
      403: errorAnswer('FORBIDDEN (not an admin, or oneself) or CSRF_FAILED'),
      404: errorAnswer('NOT_FOUND'),
    },
  }),
};
