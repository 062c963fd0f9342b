// Settings of `npm run chaos` and `npm run soak`: each one a flag (--orders 300, --orders=300) or an
// environment variable (CHAOS_ORDERS=300), the flag winning, else its default.
import { SetupError } from '../lib/proc.mjs';

const kebab = (key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const envName = (prefix, key) => `${prefix}_${kebab(key).replace(/-/g, '_').toUpperCase()}`;

/** "16mb", "512k", "1gb" or plain bytes → bytes. */
function parseBytes(text) {
  const m = /^(\d+)\s*(b|k|kb|m|mb|g|gb)?$/i.exec(String(text).trim());
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  return Number(m[1]) * { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit];
}

function convert(name, raw, spec) {
  if (spec.type === 'flag') {
    if (raw === true || /^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new SetupError(`${name} must be true/false, got ${raw}`);
  }
  if (spec.type === 'int' || spec.type === 'number') {
    const value = Number(raw);
    const { min = 0, max = Number.MAX_SAFE_INTEGER } = spec;
    if (!Number.isFinite(value) || value < min || value > max || (spec.type === 'int' && !Number.isInteger(value))) {
      throw new SetupError(
        `${name} must be ${spec.type === 'int' ? 'an integer' : 'a number'} from ${min} to ${max}, got ${raw}`,
      );
    }
    return value;
  }
  if (spec.type === 'bytes') {
    const value = parseBytes(raw);
    if (value === null) throw new SetupError(`${name} must be a size such as 16mb, got ${raw}`);
    return value;
  }
  if (spec.choices && !spec.choices.includes(raw))
    throw new SetupError(`${name} must be one of ${spec.choices.join(', ')}, got ${raw}`);
  return raw;
}

/**
 * Reads `specs` ({ key: { type, default, help, min, max, choices } }) from argv and the environment
 * (`${prefix}_KEY`). Unknown flags are refused; `--help` prints every setting and exits.
 */
export function readOptions({ prefix, specs, argv = process.argv.slice(2), usage }) {
  const byFlag = new Map(Object.keys(specs).map((key) => [kebab(key), key]));
  const fromArgs = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(helpText(prefix, specs, usage));
      process.exit(0);
    }
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    const key = m && byFlag.get(m[1]);
    if (!key) throw new SetupError(`unknown option ${arg}; see --help`);
    if (m[2] !== undefined) fromArgs[key] = m[2];
    else if (specs[key].type === 'flag' && (argv[i + 1] === undefined || argv[i + 1].startsWith('--')))
      fromArgs[key] = true;
    else fromArgs[key] = argv[++i];
  }
  const options = {};
  for (const [key, spec] of Object.entries(specs)) {
    const env = process.env[envName(prefix, key)];
    if (key in fromArgs) options[key] = convert(`--${kebab(key)}`, fromArgs[key], spec);
    else if (env !== undefined && env !== '') options[key] = convert(envName(prefix, key), env, spec);
    else options[key] = typeof spec.default === 'function' ? spec.default(options) : spec.default;
  }
  return options;
}

function helpText(prefix, specs, usage) {
  const rows = Object.entries(specs).map(([key, spec]) => {
    const shown = typeof spec.default === 'function' ? (spec.defaultText ?? 'derived') : String(spec.default);
    return [`--${kebab(key)}`, envName(prefix, key), shown, spec.help];
  });
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return `${usage}\n\n${rows.map((r) => `  ${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`).join('\n')}\n`;
}
