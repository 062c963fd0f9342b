// The plain-JavaScript bootstrap of every npm entry (`node scripts/run.mjs <entry> [args]`): installs the
// dependencies first when node_modules is not current (lib/ensure-deps.cjs, node: built-ins only), then
// runs the TypeScript entry scripts/<entry>.ts through tsx in this same process, so Ctrl-C and SIGTERM
// reach it directly and its exit code is the command's.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DependencyError, ensureDeps } from './lib/ensure-deps.cjs';

const scriptsDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(scriptsDir);

/**
 * entry → whether it reports a current node_modules ("• dependencies … ok"), as its documented output does.
 * @type {Record<string, boolean>}
 */
const ENTRIES = {
  start: true,
  test: true,
  bench: true,
  'bench-catalog': false,
  chaos: false,
  soak: false,
  lighthouse: false,
  smoke: false,
  'compose-env': false,
  'bench/cpu-profile': false,
  'restore-drill': false,
};

const [entry, ...args] = process.argv.slice(2);
if (!entry || !Object.hasOwn(ENTRIES, entry)) {
  process.stderr.write(`usage: node scripts/run.mjs <${Object.keys(ENTRIES).join('|')}> [arguments]\n`);
  process.exit(2);
}

try {
  await ensureDeps(repoRoot, { quiet: !ENTRIES[entry] });
} catch (err) {
  const message = err instanceof DependencyError ? err.message : err instanceof Error ? err.stack : String(err);
  process.stderr.write(`\n✗ ${message}\n`);
  // `npm test` always ends with its summary line.
  if (entry === 'test') process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}

const file = path.join(scriptsDir, `${entry}.ts`);
// The entry sees its own arguments as if it had been started directly.
process.argv = [process.execPath, file, ...args];
const { register } = await import('tsx/esm/api');
register();
await import(pathToFileURL(file).href);
