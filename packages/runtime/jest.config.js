/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  // tsconfig.jest.json: CommonJS, so a dynamic import() (the lazy XML fallback) becomes a require() under jest
  // package.json `imports` maps #crypto and #xml-fallback to the built dist/; the tests run the sources (Node's)
  moduleNameMapper: {
    '^#crypto$': '<rootDir>/src/crypto/node.ts',
    '^#xml-fallback$': '<rootDir>/src/xml/fallback-node.ts',
    '^#xml-fallback-reader$': '<rootDir>/src/xml/fallback.ts',
  },
};
