import axios, { type AxiosError, type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios';
import { CSRF_HEADER, CSRF_HEADER_VALUE, type User } from './contracts';
import { createRefreshCoordinator } from './refresh-coordinator';
import { reportRefreshed, reportSessionEnded } from './session-events';

export const api = axios.create({
  baseURL: '/api',
  withCredentials: true,
  timeout: 15_000,
  headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE },
});

// Requests whose 401 means "wrong credentials" or "no session", never "token expired".
const NO_REFRESH = ['/auth/login', '/auth/signup', '/auth/refresh', '/auth/logout', '/auth/demo-login'];

type RetriableConfig = InternalAxiosRequestConfig & { retriedAfterRefresh?: boolean };
const NO_RETRY: AxiosRequestConfig & { retriedAfterRefresh?: boolean } = { retriedAfterRefresh: true };

const coordinate = createRefreshCoordinator({
  refresh: async () => (await api.post<User>('/auth/refresh')).data,
  // Inside a refresh already: a 401 here must not start another one (it would wait for itself).
  current: async () => (await api.get<User>('/auth/me', NO_RETRY)).data,
  locks: typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : undefined,
  storage: typeof localStorage !== 'undefined' ? localStorage : undefined,
});

/** One refresh for any number of requests that failed together, in this tab and the others. */
async function refreshSession(): Promise<User> {
  const user = await coordinate();
  reportRefreshed(user);
  return user;
}

function shouldRefresh(error: AxiosError): boolean {
  const config = error.config as RetriableConfig | undefined;
  if (!config || config.retriedAfterRefresh || error.response?.status !== 401) return false;
  const code = (error.response.data as { error?: { code?: string } } | undefined)?.error?.code;
  if (code === 'INVALID_CREDENTIALS') return false;
  return !NO_REFRESH.some((path) => config.url?.startsWith(path));
}

api.interceptors.response.use(undefined, async (error: unknown) => {
  if (!axios.isAxiosError(error) || !shouldRefresh(error)) throw error;
  const config = error.config as RetriableConfig;
  config.retriedAfterRefresh = true;
  try {
    await refreshSession();
  } catch {
    reportSessionEnded();
    throw error;
  }
  return api.request(config);
});
