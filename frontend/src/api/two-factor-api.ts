import { api } from './http-client';
import type { SecondStepRequest, TwoFactorEnabled, TwoFactorSetup, TwoFactorStatus, User } from './contracts';

export async function loginSecondStep(body: SecondStepRequest): Promise<User> {
  return (await api.post<User>('/auth/login/second-step', body)).data;
}

export async function fetchTwoFactorStatus(): Promise<TwoFactorStatus> {
  return (await api.get<TwoFactorStatus>('/auth/two-factor')).data;
}

/** `challenge`: an admin who must enrol before its sign-in finishes. */
export async function startTwoFactorSetup(challenge?: string): Promise<TwoFactorSetup> {
  return (await api.post<TwoFactorSetup>('/auth/two-factor/setup', challenge ? { challenge } : {})).data;
}

export async function enableTwoFactor(code: string, challenge?: string): Promise<TwoFactorEnabled> {
  return (await api.post<TwoFactorEnabled>('/auth/two-factor/enable', challenge ? { code, challenge } : { code })).data;
}

export async function disableTwoFactor(code: string): Promise<void> {
  await api.post('/auth/two-factor/disable', { code });
}
