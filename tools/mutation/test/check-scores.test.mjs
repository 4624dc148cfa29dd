import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTable, problems, scores, tally } from '../check-scores.mjs';

const of = (...statuses) => statuses.map((status, i) => ({ id: String(i), status }));

test("a file's score is Stryker's: detected over valid; compile errors, runtime errors and ignored ones do not count", () => {
  assert.deepEqual(tally(of('Killed', 'Timeout', 'Survived', 'NoCoverage', 'CompileError', 'RuntimeError', 'Ignored')), {
    killed: 1,
    timeout: 1,
    survived: 1,
    noCoverage: 1,
    other: 3,
    valid: 4,
    score: 50,
  });
  assert.ok(Number.isNaN(tally(of('CompileError')).score));
});

test('per-file scores are sorted by path, and the whole counts every mutant once', () => {
  const report = {
    files: { 'b.ts': { mutants: of('Killed', 'Survived') }, 'a.ts': { mutants: of('Killed', 'Killed', 'Killed', 'NoCoverage') } },
  };
  const { files, all } = scores(report);
  assert.deepEqual(
    files.map((f) => [f.path, f.score]),
    [
      ['a.ts', 75],
      ['b.ts', 50],
    ],
  );
  assert.equal(all.valid, 6);
  assert.equal(all.score, (100 * 4) / 6);
  assert.equal(
    formatTable(report),
    [
      'a.ts        75.00%      4 valid     0 survived     1 no coverage',
      'b.ts        50.00%      2 valid     1 survived     0 no coverage',
      'all files   66.67%      6 valid     1 survived     1 no coverage',
    ].join('\n'),
  );
});

test('a file below 80% fails, as does the whole below 85%; exactly at the minimum passes', () => {
  const file = (killed, undetected) => ({ mutants: of(...Array(killed).fill('Killed'), ...Array(undetected).fill('Survived')) });
  assert.deepEqual(problems({ files: { 'a.ts': file(80, 20), 'b.ts': file(90, 0) } }), []);
  assert.deepEqual(problems({ files: { 'a.ts': file(79, 21), 'b.ts': file(100, 0) } }), ['a.ts: 79.00% is below 80%']);
  assert.deepEqual(problems({ files: { 'a.ts': file(84, 16) } }), ['all files: 84.00% is below 85%']);
  // a file with no valid mutant (all compile errors) is not a failure by itself
  assert.deepEqual(problems({ files: { 'a.ts': { mutants: of('CompileError') }, 'b.ts': file(1, 0) } }), []);
  assert.deepEqual(problems({ files: {} }), ['the report holds no valid mutant']);
});
