// Cross-service saga tests: products-service and orders-service run as child processes from
// their built entries (dist/), against their own test databases and stream names per file.
const { esmSupport } = require('../../backend/jest.preset');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'saga',
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }], ...esmSupport.transform },
  transformIgnorePatterns: esmSupport.transformIgnorePatterns,
  moduleNameMapper: {
    '^@market/kit/testing$': '<rootDir>/../../backend/packages/kit/src/testing.ts',
    '^@market/(kit|contracts)$': '<rootDir>/../../backend/packages/$1/src/index.ts',
  },
  globalSetup: '<rootDir>/support/build-services.js',
  // Each file starts two services (and some a private Redis): two at a time is what a shared 2-core box takes.
  maxWorkers: 2,
  testTimeout: 120_000,
};
