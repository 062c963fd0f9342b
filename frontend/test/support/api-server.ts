import { http, HttpResponse, type PathParams } from 'msw';
import { setupServer } from 'msw/node';

/** What the SPA sent, as the server saw it: the path below /api, the query as strings, the JSON body. */
export interface ApiRequest {
  method: string;
  url: string;
  body: unknown;
  headers: Headers;
  params: Record<string, string>;
  pathParams: PathParams;
}

type Reply = [status: number, body?: unknown, headers?: Record<string, string>] | 'network-error';
type Handler = (request: ApiRequest) => Reply | Promise<Reply>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const METHODS = { GET: http.get, POST: http.post, PUT: http.put, PATCH: http.patch, DELETE: http.delete };

let log: ApiRequest[] = [];

async function read(request: Request, pathParams: PathParams): Promise<ApiRequest> {
  const url = new URL(request.url);
  const text = await request.clone().text();
  return {
    method: request.method,
    url: url.pathname.replace(/^\/api(?=\/)/, ''),
    body: text ? (JSON.parse(text) as unknown) : undefined,
    headers: request.headers,
    params: Object.fromEntries(url.searchParams),
    pathParams,
  };
}

function respond(reply: Reply): Response {
  if (reply === 'network-error') return HttpResponse.error();
  const [status, body, headers = {}] = reply;
  if (body === undefined) return new HttpResponse(null, { status, headers });
  return HttpResponse.json(body, { status, headers });
}

/** The network of every unit test (MSW): any /api route a test did not name answers 404 NOT_FOUND, like the API would. */
export const mockNetwork = setupServer(
  http.all('/api/*', async ({ request, params }) => {
    log.push(await read(request, params));
    return respond([404, { error: { code: 'NOT_FOUND', message: 'no route in this test' } }]);
  }),
);

/**
 * The API as one test needs it: canned answers per route (MSW path patterns, `:id` and the like, below /api),
 * the latest route winning, and a log of every request the SPA's real axios client sent.
 */
export function apiServer() {
  const requests: ApiRequest[] = [];
  log = requests;
  return {
    requests,
    on(method: Method, path: string, handler: Handler | Reply) {
      const answer = typeof handler === 'function' ? handler : () => handler;
      mockNetwork.use(
        METHODS[method](`/api${path}`, async ({ request, params }) => {
          const seen = await read(request, params);
          requests.push(seen);
          return respond(await answer(seen));
        }),
      );
      return this;
    },
    sent(method: Method, url: string) {
      return requests.filter((r) => r.method === method && r.url === url);
    },
  };
}

export type ApiServer = ReturnType<typeof apiServer>;
