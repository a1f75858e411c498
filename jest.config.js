// Based on the SDK dev-tools preset (jest 27 + ts-jest). Two additions:
// - a test environment that exposes Node 20's fetch to the sandbox, because
//   @microsoft/microsoft-graph-client 3 refuses to start without a global fetch
//   and jest 27 does not copy it in;
// - a resolver that understands package "exports", which jest 27 does not
//   and @azure/identity 4 relies on;
// - a guard that the simulator's test CA is trusted (see test/graph-simulator/with-test-ca.js).
const base = require('@jupiterone/integration-sdk-dev-tools/config/jest');

module.exports = {
  ...base,
  testEnvironment: '<rootDir>/test/support/jest-environment.js',
  resolver: '<rootDir>/test/support/jest-resolver.js',
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  setupFilesAfterEnv: [...base.setupFilesAfterEnv, '<rootDir>/test/support/setup.ts'],
  testTimeout: 60000,
};
