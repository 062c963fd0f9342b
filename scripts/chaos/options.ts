// Settings of `npm run chaos` and `npm run soak`: each one a flag (--orders 300, --orders=300) or an
// environment variable (CHAOS_ORDERS=300), the flag winning, else its default.
import { SetupError } from '../lib/errors.js';

/** A default computed from the settings read before it (in the order of the specs). */
type Derived<T> = (settings: Readonly<Record<string, unknown>>) => T;

interface Common {
  help: string;
  /** What --help shows for a derived default. */
  defaultText?: string;
}
export interface NumberSpec extends Common {
  type: 'int' | 'number';
  min?: number;
  max?: number;
  default: number | null | Derived<number>;
}
export interface BytesSpec extends Common {
  type: 'bytes';
  default: number | null;
}
export interface FlagSpec extends Common {
  type: 'flag';
  default: boolean;
}
export interface TextSpec extends Common {
  type: 'text';
  choices?: readonly string[];
  default: string | null;
}
export type Spec = NumberSpec | BytesSpec | FlagSpec | TextSpec;
export type Specs = Record<string, Spec>;

type ValueOf<P extends Spec> = P extends FlagSpec
  ? boolean
  : P extends TextSpec
    ? (P['choices'] extends readonly (infer C)[] ? C : string) | (null extends P['default'] ? null : never)
    : number | (null extends P['default'] ? null : never);

/** The values `readOptions` returns for `specs`. */
export type SettingsOf<S extends Specs> = { -readonly [K in keyof S]: ValueOf<S[K]> };

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const envName = (prefix: string, key: string): string => `${prefix}_${kebab(key).replace(/-/g, '_').toUpperCase()}`;

const BYTE_UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "16mb", "512k", "1gb" or plain bytes → bytes, or null when it is none of these. */
export function parseBytes(text: string): number | null {
  const m = /^(\d+)\s*(b|k|kb|m|mb|g|gb)?$/i.exec(text.trim());
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase().charAt(0);
  return Number(m[1]) * (BYTE_UNITS[unit] ?? 1);
}

function convert(name: string, raw: string | true, spec: Spec): unknown {
  if (spec.type === 'flag') {
    if (raw === true || /^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new SetupError(`${name} must be true/false, got ${raw}`);
  }
  const text = String(raw);
  if (spec.type === 'int' || spec.type === 'number') {
    const value = Number(text);
    const { min = 0, max = Number.MAX_SAFE_INTEGER } = spec;
    if (
      text.trim() === '' ||
      !Number.isFinite(value) ||
      value < min ||
      value > max ||
      (spec.type === 'int' && !Number.isInteger(value))
    ) {
      throw new SetupError(
        `${name} must be ${spec.type === 'int' ? 'an integer' : 'a number'} from ${min} to ${max}, got ${text}`,
      );
    }
    return value;
  }
  if (spec.type === 'bytes') {
    const value = parseBytes(text);
    if (value === null) throw new SetupError(`${name} must be a size such as 16mb, got ${text}`);
    return value;
  }
  if (spec.type === 'text' && spec.choices && !spec.choices.includes(text))
    throw new SetupError(`${name} must be one of ${spec.choices.join(', ')}, got ${text}`);
  return text;
}

export interface ReadOptions<S extends Specs> {
  prefix: string;
  specs: S;
  argv?: readonly string[];
  usage: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Reads `specs` ({ key: { type, default, help, min, max, choices } }) from argv and the environment
 * (`${prefix}_KEY`). Unknown flags and bad values are refused with a SetupError; `--help` prints every
 * setting and exits.
 */
export function readOptions<S extends Specs>({
  prefix,
  specs,
  argv = process.argv.slice(2),
  usage,
  env = process.env,
}: ReadOptions<S>): SettingsOf<S> {
  const byFlag = new Map(Object.keys(specs).map((key) => [kebab(key), key]));
  const fromArgs: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(helpText(prefix, specs, usage));
      process.exit(0);
    }
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    const key = m?.[1] === undefined ? undefined : byFlag.get(m[1]);
    if (!m || !key) throw new SetupError(`unknown option ${arg}; see --help`);
    const next = argv[i + 1];
    if (m[2] !== undefined) fromArgs[key] = m[2];
    else if (specs[key]?.type === 'flag' && (next === undefined || next.startsWith('--'))) fromArgs[key] = true;
    else if (next === undefined) throw new SetupError(`${arg} needs a value; see --help`);
    else {
      fromArgs[key] = next;
      i += 1;
    }
  }
  const options: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const fromEnv = env[envName(prefix, key)];
    const flagged = fromArgs[key];
    if (flagged !== undefined) options[key] = convert(`--${kebab(key)}`, flagged, spec);
    else if (fromEnv !== undefined && fromEnv !== '') options[key] = convert(envName(prefix, key), fromEnv, spec);
    else options[key] = typeof spec.default === 'function' ? spec.default(options) : spec.default;
  }
  return options as SettingsOf<S>;
}

function helpText(prefix: string, specs: Specs, usage: string): string {
  const rows = Object.entries(specs).map(([key, spec]) => {
    const shown = typeof spec.default === 'function' ? (spec.defaultText ?? 'derived') : String(spec.default);
    return [`--${kebab(key)}`, envName(prefix, key), shown, spec.help] as const;
  });
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i as 0 | 1 | 2].length)));
  const pad = (text: string, i: number) => text.padEnd(widths[i] ?? 0);
  return `${usage}\n\n${rows.map((r) => `  ${pad(r[0], 0)}  ${pad(r[1], 1)}  ${pad(r[2], 2)}  ${r[3]}`).join('\n')}\n`;
}
