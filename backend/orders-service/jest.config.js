/**
 * @fastify/cookie loads the ESM-only `cookie` package with a dynamic import(), which Jest's
 * CommonJS runtime cannot run; both are compiled to CommonJS for the tests only.
 */
const ESM_DEPENDENCIES = ['cookie', '@fastify/cookie'];

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'orders-service',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.test.json' }],
    [`node_modules/(${ESM_DEPENDENCIES.join('|')})/.+\\.js$`]: [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', target: 'ES2022', esModuleInterop: true, sourceMap: false }, diagnostics: false },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_DEPENDENCIES.join('|')})/)`],
  moduleNameMapper: {
    '^@market/kit/testing$': '<rootDir>/../packages/kit/src/testing.ts',
    '^@market/(kit|contracts)$': '<rootDir>/../packages/$1/src/index.ts',
  },
  testTimeout: 30_000,
};
