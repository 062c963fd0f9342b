// Unit tests of the logic in scripts/ (dependency staleness, statistics, settings). The scripts are ES modules
// run by tsx; here ts-jest compiles them to CommonJS, and their `.js` import specifiers point at the `.ts` files.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'scripts',
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 30_000,
};
