import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Observability } from './observability';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * GET /health, /ready and /metrics of a worker process (no API of its own), on its own port like
 * the services', so an orchestrator can probe it and Prometheus scrape it. Anything else is a 404
 * in the shared error envelope.
 */
export async function serveWorkerEndpoints(
  observability: Observability,
  options: { host: string; port: number },
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'only GET is served here' } });
    } else if (path === '/health') {
      sendJson(res, 200, { status: 'ok' });
    } else if (path === '/ready') {
      void observability.readiness().then(
        (result) =>
          sendJson(res, result.ok ? 200 : 503, { status: result.ok ? 'ready' : 'not ready', checks: result.checks }),
        () => sendJson(res, 503, { status: 'not ready', checks: {} }),
      );
    } else if (path === '/metrics') {
      void observability.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': observability.registry.contentType });
          res.end(text);
        },
        () => sendJson(res, 500, { error: { code: 'INTERNAL', message: 'metrics are not available' } }),
      );
    } else {
      sendJson(res, 404, {
        error: { code: 'NOT_FOUND', message: `no ${path} here; a worker serves /health, /ready and /metrics` },
      });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Closes a server started by serveWorkerEndpoints. */
export const closeServer = (server: Server) =>
  new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
