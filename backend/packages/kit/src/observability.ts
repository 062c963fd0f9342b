import client, { Registry, Histogram } from 'prom-client';
import { registerHeapAfterGc } from './heap-after-gc';

export type ReadinessCheck = () => Promise<unknown>;

export interface Observability {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Runs every check with a timeout; `ok` only when all of them answer. */
  readiness(): Promise<{ ok: boolean; checks: Record<string, 'ok' | 'failing'> }>;
}

export function createObservability(
  service: string,
  checks: Record<string, ReadinessCheck>,
  timeoutMs = 2000,
): Observability {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  registerHeapAfterGc(registry);
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  async function readiness() {
    const results: Record<string, 'ok' | 'failing'> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        });
        try {
          await Promise.race([check(), timeout]);
          results[name] = 'ok';
        } catch {
          results[name] = 'failing';
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return { ok: Object.values(results).every((r) => r === 'ok'), checks: results };
  }

  return { registry, httpDuration, readiness };
}
