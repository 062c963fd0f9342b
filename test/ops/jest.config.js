// Checks of the deployment files (Dockerfiles, compose, Ansible, workflows, shell scripts, env keys)
// with the linters that run without a Docker engine. `npm test` provides the tools (scripts/lib/ops-tools.ts).
const { esmSupport } = require('../../backend/jest.preset');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'ops',
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }], ...esmSupport.transform },
  transformIgnorePatterns: esmSupport.transformIgnorePatterns,
  moduleNameMapper: {
    '^@market/kit/testing$': '<rootDir>/../../backend/packages/kit/src/testing.ts',
    '^@market/(kit|contracts)$': '<rootDir>/../../backend/packages/$1/src/index.ts',
  },
  testTimeout: 300_000,
};
