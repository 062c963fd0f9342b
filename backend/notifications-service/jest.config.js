const { serviceJestConfig } = require('../jest.preset');

module.exports = serviceJestConfig('notifications-service');
