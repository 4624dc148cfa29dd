/**
 * The jest configuration of `npm run test:mutation` (StrykerJS's jest runner, per-test coverage): the runtime's
 * tests and the client's paginator and waiter tests, in one run, from the repository root.
 *
 * - `roots` holds the sources as well as the tests: Stryker runs each mutant with `--findRelatedTests <file>`, and
 *   jest only relates a test to a file that lies in a root (with `test/` alone it finds no test for `src/xml/*`).
 * - The runtime's tests run its sources (as `packages/runtime/jest.config.js`); the client's tests run the
 *   client's sources against the built runtime (`@cloud-infinite/runtime`, its `dist/`), as in `npm test`.
 * - fast-check runs each property with a fixed seed and at most 100 cases (fast-check.cjs): the same mutants are
 *   killed on every run, so the incremental baseline stays true, and a mutant does not pay for 1,000 cases.
 * - decode.retention.test.ts is left out: it measures memory with 13 MB bodies and forced garbage collections
 *   (seconds per run, for every decoder mutant); what it pins (a decoded string is a copy, not a slice of the body)
 *   changes no value, so no other test sees it. `npm test` runs it.
 */
const { resolve } = require('node:path');

const repo = resolve(__dirname, '../..');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: repo,
  testEnvironment: 'node',
  roots: [
    '<rootDir>/packages/runtime/src',
    '<rootDir>/packages/runtime/test',
    '<rootDir>/packages/client/src',
    '<rootDir>/packages/client/test',
  ],
  testMatch: [
    '<rootDir>/packages/runtime/test/**/*.test.ts',
    '<rootDir>/packages/client/test/client.test.ts',
    '<rootDir>/packages/client/test/paginators.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/decode\\.retention\\.test\\.ts$'],
  transform: {
    '^.+/packages/runtime/.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/packages/runtime/tsconfig.jest.json' }],
    '^.+/packages/client/.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/packages/client/tsconfig.json' }],
  },
  moduleNameMapper: {
    '^#crypto$': '<rootDir>/packages/runtime/src/crypto/node.ts',
    '^#xml-fallback$': '<rootDir>/packages/runtime/src/xml/fallback-node.ts',
    '^#xml-fallback-reader$': '<rootDir>/packages/runtime/src/xml/fallback.ts',
    '^fast-check$': '<rootDir>/tools/mutation/fast-check.cjs',
  },
};
