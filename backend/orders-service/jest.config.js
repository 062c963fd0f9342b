const { serviceJestConfig } = require('../jest.preset');

/**
 * @fastify/cookie loads the ESM-only `cookie` package with a dynamic import(), which Jest's
 * CommonJS runtime cannot run; both are compiled to CommonJS for the tests only.
 */
const ESM_DEPENDENCIES = ['cookie', '@fastify/cookie'];

module.exports = serviceJestConfig('orders-service', {
  transform: {
    [`node_modules/(${ESM_DEPENDENCIES.join('|')})/.+\\.js$`]: [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', target: 'ES2022', esModuleInterop: true, sourceMap: false }, diagnostics: false },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_DEPENDENCIES.join('|')})/)`],
});
