import type { AddressInfo } from 'node:net';
import { closeServer, createObservability, serveWorkerEndpoints } from '@market/kit';

describe('worker endpoints', () => {
  it('when probed, then /health is alive, /ready follows the checks, /metrics is Prometheus text and anything else is a JSON 404', async () => {
    let redisUp = true;
    const observability = createObservability('test-worker', {
      postgres: async () => 1,
      redis: async () => {
        if (!redisUp) throw new Error('down');
      },
    });
    const server = await serveWorkerEndpoints(observability, { host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(200);
      redisUp = false;
      const notReady = await fetch(`${base}/ready`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ status: 'not ready', checks: { postgres: 'ok', redis: 'failing' } });
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      expect(await metrics.text()).toContain('process_cpu_seconds_total{service="test-worker"}');
      const missing = await fetch(`${base}/api/orders`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
      expect((await fetch(`${base}/health`, { method: 'POST' })).status).toBe(405);
    } finally {
      await closeServer(server);
    }
  });
});
