const { serviceJestConfig } = require('../jest.preset');

module.exports = serviceJestConfig('orders-service');
