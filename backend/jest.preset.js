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
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.test.json') }],
      ...esmSupport.transform,
      ...transform,
    },
    transformIgnorePatterns: esmSupport.transformIgnorePatterns,
    moduleNameMapper: {
      '^@market/kit/testing$': path.join(PACKAGES, 'kit/src/testing.ts'),
      '^@market/(kit|contracts)$': path.join(PACKAGES, '$1/src/index.ts'),
      ...moduleNameMapper,
    },
    testTimeout: 30_000,
    ...rest,
  };
}

/**
 * ESM-only packages the backend loads: @fastify/cookie imports `cookie` with a dynamic import(),
 * and kit's ids come from `uuid`. Node runs them from CommonJS; Jest's CommonJS runtime cannot,
 * so they are compiled to CommonJS for the tests only. Every backend project has it; a project
 * with its own config that loads kit or a service merges it in.
 */
const ESM_DEPENDENCIES = ['cookie', '@fastify/cookie', 'uuid'];
const esmSupport = {
  transform: {
    [`node_modules/(${ESM_DEPENDENCIES.join('|')})/.+\\.js$`]: [
      'ts-jest',
      {
        tsconfig: {
          allowJs: true,
          module: 'commonjs',
          moduleResolution: 'node10',
          target: 'ES2022',
          esModuleInterop: true,
          sourceMap: false,
        },
        diagnostics: false,
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_DEPENDENCIES.join('|')})/)`],
};

module.exports = { serviceJestConfig, esmSupport };
