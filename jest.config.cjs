/** Unit, contract and e2e tests; type-checking happens separately in `tsc --noEmit`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  // middy is ESM-only: let swc transform it.
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 30000,
  // Node 20 on the test machine: see test/setup/node-runtime.ts for the AWS SDK's support notice.
  setupFiles: ['<rootDir>/test/setup/node-runtime.ts'],
};
