import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseBaseline } from '../baseline.mjs';

test('the baseline keeps files and testFiles, and names no folder of the machine', () => {
  const report = {
    schemaVersion: '1.0',
    thresholds: { high: 90, low: 85 },
    files: { 'packages/runtime/src/a.ts': { language: 'typescript', source: 'x', mutants: [] } },
    testFiles: { 'packages/runtime/test/a.test.ts': { source: 'y', tests: [] } },
    projectRoot: '/home/someone/checkout',
    config: { tempDirName: '/home/someone/checkout/.stryker-tmp' },
    framework: { name: 'StrykerJS', version: '9.6.1', dependencies: { jest: '30.0.0' } },
  };
  assert.deepEqual(normaliseBaseline(report, '/home/someone/checkout'), {
    schemaVersion: '1.0',
    thresholds: { high: 90, low: 85 },
    files: report.files,
    testFiles: report.testFiles,
    projectRoot: '.',
    framework: { name: 'StrykerJS', version: '9.6.1' },
  });
  assert.throws(
    () => normaliseBaseline({ ...report, testFiles: { '/home/someone/checkout/x.test.ts': {} } }, '/home/someone/checkout'),
    /still names \/home\/someone\/checkout/,
  );
});

test("a mutant's statusReason (a test's stack, naming the sandbox) is dropped; its status and tests are kept", () => {
  const mutant = {
    id: '1',
    status: 'Killed',
    statusReason: 'at /home/someone/checkout/.stryker-tmp/x.test.ts:1',
    killedBy: ['3'],
    coveredBy: ['3'],
  };
  const report = {
    files: { 'packages/runtime/src/a.ts': { language: 'typescript', source: 'x', mutants: [mutant] } },
    testFiles: {},
    projectRoot: '/home/someone/checkout',
  };
  const out = normaliseBaseline(report, '/home/someone/checkout');
  assert.deepEqual(out.files['packages/runtime/src/a.ts'].mutants, [{ id: '1', status: 'Killed', killedBy: ['3'], coveredBy: ['3'] }]);
});
