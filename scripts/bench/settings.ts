// Benchmark settings from the environment: every size, rate and duration has a default that keeps a run short.
import os from 'node:os';
import path from 'node:path';
import { SetupError } from '../lib/errors.js';

export interface NumberLimits {
  min?: number;
  max?: number;
  /** Whole numbers only (the default). */
  integer?: boolean;
}

function parseNumber(
  name: string,
  raw: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER, integer = true }: NumberLimits,
) {
  const value = Number(raw);
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new SetupError(
      `${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got ${raw}`,
    );
  }
  return value;
}

/** The number in variable `name`, or `fallback` when it is unset or empty; anything else is a SetupError. */
export function envNumber<F>(name: string, fallback: F, limits: NumberLimits = {}, env = process.env): number | F {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return parseNumber(name, raw, limits);
}

/** A comma-separated list of numbers (`BENCH_RATES=50,100`), each within `limits`; a bad item is named as NAME#i. */
export function envNumbers<F>(name: string, fallback: F, limits: NumberLimits = {}, env = process.env): number[] | F {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return raw.split(',').map((part, i) => parseNumber(`${name}#${i}`, part.trim(), limits));
}

export function envFlag(name: string, fallback: boolean, env = process.env): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new SetupError(`${name} must be 1/0, true/false or yes/no, got ${raw}`);
}

export function envText<F>(name: string, fallback: F, pattern?: RegExp, env = process.env): string | F {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (pattern && !pattern.test(raw)) throw new SetupError(`${name} does not match ${pattern}: ${raw}`);
  return raw;
}

/** The settings of `npm run bench` (docs/benchmarks.md), from BENCH_* variables. */
export function readBenchSettings(env: NodeJS.ProcessEnv = process.env) {
  const external = envText('BENCH_URL', '', undefined, env);
  const suffix = external ? '' : '_bench';
  return {
    external,
    /** With BENCH_URL: the web address of that stack's mail catcher (MailDev), where the accounts' verification links arrive. */
    externalMailUrl: envText('BENCH_MAIL_URL', '', undefined, env),
    port: envNumber('BENCH_PORT', 8097, { min: 1, max: 65535 }, env),
    dbSuffix: envText('BENCH_DB_SUFFIX', suffix, /^[a-z0-9_]*$/, env),
    streamSuffix: envText('BENCH_STREAM_SUFFIX', suffix, /^[a-z0-9_]*$/, env),
    build: envFlag('BENCH_BUILD', true, env),
    keep: envFlag('BENCH_KEEP', false, env),
    skip: new Set<string>(
      envText('BENCH_SKIP', '', undefined, env)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    deadlineSeconds: envNumber('BENCH_DEADLINE_SECONDS', 570, { min: 30 }, env),
    buyers: envNumber('BENCH_BUYERS', 50, { min: 1, max: 10_000 }, env),
    products: envNumber('BENCH_PRODUCTS', 100, { min: 1, max: 10_000 }, env),
    stock: envNumber('BENCH_STOCK', 1_000_000, { min: 1000, max: 1_000_000 }, env),
    rates: envNumbers('BENCH_RATES', [25, 50, 75, 100, 150, 200, 300, 400, 600, 800], { min: 1, max: 100_000 }, env),
    stepSeconds: envNumber('BENCH_STEP_SECONDS', 20, { min: 1, max: 600 }, env),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 5, { min: 0, max: 120 }, env),
    maxInFlight: envNumber('BENCH_MAX_IN_FLIGHT', 256, { min: 1, max: 10_000 }, env),
    followMax: envNumber('BENCH_FOLLOW_MAX', 300, { min: 0, max: 10_000 }, env),
    pollMs: envNumber('BENCH_POLL_MS', 100, { min: 10, max: 10_000 }, env),
    stepDrainSeconds: envNumber('BENCH_STEP_DRAIN_SECONDS', 30, { min: 1, max: 600 }, env),
    drainSeconds: envNumber('BENCH_DRAIN_SECONDS', 60, { min: 1, max: 600 }, env),
    stopAfterSaturated: envNumber('BENCH_STOP_AFTER_SATURATED', 1, { min: 1, max: 100 }, env),
    pgbenchSeconds: envNumber('BENCH_PGBENCH_SECONDS', 15, { min: 1, max: 600 }, env),
    pgbenchClients: envNumber('BENCH_PGBENCH_CLIENTS', 8, { min: 1, max: 1000 }, env),
    pgbenchThreads: envNumber('BENCH_PGBENCH_THREADS', os.cpus().length, { min: 1, max: 256 }, env),
    redisRequests: envNumber('BENCH_REDIS_REQUESTS', 100_000, { min: 1000, max: 10_000_000 }, env),
    redisClients: envNumber('BENCH_REDIS_CLIENTS', 50, { min: 1, max: 10_000 }, env),
    catalogSeconds: envNumber('BENCH_CATALOG_SECONDS', 20, { min: 1, max: 600 }, env),
    catalogConnections: envNumber('BENCH_CATALOG_CONNECTIONS', 16, { min: 1, max: 1000 }, env),
    catalogUrls: envNumber('BENCH_CATALOG_URLS', 1200, { min: 1, max: 5000 }, env),
    catalogOrderRate: envNumber('BENCH_CATALOG_ORDER_RATE', 50, { min: 0, max: 1000 }, env),
    cpuProfileDir: envText('BENCH_CPU_PROFILE_DIR', '', undefined, env)
      ? path.resolve(envText('BENCH_CPU_PROFILE_DIR', '', undefined, env))
      : undefined,
    burstConnections: envNumber('BENCH_BURST_CONNECTIONS', 16, { min: 1, max: 1000 }, env),
    burstSeconds: envNumber('BENCH_BURST_SECONDS', 20, { min: 1, max: 600 }, env),
  };
}

export type BenchSettings = ReturnType<typeof readBenchSettings>;
