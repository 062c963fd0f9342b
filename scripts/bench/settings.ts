// Benchmark settings from the environment: every size, rate and duration has a default that keeps a run short.
import { SetupError } from '../lib/errors.js';

export interface NumberLimits {
  min?: number;
  max?: number;
  /** Whole numbers only (the default). */
  integer?: boolean;
}

function parseNumber(name: string, raw: string, { min = 0, max = Number.MAX_SAFE_INTEGER, integer = true }: NumberLimits) {
  const value = Number(raw);
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new SetupError(`${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got ${raw}`);
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
