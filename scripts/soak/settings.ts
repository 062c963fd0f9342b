// The settings of a soak: each a flag, a SOAK_* variable (see ../chaos/options.ts) and a default.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type SettingsOf, type Specs } from '../chaos/options.js';

/** Half the sustained peak of the newest `npm run bench` result in `dir` (bench-results/), else null. */
export function halfOfBenchPeak(dir: string): number | null {
  if (!existsSync(dir)) return null;
  const newest = readdirSync(dir)
    .filter((f) => /^bench-.*\.json$/.test(f))
    .sort()
    .at(-1);
  if (!newest) return null;
  try {
    const result = JSON.parse(readFileSync(path.join(dir, newest), 'utf8')) as {
      orders?: { peak?: { completedPerSecond?: number } };
    };
    const peak = result.orders?.peak?.completedPerSecond;
    return typeof peak === 'number' && peak > 0 ? Math.round(peak / 2) : null;
  } catch {
    return null;
  }
}

/** Every setting of a soak, its flag, SOAK_* variable and default; the rate's from the bench results in `benchResultsDir`. */
export const soakSpecs = (benchResultsDir: string) =>
  ({
    minutes: { type: 'number', min: 1, max: 24 * 60, default: 30, help: 'length of the load' },
    warmupMinutes: { type: 'number', min: 0, max: 24 * 60, default: 5, help: 'memory is judged only after this' },
    rate: {
      type: 'number',
      min: 0.1,
      max: 100_000,
      default: () => halfOfBenchPeak(benchResultsDir) ?? 100,
      defaultText: 'half the newest bench peak, else 100',
      help: 'orders per second (open loop)',
    },
    tolerance: {
      type: 'number',
      min: 0,
      max: 10,
      default: 0.1,
      help: 'allowed growth after the warm-up of the heap retained after GC (any minute) and of RSS (at the end); 0.1 = 10 %',
    },
    windowSeconds: {
      type: 'int',
      min: 10,
      max: 3600,
      default: 60,
      help: 'one table row (and one median per process) per window',
    },
    sampleSeconds: { type: 'int', min: 1, max: 600, default: 10, help: 'memory sampled this often' },
    followMax: {
      type: 'int',
      min: 0,
      max: 10_000,
      default: 50,
      help: 'orders followed over SSE at once (GET /api/orders/:id/events)',
    },
    buyers: { type: 'int', min: 1, max: 10_000, default: 50, help: 'buyers placing the orders' },
    products: { type: 'int', min: 1, max: 10_000, default: 100, help: 'products they buy' },
    maxInFlight: { type: 'int', min: 1, max: 10_000, default: 256, help: 'requests open at once' },
    productsWorkers: { type: 'int', min: 1, max: 16, default: 1, help: 'products-worker processes' },
    ordersServices: { type: 'int', min: 1, max: 8, default: 1, help: 'orders-service replicas behind nginx' },
    ordersWorkers: { type: 'int', min: 1, max: 16, default: 1, help: 'orders-worker processes' },
    snapshots: {
      type: 'text',
      choices: ['auto', 'off'],
      default: 'auto',
      help: 'auto: a process that grew gets two heap snapshots, compared',
    },
    snapshotGapSeconds: {
      type: 'int',
      min: 10,
      max: 3600,
      default: 120,
      help: 'load between the two snapshots of a process that grew',
    },
    logLevel: {
      type: 'text',
      choices: ['fatal', 'error', 'warn', 'info', 'debug'],
      default: 'info',
      help: "the processes' LOG_LEVEL",
    },
    build: { type: 'flag', default: true, help: 'build the backend (tsc -b) first' },
    keep: { type: 'flag', default: false, help: 'keep the databases and the run folder (logs, snapshots) afterwards' },
    reportFile: { type: 'text', default: '', help: 'also write the report as JSON here' },
  }) as const satisfies Specs;

export type SoakSettings = SettingsOf<ReturnType<typeof soakSpecs>>;
