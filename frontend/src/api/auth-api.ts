import { api } from './http-client';
import type {
  AccountExport,
  AdminUser,
  ChangePasswordRequest,
  DemoLoginRequest,
  EmailPreferences,
  LoginRequest,
  MailAccepted,
  Page,
  SecondStepRequired,
  SignupRequest,
  Unsubscribed,
  UpdateEmailPreferencesRequest,
  UpdateUserRequest,
  User,
} from './contracts';

export async function fetchMe(): Promise<User> {
  return (await api.get<User>('/auth/me')).data;
}

export async function login(body: LoginRequest): Promise<User | SecondStepRequired> {
  return (await api.post<User | SecondStepRequired>('/auth/login', body)).data;
}

export async function signup(body: SignupRequest): Promise<User> {
  return (await api.post<User>('/auth/signup', body)).data;
}

export async function demoLogin(who: DemoLoginRequest['who']): Promise<User> {
  return (await api.post<User>('/auth/demo-login', { who })).data;
}

export async function logout(): Promise<void> {
  await api.post('/auth/logout');
}

/** Ends every session of the account, on every device, this one included. */
export async function logoutEverywhere(): Promise<void> {
  await api.post('/auth/logout-everywhere');
}

export async function listUsers(
  query: { page: number; pageSize: number; q?: string },
  signal?: AbortSignal,
): Promise<Page<AdminUser>> {
  const params = query.q ? query : { page: query.page, pageSize: query.pageSize };
  return (await api.get<Page<AdminUser>>('/auth/users', { params, signal })).data;
}

export async function updateUser(id: string, body: UpdateUserRequest): Promise<AdminUser> {
  return (await api.patch<AdminUser>(`/auth/users/${encodeURIComponent(id)}`, body)).data;
}

export async function changePassword(body: ChangePasswordRequest): Promise<User> {
  return (await api.post<User>('/auth/password', body)).data;
}

export async function exportAccount(): Promise<AccountExport> {
  return (await api.get<AccountExport>('/auth/account/export')).data;
}

export async function deleteAccount(password: string): Promise<void> {
  await api.delete('/auth/account', { data: { password } });
}

/** The same answer whether or not the address has an account. */
export async function requestPasswordReset(email: string): Promise<MailAccepted> {
  return (await api.post<MailAccepted>('/auth/password-reset', { email })).data;
}

export async function completePasswordReset(token: string, password: string): Promise<void> {
  await api.post('/auth/password-reset/complete', { token, password });
}

export async function verifyEmail(token: string): Promise<void> {
  await api.post('/auth/verify-email', { token });
}

export async function resendVerification(): Promise<MailAccepted> {
  return (await api.post<MailAccepted>('/auth/verify-email/resend')).data;
}

/** A new access token, carrying what changed on the account (its verified address). */
export async function renewSession(): Promise<User> {
  return (await api.post<User>('/auth/refresh')).data;
}

export async function fetchEmailPreferences(signal?: AbortSignal): Promise<EmailPreferences> {
  return (await api.get<EmailPreferences>('/auth/account/email-preferences', { signal })).data;
}

export async function updateEmailPreferences(body: UpdateEmailPreferencesRequest): Promise<EmailPreferences> {
  return (await api.put<EmailPreferences>('/auth/account/email-preferences', body)).data;
}

/** Follows an email's unsubscribe link: the signed token names the account and the kind; no session needed. */
export async function unsubscribe(token: string): Promise<Unsubscribed> {
  return (await api.post<Unsubscribed>('/auth/unsubscribe', { token })).data;
}
