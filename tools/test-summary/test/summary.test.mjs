import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSummary, parseRun } from '../summary.mjs';

// as nx --output-style=static prints it (colours included), shortened
const RUN = [
  '> nx run runtime:build  [local cache]',
  'Build success in 120ms',
  '> nx run codegen:test',
  'ok 1 - shapes',
  '# tests 6',
  '# suites 2',
  '# pass 5',
  '# fail 1',
  '# cancelled 0',
  '# skipped 0',
  '# todo 0',
  '> nx run runtime:test  [existing outputs match the cache, left as is]',
  '\x1b[1mTest Suites: \x1b[22m\x1b[1m\x1b[32m9 passed\x1b[39m\x1b[22m, 9 total',
  '\x1b[1mTests:       \x1b[22m\x1b[1m\x1b[32m134 passed\x1b[39m\x1b[22m, 134 total',
  '> nx run client:typecheck',
  '# pass 99',
  '> nx run cli:test',
  'Tests:       1 failed, 2 skipped, 1 todo, 300 passed, 304 total',
  '> nx run bench:test',
  'something went wrong before any test ran',
].join('\n');

test('counts jest and node:test results per test task, and notes cache replays', () => {
  assert.deepEqual(parseRun(RUN), [
    { project: 'codegen', target: 'test', cached: false, runner: 'node:test', passed: 5, failed: 1, skipped: 0 },
    { project: 'runtime', target: 'test', cached: true, runner: 'jest', passed: 134, failed: 0, skipped: 0 },
    { project: 'cli', target: 'test', cached: false, runner: 'jest', passed: 300, failed: 1, skipped: 3 },
    { project: 'bench', target: 'test', cached: false, runner: undefined, passed: 0, failed: 0, skipped: 0 },
  ]);
});

test('the summary has a line per project and the totals', () => {
  const text = formatSummary(parseRun(RUN));
  assert.match(text, /^tests per project:\n/);
  assert.match(text, /\n {2}runtime +134 passed +jest \(replayed from the nx cache\)\n/);
  assert.match(text, /\n {2}cli +300 passed, 1 failed, 3 skipped +jest\n/);
  assert.match(text, /\n {2}bench +no test count found in its output\n/);
  assert.match(
    text,
    /\ntotal: 439 passed, 2 failed, 3 skipped in 4 projects \(1 replayed from the nx cache: run with --skip-nx-cache to run them again\)\n$/,
  );
  assert.equal(formatSummary([]), 'tests: no test task ran\n');
});
