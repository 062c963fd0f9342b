// The settings every backend workspace's tests share; each jest.config.js names itself and adds only its own.
const path = require('node:path');

const PACKAGES = path.join(__dirname, 'packages');

/**
 * @param {string} displayName
 * @param {import('jest').Config} [overrides] merged over the defaults; `transform` and `moduleNameMapper` entry by entry
 * @returns {import('jest').Config}
 */
function serviceJestConfig(displayName, overrides = {}) {
  const { transform, moduleNameMapper, ...rest } = overrides;
  return {
    displayName,
    testEnvironment: 'node',
    roots: ['<rootDir>/test'],
    testMatch: ['**/*.test.ts'],
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.test.json') }], ...transform },
    moduleNameMapper: {
      '^@market/kit/testing$': path.join(PACKAGES, 'kit/src/testing.ts'),
      '^@market/(kit|contracts)$': path.join(PACKAGES, '$1/src/index.ts'),
      ...moduleNameMapper,
    },
    testTimeout: 30_000,
    ...rest,
  };
}

module.exports = { serviceJestConfig };
