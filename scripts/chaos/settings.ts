// The settings of a chaos run: each a flag, a CHAOS_* variable (see options.ts) and a default — the
// issue's full sizes — plus when the one-off faults fall.
import { SetupError } from '../lib/errors.js';
import { type SettingsOf, type Specs } from './options.js';

/** Every setting of a run, its flag, CHAOS_* variable and default (the issue's full sizes). */
export const CHAOS_SPECS = {
  orders: { type: 'int', min: 1, max: 10_000_000, default: 2000, help: 'orders to place' },
  products: { type: 'int', min: 1, max: 10_000, default: 20, help: 'products they are spread over' },
  buyers: { type: 'int', min: 1, max: 10_000, default: 20, help: 'buyers placing them' },
  stock: {
    type: 'int',
    min: 1,
    max: 1_000_000,
    // An order asks 3 units on average: about 85 % of the demand can be served, so some orders fail OUT_OF_STOCK.
    default: (s) => Math.max(1, Math.ceil(((Number(s.orders) * 3) / Number(s.products)) * 0.85)),
    defaultText: '85 % of the demand',
    help: 'initial stock of each product',
  },
  mode: {
    type: 'text',
    choices: ['open', 'closed'],
    default: 'open',
    help: 'open: --rate orders/s; closed: --connections back-to-back loops',
  },
  rate: { type: 'number', min: 0.1, max: 100_000, default: 20, help: 'orders per second (open mode)' },
  connections: { type: 'int', min: 1, max: 1000, default: 32, help: 'concurrent loops (closed mode)' },
  maxInFlight: { type: 'int', min: 1, max: 10_000, default: 64, help: 'requests open at once (open mode)' },
  cancelShare: { type: 'number', min: 0, max: 1, default: 0.1, help: 'share of accepted orders the buyer cancels' },
  cancelWithinMs: {
    type: 'int',
    min: 0,
    max: 600_000,
    default: 3000,
    help: 'a cancel comes 0…this many ms after the order was accepted',
  },
  productsServices: { type: 'int', min: 1, max: 8, default: 1, help: 'products-service replicas (API)' },
  productsWorkers: { type: 'int', min: 1, max: 16, default: 3, help: 'products consumer processes (products-worker)' },
  ordersServices: { type: 'int', min: 1, max: 8, default: 2, help: 'orders-service replicas behind nginx' },
  ordersWorkers: { type: 'int', min: 1, max: 16, default: 2, help: 'orders consumer processes (orders-worker)' },
  killEverySeconds: {
    type: 'number',
    min: 0,
    max: 3600,
    default: 4,
    help: 'SIGKILL a random process every ~N s (±50 %); 0: never',
  },
  respawnDelayMs: {
    type: 'int',
    min: 0,
    max: 60_000,
    default: 1000,
    help: 'a killed or crashed process starts again after this',
  },
  redisRestart: {
    type: 'text',
    choices: ['crash', 'none'],
    default: 'crash',
    help: 'crash: SIGKILL Redis once and restart it on its AOF',
  },
  redisRestartAt: {
    type: 'number',
    min: 0,
    max: 86_400,
    default: null,
    defaultText: '1/3 of the load',
    help: 'seconds into the load',
  },
  redisDownSeconds: { type: 'number', min: 0, max: 600, default: 2, help: 'how long Redis stays down' },
  redisMaxmemory: {
    type: 'bytes',
    default: 512 * 1024 ** 2,
    help: 'Redis maxmemory (noeviction), as deployed; 0: none',
  },
  pgTerminate: {
    type: 'text',
    choices: ['products', 'orders', 'none'],
    default: 'products',
    help: 'database whose sessions are all terminated once',
  },
  pgTerminateAt: {
    type: 'number',
    min: 0,
    max: 86_400,
    default: null,
    defaultText: '2/3 of the load',
    help: 'seconds into the load',
  },
  finalWithinSeconds: {
    type: 'int',
    min: 1,
    max: 3600,
    default: 60,
    help: 'every order must be final this long after it was placed',
  },
  settleSeconds: {
    type: 'int',
    min: 0,
    max: 3600,
    default: 60,
    help: 'after that, how long give-backs may take to land',
  },
  stallSeconds: {
    type: 'int',
    min: 0,
    max: 3600,
    default: null,
    defaultText: '--final-within-seconds',
    help: 'stop placing when no order settled for this long (0: never)',
  },
  retryForSeconds: {
    type: 'int',
    min: 1,
    max: 3600,
    default: 60,
    help: 'a buyer retries a failed request (same key) this long',
  },
  serviceEnv: {
    type: 'text',
    default: '',
    help: 'extra KEY=VALUE,… for every process (e.g. STREAM_CLAIM_IDLE_MS=5000)',
  },
  logLevel: {
    type: 'text',
    choices: ['fatal', 'error', 'warn', 'info', 'debug'],
    default: 'info',
    help: "the processes' LOG_LEVEL",
  },
  seed: {
    type: 'int',
    min: 0,
    max: 2 ** 32 - 1,
    default: null,
    defaultText: 'random',
    help: 'random seed (baskets, cancels, kills)',
  },
  build: { type: 'flag', default: true, help: 'build the backend (tsc -b) first' },
  keep: { type: 'flag', default: false, help: 'keep the databases and the run folder (logs, AOF) afterwards' },
  reportFile: { type: 'text', default: '', help: 'also write the report as JSON here' },
} as const satisfies Specs;

export type ChaosSettings = SettingsOf<typeof CHAOS_SPECS>;

/** `KEY=VALUE,KEY=VALUE` → { KEY: VALUE }. */
export function parseServiceEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at < 1 || !/^[A-Z][A-Z0-9_]*$/.test(pair.slice(0, at)))
      throw new SetupError(`--service-env expects KEY=VALUE pairs, got ${pair}`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

/** Seconds into the load of the Redis crash and of the session termination (null: not this run). */
export function faultTimes(s: ChaosSettings): { redisAt: number | null; pgAt: number | null } {
  const loadSeconds = s.mode === 'open' ? s.orders / s.rate : null;
  return {
    redisAt: s.redisRestart === 'none' ? null : (s.redisRestartAt ?? (loadSeconds ? loadSeconds / 3 : null)),
    pgAt: s.pgTerminate === 'none' ? null : (s.pgTerminateAt ?? (loadSeconds ? (loadSeconds * 2) / 3 : null)),
  };
}

/** One line saying what the run will do. */
export function describeRun(
  s: ChaosSettings,
  { runId, seed, dir }: { runId: string; seed: number; dir: string },
): string {
  const { redisAt, pgAt } = faultTimes(s);
  return (
    `Chaos run ${runId} (seed ${seed}): ${s.orders} orders over ${s.products} products by ${s.buyers} buyers, ` +
    `${s.mode === 'open' ? `${s.rate}/s` : `${s.connections} closed loops`}, ${Math.round(s.cancelShare * 100)} % cancelled; ` +
    `${s.productsServices} products-service, ${s.productsWorkers} products-worker, ${s.ordersServices} orders-service, ${s.ordersWorkers} orders-worker; ` +
    `${s.killEverySeconds > 0 ? `a kill every ~${s.killEverySeconds}s` : 'no kills'}, Redis ${redisAt === null ? 'not restarted' : `crash at ${redisAt.toFixed(0)}s`}, ` +
    `${pgAt === null ? 'no session termination' : `${s.pgTerminate} sessions terminated at ${pgAt.toFixed(0)}s`}; folder ${dir}`
  );
}
