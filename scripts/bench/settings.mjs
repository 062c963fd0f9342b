// Benchmark settings from the environment: every size, rate and duration has a default that keeps a run short.
import { SetupError } from '../lib/proc.mjs';

export function envNumber(name, fallback, { min = 0, max = Number.MAX_SAFE_INTEGER, integer = true } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new SetupError(
      `${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got ${raw}`,
    );
  }
  return value;
}

export function envNumbers(name, fallback, options) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return raw.split(',').map((part, i) => {
    process.env[`${name}#${i}`] = part.trim();
    try {
      return envNumber(`${name}#${i}`, undefined, options);
    } finally {
      delete process.env[`${name}#${i}`];
    }
  });
}

export function envFlag(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new SetupError(`${name} must be 1/0, true/false or yes/no, got ${raw}`);
}

export function envText(name, fallback, pattern) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (pattern && !pattern.test(raw)) throw new SetupError(`${name} does not match ${pattern}: ${raw}`);
  return raw;
}
