// Builds the backend (tsc -b is incremental: a no-op when dist/ is current) so the saga
// tests run the services' real entries, then checks those entries exist.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
const ENTRIES = [
  'backend/products-service/dist/start.js',
  'backend/products-service/dist/worker-start.js',
  'backend/orders-service/dist/start.js',
];

module.exports = async function buildServices() {
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'backend/tsconfig.json'], {
      cwd: root,
      stdio: 'pipe',
    });
  } catch (error) {
    // A type error elsewhere still leaves the entries emitted; only their absence stops the run.
    process.stderr.write(
      `saga tests: tsc -b reported problems:\n${String(error.stdout ?? error.message).slice(0, 4000)}\n`,
    );
  }
  const missing = ENTRIES.filter((entry) => !existsSync(path.join(root, entry)));
  if (missing.length > 0)
    throw new Error(
      `saga tests need the built services; missing ${missing.join(', ')} (run npx tsc -b backend/tsconfig.json)`,
    );
};
