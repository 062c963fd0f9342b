/** @type {import('jest').Config} */
module.exports = {
  displayName: 'nginx',
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../../backend/tsconfig.test.json' }] },
  testTimeout: 30_000,
};
