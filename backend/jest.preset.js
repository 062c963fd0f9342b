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

/**
 * @fastify/cookie loads the ESM-only `cookie` package with a dynamic import(), which Jest's
 * CommonJS runtime cannot run; both are compiled to CommonJS for the tests only. Merge it into the
 * config of any project that builds orders-service.
 */
const ESM_DEPENDENCIES = ['cookie', '@fastify/cookie'];
const fastifyCookieSupport = {
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

module.exports = { serviceJestConfig, fastifyCookieSupport };
