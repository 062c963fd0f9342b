const { fastifyCookieSupport, serviceJestConfig } = require('../jest.preset');

module.exports = serviceJestConfig('orders-service', fastifyCookieSupport);
