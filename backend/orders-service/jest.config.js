/** @type {import('jest').Config} */
module.exports = {
  displayName: 'orders-service',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.test.json' }] },
  moduleNameMapper: {
    '^@market/kit/testing$': '<rootDir>/../packages/kit/src/testing.ts',
    '^@market/(kit|contracts)$': '<rootDir>/../packages/$1/src/index.ts',
  },
  testTimeout: 30_000,
};
