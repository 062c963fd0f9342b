// Contract tests: each service is built in-process as its own tests build it, fetched for its own
// OpenAPI document, and fuzzed from it (fast-check); every answer is checked against the document.
const { serviceJestConfig } = require('../../backend/jest.preset');

module.exports = serviceJestConfig('contract', {
  roots: ['<rootDir>'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testTimeout: 120_000,
});
