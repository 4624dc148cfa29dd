/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // package.json `imports` maps #crypto to the built dist/; the tests run the sources (Node's implementation)
  moduleNameMapper: { '^#crypto$': '<rootDir>/src/crypto/node.ts' },
};
