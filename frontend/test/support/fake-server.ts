import { AxiosError, AxiosHeaders, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import { api } from '../../src/api/http-client';

export interface FakeRequest {
  method: string;
  url: string;
  body: unknown;
  headers: AxiosHeaders;
  params: Record<string, unknown>;
}

type Reply = [status: number, body?: unknown, headers?: Record<string, string>] | 'network-error';
type Handler = (request: FakeRequest) => Reply | Promise<Reply>;

/**
 * Answers the SPA's axios instance in place of the network, so tests run the real client code
 * (CSRF header, refresh-and-retry, error parsing) against canned API answers.
 */
export function fakeServer() {
  const routes: { method: string; path: string | RegExp; handler: Handler }[] = [];
  const requests: FakeRequest[] = [];

  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const request: FakeRequest = {
      method: (config.method ?? 'get').toUpperCase(),
      url: config.url ?? '',
      body: typeof config.data === 'string' && config.data ? JSON.parse(config.data) : config.data,
      headers: AxiosHeaders.from(config.headers),
      params: (config.params ?? {}) as Record<string, unknown>,
    };
    requests.push(request);
    const route = [...routes]
      .reverse()
      .find((r) => r.method === request.method && (typeof r.path === 'string' ? r.path === request.url : r.path.test(request.url)));
    const reply: Reply = route ? await route.handler(request) : [404, { error: { code: 'NOT_FOUND', message: 'no fake route' } }];
    if (reply === 'network-error') throw new AxiosError('Network Error', 'ERR_NETWORK', config, {});
    const [status, data = '', headers = {}] = reply;
    const response = { data, status, statusText: String(status), headers: AxiosHeaders.from(headers), config, request: {} };
    if (status >= 200 && status < 300) return response;
    throw new AxiosError(`Request failed with status code ${status}`, 'ERR_BAD_REQUEST', config, {}, response);
  };
  api.defaults.adapter = adapter;

  return {
    requests,
    on(method: string, path: string | RegExp, handler: Handler | Reply) {
      routes.push({ method, path, handler: typeof handler === 'function' ? handler : () => handler });
      return this;
    },
    sent(method: string, url: string) {
      return requests.filter((r) => r.method === method && r.url === url);
    },
  };
}

export type FakeServer = ReturnType<typeof fakeServer>;
