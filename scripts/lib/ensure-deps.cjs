// Runs `npm ci` when node_modules is missing or older than package-lock.json. Plain JavaScript with only
// node: built-ins, because it runs before anything is installed (see ../run.mjs); the rest of scripts/ is TypeScript.
'use strict';
const { spawn } = require('node:child_process');
const { existsSync, readFileSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

/** A problem the user can fix; the bootstrap prints its message without a stack trace. */
class DependencyError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'DependencyError';
  }
}

/** @param {string} file @returns {any} */
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
/** @param {string} file */
const mtimeOf = (file) => statSync(file).mtimeMs;

/**
 * Workspace folders relative to `root`, as npm names them in the lock file (posix separators).
 * @param {string} root
 * @returns {string[]}
 */
function workspaceDirs(root) {
  const { workspaces = [] } = readJson(path.join(root, 'package.json'));
  /** @type {string[]} */
  const patterns = Array.isArray(workspaces) ? workspaces : (workspaces.packages ?? []);
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const base = pattern.slice(0, -2);
    const abs = path.join(root, base);
    if (!existsSync(abs)) return [];
    return readdirSync(abs, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.posix.join(base, entry.name));
  });
}

// The lock file sorts names, a manifest need not.
/** @param {Record<string, string>} [deps] */
const sorted = (deps = {}) => JSON.stringify(Object.entries(deps).sort(([a], [b]) => (a < b ? -1 : 1)));
/** @param {Record<string, any>} manifest @param {Record<string, any>} [locked] */
const sameDeps = (manifest, locked = {}) =>
  DEP_FIELDS.every((field) => sorted(manifest[field]) === sorted(locked[field]));

/**
 * Why node_modules under `root` needs installing, or null when it is current.
 * Throws a DependencyError when the lock file itself is missing or stale.
 * @param {string} root
 * @returns {string | null}
 */
function installReason(root) {
  const lockFile = path.join(root, 'package-lock.json');
  const hiddenLock = path.join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(lockFile))
    throw new DependencyError('package-lock.json is missing; run `npm install` once and commit it.');

  const lock = readJson(lockFile);
  const installed = existsSync(hiddenLock) ? readJson(hiddenLock) : null;
  /** @type {string[]} */
  const unlocked = [];
  /** @type {string[]} */
  const changed = [];
  for (const dir of ['', ...workspaceDirs(root)]) {
    const file = path.join(root, dir, 'package.json');
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
    throw new DependencyError(
      `${unlocked.join(', ')} declare dependencies that package-lock.json does not record.\n` +
        'Run `npm install` to update package-lock.json (and commit it), then try again.',
    );
  }
  if (!installed) return 'node_modules is missing';
  if (mtimeOf(hiddenLock) < mtimeOf(lockFile)) return 'package-lock.json changed since the last install';
  if (changed.length) return `${changed.join(', ')} changed since the last install`;
  return null;
}

/** @param {number} ms */
function formatDuration(ms) {
  if (ms < 1000) return `${ms}ms`;
  const seconds = ms / 1000;
  if (seconds < 90) return `${seconds.toFixed(1)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

/**
 * Installs dependencies under `root` with `npm ci` when needed; prints why and how long it took.
 * `quiet` leaves out the line that says node_modules is current.
 * @param {string} root
 * @param {{ quiet?: boolean }} [options]
 * @returns {Promise<boolean>} whether it installed
 */
async function ensureDeps(root, { quiet = false } = {}) {
  const reason = installReason(root);
  if (!reason) {
    if (!quiet) process.stdout.write('• dependencies … ok (node_modules is current)\n');
    return false;
  }
  process.stdout.write(`• dependencies: ${reason}; running npm ci …\n`);
  const started = Date.now();
  /** @type {number | null} */
  const code = await new Promise((resolve, reject) => {
    const child = spawn('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: root,
      env: { ...process.env, npm_config_progress: 'true' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new DependencyError(`npm ci failed (exit ${code}); see its output above.`);
  process.stdout.write(`• dependencies … installed in ${formatDuration(Date.now() - started)}\n`);
  return true;
}

module.exports = { DependencyError, ensureDeps, installReason };
