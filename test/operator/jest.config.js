// What an operator runs against a real local stack: the monitoring files under promtool and a real
// Prometheus and node-exporter (deploy/monitoring), and the restore drill (npm run restore:drill).
// The stacks start from the built entries (dist/), as the saga tests' do; scripts/ modules load as
// CommonJS here, their `.js` import specifiers pointing at the `.ts` files. `npm test` installs the
// tools (scripts/lib/ops-tools.ts). The live files' stacks take ports of their own (OPERATOR_STACK_PORT,
// default 8231, and the next three), so they may run side by side.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'operator',
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/../saga/support/build-services.js',
  testTimeout: 300_000,
};
