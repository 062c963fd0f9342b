// What the order benchmarks measure: the stack's front URL, its databases and streams, and a CPU sampler over its processes.
import { type CatalogResults } from './catalog-part.js';
import { type measurePgbench, type measureRedisXadd } from './ceilings.js';
import { type CpuSampler } from './cpu.js';
import { type Burst, type Ratios } from './order-burst.js';
import { type PipelineCheck } from './order-checks.js';
import { type Tracker } from './order-load.js';
import { type Step, type cpuPerOrderAt } from './order-ramp.js';
import { type Durability, type EnvironmentFacts } from './report.js';
import { type BenchSettings } from './settings.js';

export interface Target {
  url: string;
  /** The bench stack's nginx; null for a stack the caller named (BENCH_URL). */
  nginx: { prefix: string; conf: string; spaBuilt: boolean } | null;
  cpu: CpuSampler;
  ordersUrl: string;
  productsUrl: string;
  redisUrl: string;
  /** orders_stream and inventory_stream with the run's suffix. */
  streams: string[];
}

/** bench-results/bench-*.json: what each part of `npm run bench` found (docs/benchmarks.md names the fields). */
export interface BenchResults {
  kind: 'bench';
  environment: EnvironmentFacts & { durability?: Durability };
  settings: Omit<BenchSettings, 'skip'> & { skip: string[] };
  ceilings?: {
    pgbench?: Awaited<ReturnType<typeof measurePgbench>>;
    redis?: Awaited<ReturnType<typeof measureRedisXadd>>;
    ratios?: { pgbench: number | null; redisXadd: number | null };
  };
  catalog?: CatalogResults;
  orders?: {
    steps?: Step[];
    followed?: Tracker['modes'];
    peak?: { completedPerSecond: number; atTarget: number; sustained: boolean } | null;
    cpuPerOrderAt150?: ReturnType<typeof cpuPerOrderAt>;
    drain?: { pending: number; waitedMs: number };
  };
  burst?: Record<string, Burst>;
  correctness?: PipelineCheck;
  ratios?: Ratios;
  durationSeconds?: number;
}
