// What an operator runs against a real local stack: the monitoring files under promtool and a real
// Prometheus and node-exporter (deploy/monitoring), and the restore drill (npm run restore:drill).
// The stacks start from the built entries (dist/), as the saga tests' do; scripts/ modules load as
// CommonJS here, their `.js` import specifiers pointing at the `.ts` files. `npm test` installs the
// tools (scripts/lib/ops-tools.ts).
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'operator',
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/../saga/support/build-services.js',
  // Each live file starts whole stacks: one file at a time on a shared 2-core box.
  maxWorkers: 1,
  testTimeout: 300_000,
};
