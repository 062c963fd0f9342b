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
  text,
  timestamp,
  withRules,
  type ApiResponse,
  type SecurityScheme,
} from './common';

export const User = z.strictObject({
  id: id(),
  username: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  /** The user opened the verification link mailed to `email`; needed to place orders and list products. */
  emailVerified: z.boolean(),
});
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

/** A right password for an account with TOTP (or an admin who must enrol): no cookies yet. */
export const SecondStepRequired = z.strictObject({
  secondStep: z.enum(['code', 'enrol']),
  /** Proof of the password, valid for `expiresInSeconds` and only for the step it names. */
  challenge: z.string(),
  expiresInSeconds: z.number().int(),
});
export type SecondStepRequired = z.output<typeof SecondStepRequired>;

const challenge = z.string().min(1).max(2048);
/** Six digits from the authenticator app, or a recovery code (`abcd-efgh-jkmn`, dashes and case ignored). */
const twoFactorCode = withRules(
  z
    .string()
    .trim()
    .min(6)
    .max(20)
    .regex(/^[A-Za-z0-9 -]+$/),
  {
    messages: { 'string.pattern.base': 'enter the 6-digit code from your app or a recovery code' },
  },
);
const totpCode = withRules(
  z
    .string()
    .trim()
    .regex(/^\d{6}$/),
  {
    messages: { 'string.pattern.base': 'enter the 6-digit code from your app' },
  },
);

export const SecondStepRequest = requestBody({ challenge, code: twoFactorCode });
export type SecondStepRequest = z.input<typeof SecondStepRequest>;

export const TwoFactorStatus = z.strictObject({
  enabled: z.boolean(),
  /** Admins must use it (unless this is the demo admin). */
  required: z.boolean(),
  recoveryCodesLeft: z.number().int(),
});
export type TwoFactorStatus = z.output<typeof TwoFactorStatus>;

/** Signed in, or (an admin who must enrol) with the challenge of the sign-in. */
export const TwoFactorSetupRequest = requestBody({ challenge: challenge.optional() });
export type TwoFactorSetupRequest = z.input<typeof TwoFactorSetupRequest>;

export const TwoFactorSetup = z.strictObject({
  /** Base32, for typing into the app by hand. */
  secret: z.string(),
  otpauthUri: z.string(),
  /** The QR code as an SVG path over a `size` × `size` grid of modules. */
  qrCode: z.strictObject({ size: z.number().int(), path: z.string() }),
});
export type TwoFactorSetup = z.output<typeof TwoFactorSetup>;

export const TwoFactorEnableRequest = requestBody({ code: totpCode, challenge: challenge.optional() });
export type TwoFactorEnableRequest = z.input<typeof TwoFactorEnableRequest>;

export const TwoFactorEnabled = z.strictObject({
  /** Shown this once; each signs in once in place of a code. */
  recoveryCodes: z.array(z.string()),
  /** Present when the set-up finished a sign-in (session cookies set). */
  user: User.optional(),
});
export type TwoFactorEnabled = z.output<typeof TwoFactorEnabled>;

export const TwoFactorDisableRequest = requestBody({ code: twoFactorCode });
export type TwoFactorDisableRequest = z.input<typeof TwoFactorDisableRequest>;

export const DemoLoginRequest = requestBody({ who: z.enum(['buyer', 'seller']) });
export type DemoLoginRequest = z.input<typeof DemoLoginRequest>;

export const ListUsersQuery = z.strictObject({
  page: pageNumber(),
  pageSize: pageSize(),
  q: text().trim().max(LIMITS.searchMax).optional().meta({ description: 'Part of an email or username' }),
});
export type ListUsersQuery = z.output<typeof ListUsersQuery>;

export const UserIdParams = z.strictObject({ id: id() });

export const UpdateUserRequest = requestBody(
  { role: z.enum(ROLES).optional(), disabled: z.boolean().optional() },
  { minKeys: 1, messages: { 'object.min': 'send role, disabled or both' } },
);
export type UpdateUserRequest = z.input<typeof UpdateUserRequest>;

export const ChangePasswordRequest = requestBody({
  currentPassword: z.string().min(1).max(1024),
  newPassword: withRules(z.string().min(1), { kind: 'new-password' }).meta({
    description: `${LIMITS.passwordMinBytes} to ${LIMITS.passwordMaxBytes} bytes of UTF-8, different from the current one`,
  }),
});
export type ChangePasswordRequest = z.input<typeof ChangePasswordRequest>;

/** Deleting an account asks for its password again: a session left open on a shared computer is not enough. */
export const DeleteAccountRequest = requestBody({ password: z.string().min(1).max(1024) });
export type DeleteAccountRequest = z.input<typeof DeleteAccountRequest>;

/** Which notification emails the user gets; security emails (reset, verification) cannot be turned off. */
export const EmailPreferences = z.strictObject({
  /** A sale of one of the user's products. */
  saleEmails: z.boolean(),
  /** The outcome of one of the user's orders (completed, failed, cancelled). */
  orderEmails: z.boolean(),
});
export type EmailPreferences = z.output<typeof EmailPreferences>;

export const UpdateEmailPreferencesRequest = requestBody(
  { saleEmails: z.boolean().optional(), orderEmails: z.boolean().optional() },
  { minKeys: 1, messages: { 'object.min': 'send saleEmails, orderEmails or both' } },
);
export type UpdateEmailPreferencesRequest = z.input<typeof UpdateEmailPreferencesRequest>;

/** The token of an email's unsubscribe link (signed user id and kind); no session needed. */
export const UnsubscribeRequest = requestBody({ token: text().min(10).max(200) });
export type UnsubscribeRequest = z.input<typeof UnsubscribeRequest>;

export const Unsubscribed = z.strictObject({ kind: z.enum(['sale', 'order']) });
export type Unsubscribed = z.output<typeof Unsubscribed>;

/** Everything auth-service keeps about the caller (never a password hash or a token). */
export const AccountExport = z.strictObject({
  exportedAt: timestamp(),
  account: z.strictObject({ ...User.shape, createdAt: timestamp(), updatedAt: timestamp() }),
  sessions: z.array(
    z.strictObject({
      startedAt: timestamp(),
      endedAt: timestamp().nullable(),
      endedBecause: z.string().nullable(),
    }),
  ),
});
export type AccountExport = z.output<typeof AccountExport>;

/** The token of a mailed link: 32 random bytes, base64url. */
const mailedToken = withRules(z.string().regex(/^[A-Za-z0-9_-]{43}$/), {
  messages: { 'string.pattern.base': 'this link is not complete; open it again from the mail' },
});

export const PasswordResetRequest = requestBody({ email });
export type PasswordResetRequest = z.input<typeof PasswordResetRequest>;

export const PasswordResetCompletion = requestBody({
  token: mailedToken,
  password: withRules(z.string().min(1), { kind: 'new-password' }).meta({
    description: `${LIMITS.passwordMinBytes} to ${LIMITS.passwordMaxBytes} bytes of UTF-8`,
  }),
});
export type PasswordResetCompletion = z.input<typeof PasswordResetCompletion>;

export const EmailVerificationRequest = requestBody({ token: mailedToken });
export type EmailVerificationRequest = z.input<typeof EmailVerificationRequest>;

/** The answer that does not say whether a mail was sent (no account, rate limit of one address, …). */
export const MailAccepted = z.strictObject({ message: z.string() });
export type MailAccepted = z.output<typeof MailAccepted>;

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
    summary: 'Sign in with email and password; with two-factor sign-in on, a second step follows',
    security: csrf,
    body: LoginRequest,
    responses: {
      200: {
        description: 'Signed in (the user, with cookies), or a second step is required (no cookies)',
        body: z.union([User, SecondStepRequired]),
        headers: sessionCookies,
      },
      ...stateChanging,
      401: errorAnswer('INVALID_CREDENTIALS: the same answer for an unknown email and a wrong password'),
      429: limited('RATE_LIMITED: too many failed attempts from this address, or for this account from this address'),
    },
  }),
  loginSecondStep: operation({
    method: 'post',
    path: '/api/auth/login/second-step',
    summary: 'Finish a sign-in with a code from the authenticator app or a recovery code',
    security: csrf,
    body: SecondStepRequest,
    responses: {
      200: signedInAs('Signed in'),
      ...stateChanging,
      401: errorAnswer('INVALID_CREDENTIALS: wrong or used code; UNAUTHENTICATED: the challenge expired'),
      429: limited('RATE_LIMITED: too many codes for this account or from this address'),
    },
  }),
  twoFactorStatus: operation({
    method: 'get',
    path: '/api/auth/two-factor',
    summary: "The caller's two-factor sign-in: on or off, required, recovery codes left",
    security: session,
    responses: { 200: { description: 'Status', body: TwoFactorStatus }, 401: errorAnswer('UNAUTHENTICATED') },
  }),
  twoFactorSetup: operation({
    method: 'post',
    path: '/api/auth/two-factor/setup',
    summary: 'Start setting up two-factor sign-in: a new secret, not in force until confirmed',
    security: [['accessCookie', 'csrfHeader'], ['csrfHeader']],
    body: TwoFactorSetupRequest,
    responses: {
      200: { description: 'The secret, its otpauth URI and QR code', body: TwoFactorSetup },
      ...stateChanging,
      401: errorAnswer('UNAUTHENTICATED'),
      409: errorAnswer('CONFLICT: two-factor sign-in is already on'),
    },
  }),
  twoFactorEnable: operation({
    method: 'post',
    path: '/api/auth/two-factor/enable',
    summary: 'Confirm the set-up with a current code; answers the recovery codes once',
    security: [['accessCookie', 'csrfHeader'], ['csrfHeader']],
    body: TwoFactorEnableRequest,
    responses: {
      200: { description: 'Recovery codes (and the user, when this finished a sign-in)', body: TwoFactorEnabled },
      ...stateChanging,
      401: errorAnswer('INVALID_CREDENTIALS: wrong code; UNAUTHENTICATED'),
      409: errorAnswer('CONFLICT: no set-up started, or already on'),
      429: limited('RATE_LIMITED: too many codes'),
    },
  }),
  twoFactorDisable: operation({
    method: 'post',
    path: '/api/auth/two-factor/disable',
    summary: 'Turn two-factor sign-in off with a current code or a recovery code',
    security: [['accessCookie', 'csrfHeader']],
    body: TwoFactorDisableRequest,
    responses: {
      204: { description: 'Turned off; its recovery codes are deleted' },
      ...stateChanging,
      401: errorAnswer('INVALID_CREDENTIALS: wrong code; UNAUTHENTICATED'),
      409: errorAnswer('CONFLICT: not on'),
      429: limited('RATE_LIMITED: too many codes'),
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
  changePassword: operation({
    method: 'post',
    path: '/api/auth/password',
    summary: 'Change the password; every other session of the account ends, this one goes on with new cookies',
    security: [['accessCookie', 'csrfHeader']],
    body: ChangePasswordRequest,
    responses: {
      200: signedInAs('Password changed'),
      ...stateChanging,
      401: errorAnswer('UNAUTHENTICATED, or INVALID_CREDENTIALS: the current password is wrong'),
      429: limited('RATE_LIMITED: too many wrong current passwords'),
    },
  }),
  requestPasswordReset: operation({
    method: 'post',
    path: '/api/auth/password-reset',
    summary:
      'Mail a password-reset link (valid 30 minutes, once) to the address if it has an account; the same answer either way',
    security: csrf,
    body: PasswordResetRequest,
    responses: {
      202: { description: 'Accepted; a mail follows when the address has an account', body: MailAccepted },
      ...stateChanging,
      429: limited('RATE_LIMITED: too many requests from this client address or for this email address'),
    },
  }),
  completePasswordReset: operation({
    method: 'post',
    path: '/api/auth/password-reset/complete',
    summary: 'Set a new password with the token of a reset link; every session of the account ends',
    security: csrf,
    body: PasswordResetCompletion,
    responses: {
      204: { description: 'Password set; sign in with it' },
      ...stateChanging,
      400: errorAnswer('INVALID_TOKEN: the link is unknown, used or expired; VALIDATION_FAILED'),
      429: limited('RATE_LIMITED: too many attempts from this address'),
    },
  }),
  verifyEmail: operation({
    method: 'post',
    path: '/api/auth/verify-email',
    summary: 'Mark the address of the account verified with the token of a verification link',
    security: csrf,
    body: EmailVerificationRequest,
    responses: {
      204: { description: 'Verified; a session refreshes to carry it (POST /api/auth/refresh)' },
      ...stateChanging,
      400: errorAnswer('INVALID_TOKEN: the link is unknown, used or expired; VALIDATION_FAILED'),
      429: limited('RATE_LIMITED: too many attempts from this address'),
    },
  }),
  resendVerification: operation({
    method: 'post',
    path: '/api/auth/verify-email/resend',
    summary: "Mail a new verification link to the caller's address",
    security: [['accessCookie', 'csrfHeader']],
    responses: {
      202: { description: 'A mail follows (none when the address is already verified)', body: MailAccepted },
      401: errorAnswer('UNAUTHENTICATED'),
      403: stateChanging[403],
      429: limited('RATE_LIMITED: too many mails for this account'),
    },
  }),
  exportAccount: operation({
    method: 'get',
    path: '/api/auth/account/export',
    summary: "The caller's account data as JSON (profile and sessions)",
    security: session,
    responses: { 200: { description: 'The account data', body: AccountExport }, 401: errorAnswer('UNAUTHENTICATED') },
  }),
  deleteAccount: operation({
    method: 'delete',
    path: '/api/auth/account',
    summary:
      "Delete the caller's account: personal data erased, every session ended; other services erase theirs on user.deleted",
    security: [['accessCookie', 'csrfHeader']],
    body: DeleteAccountRequest,
    responses: {
      204: { description: 'Deleted; the cookies are cleared', headers: sessionCookies },
      ...stateChanging,
      401: errorAnswer('UNAUTHENTICATED, or INVALID_CREDENTIALS: the password is wrong'),
      409: errorAnswer('CONFLICT: the configured administrator account cannot delete itself'),
      429: limited('RATE_LIMITED: too many wrong passwords'),
    },
  }),
  getEmailPreferences: operation({
    method: 'get',
    path: '/api/auth/account/email-preferences',
    summary: 'Which notification emails the caller gets (sales, order outcomes)',
    security: session,
    responses: {
      200: { description: 'The preferences', body: EmailPreferences },
      401: errorAnswer('UNAUTHENTICATED'),
    },
  }),
  updateEmailPreferences: operation({
    method: 'put',
    path: '/api/auth/account/email-preferences',
    summary: 'Turn sale or order-outcome emails on or off; the mailer learns it from user.changed',
    security: [['accessCookie', 'csrfHeader']],
    body: UpdateEmailPreferencesRequest,
    responses: {
      200: { description: 'The preferences now', body: EmailPreferences },
      ...stateChanging,
      401: errorAnswer('UNAUTHENTICATED'),
    },
  }),
  unsubscribe: operation({
    method: 'post',
    path: '/api/auth/unsubscribe',
    summary: 'Turn off one kind of email from the link in such an email (signed token; no session needed)',
    security: csrf,
    body: UnsubscribeRequest,
    responses: {
      200: { description: 'That kind of email is off for the account the link names', body: Unsubscribed },
      ...stateChanging,
      404: errorAnswer('NOT_FOUND: the link is not valid (altered, or its account is gone)'),
    },
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
