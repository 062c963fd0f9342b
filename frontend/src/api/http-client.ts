import axios, { type AxiosError, type InternalAxiosRequestConfig } from 'axios';
import { CSRF_HEADER, CSRF_HEADER_VALUE, type User } from './contracts';
import { reportRefreshed, reportSessionEnded } from './session-events';

export const api = axios.create({
  baseURL: '/api',
  withCredentials: true,
  timeout: 15_000,
  headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE },
});

// Requests whose 401 means "wrong credentials" or "no session", never "token expired".
const NO_REFRESH = ['/auth/login', '/auth/signup', '/auth/refresh', '/auth/logout', '/auth/demo-login'];

let refreshing: Promise<User> | null = null;

/** One refresh for any number of requests that failed together. */
function refreshSession(): Promise<User> {
  refreshing ??= api
    .post<User>('/auth/refresh')
    .then((response) => {
      reportRefreshed(response.data);
      return response.data;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

type RetriableConfig = InternalAxiosRequestConfig & { retriedAfterRefresh?: boolean };

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
