const { serviceJestConfig } = require('../jest.preset');

module.exports = serviceJestConfig('auth-service');
