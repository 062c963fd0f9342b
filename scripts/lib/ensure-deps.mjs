// Runs `npm ci` when node_modules is missing or older than package-lock.json.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SetupError, formatDuration, repoRoot, run } from './proc.mjs';

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const mtimeOf = (file) => statSync(file).mtimeMs;

/** Workspace folders relative to the root, as npm names them in the lock file (posix separators). */
function workspaceDirs() {
  const { workspaces = [] } = readJson(path.join(repoRoot, 'package.json'));
  const patterns = Array.isArray(workspaces) ? workspaces : (workspaces.packages ?? []);
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const base = pattern.slice(0, -2);
    const abs = path.join(repoRoot, base);
    if (!existsSync(abs)) return [];
    return readdirSync(abs, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.posix.join(base, entry.name));
  });
}

// The lock file sorts names, a manifest need not.
const sorted = (deps = {}) => JSON.stringify(Object.entries(deps).sort(([a], [b]) => (a < b ? -1 : 1)));
const sameDeps = (manifest, locked = {}) =>
  DEP_FIELDS.every((field) => sorted(manifest[field]) === sorted(locked[field]));

/** Why node_modules needs installing, or null when it is current. Throws when the lock file itself is stale. */
function installReason() {
  const lockFile = path.join(repoRoot, 'package-lock.json');
  const hiddenLock = path.join(repoRoot, 'node_modules', '.package-lock.json');
  if (!existsSync(lockFile))
    throw new SetupError('package-lock.json is missing; run `npm install` once and commit it.');

  const lock = readJson(lockFile);
  const installed = existsSync(hiddenLock) ? readJson(hiddenLock) : null;
  const unlocked = [];
  const changed = [];
  for (const dir of ['', ...workspaceDirs()]) {
    const file = path.join(repoRoot, dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = readJson(file);
    // A manifest whose dependencies the lock does not record cannot be installed reproducibly.
    if (!sameDeps(manifest, lock.packages?.[dir])) unlocked.push(path.posix.join(dir, 'package.json'));
    // A newer manifest matters only when what it declares differs from what was installed
    // (npm keeps no root entry in node_modules/.package-lock.json; the lock file's age covers the root).
    const newer = installed && mtimeOf(file) > mtimeOf(hiddenLock);
    if (newer && dir && !sameDeps(manifest, installed.packages?.[dir]))
      changed.push(path.posix.join(dir, 'package.json'));
  }
  if (unlocked.length) {
    throw new SetupError(
      `${unlocked.join(', ')} declare dependencies that package-lock.json does not record.\n` +
        'Run `npm install` to update package-lock.json (and commit it), then try again.',
    );
  }
  if (!installed) return 'node_modules is missing';
  if (mtimeOf(hiddenLock) < mtimeOf(lockFile)) return 'package-lock.json changed since the last install';
  if (changed.length) return `${changed.join(', ')} changed since the last install`;
  return null;
}

/** Installs dependencies with `npm ci` when needed; prints why and how long it took. */
export async function ensureDeps() {
  const reason = installReason();
  if (!reason) {
    process.stdout.write('• dependencies … ok (node_modules is current)\n');
    return false;
  }
  process.stdout.write(`• dependencies: ${reason}; running npm ci …\n`);
  const started = Date.now();
  const { code } = await run('npm', ['ci', '--no-audit', '--no-fund'], {
    env: { ...process.env, npm_config_progress: 'true' },
  });
  if (code !== 0) throw new SetupError(`npm ci failed (exit ${code}); see its output above.`);
  process.stdout.write(`• dependencies … installed in ${formatDuration(Date.now() - started)}\n`);
  return true;
}
