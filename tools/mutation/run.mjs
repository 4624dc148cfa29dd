#!/usr/bin/env node
/**
 * `npm run test:mutation`: StrykerJS on the heart (stryker.config.mjs), run from the repository root, then
 * check-scores.mjs (every file >= 80%; Stryker's `thresholds.break` fails the whole below 85%).
 *
 * First the runtime is built (nx, cached): the client's tests run against its dist/, as in `npm test`. Stryker is
 * incremental: the committed baseline (baseline.json) gives the result of every mutant whose code and covering
 * tests did not change, and the run writes the updated baseline back (commit it with the change). Extra arguments
 * go to Stryker: `npm run test:mutation -- --force` runs every mutant (a full run);
 * `-- --mutate packages/runtime/src/signer.ts` runs one file (against a copy of the baseline, which it leaves as it
 * is). Exits non-zero when a step fails.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normaliseBaselineFile } from './baseline.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(resolve(repo, 'package.json'));

const BASELINE = 'tools/mutation/baseline.json';

/** Runs a node script from the repository root; exits on failure unless `mayFail` (then returns the exit code). */
function run(step, script, args, { mayFail = false } = {}) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [script, ...args], { cwd: repo, stdio: 'inherit' });
  const seconds = Math.round((Date.now() - started) / 1000);
  if (result.status !== 0 && mayFail) {
    console.log(`test:mutation: ${step} ended with exit ${result.status ?? result.signal} after ${seconds} s`);
    return result.status || 1;
  }
  if (result.status !== 0) {
    console.error(`test:mutation: ${step} failed (exit ${result.status ?? result.signal}) after ${seconds} s`);
    process.exit(result.status || 1);
  }
  console.log(`test:mutation: ${step} done in ${seconds} s`);
  return 0;
}

const extra = process.argv.slice(2);
run('building the runtime', require.resolve('nx/bin/nx.js'), ['run', 'runtime:build', '--output-style=static']);
// the package exports no bin path: its folder from package.json
const stryker = resolve(dirname(require.resolve('@stryker-mutator/core/package.json')), 'bin/stryker.js');
// a run of some files (`--mutate …`) would write a baseline of those files alone: it works on a copy instead
const partial = extra.some((a) => a === '--mutate' || a === '-m' || a.startsWith('--mutate='));
const incremental = partial ? 'reports/mutation/partial-baseline.json' : BASELINE;
if (partial) {
  mkdirSync(resolve(repo, 'reports/mutation'), { recursive: true });
  // (no baseline yet: the run starts from nothing, as a full one does)
  if (existsSync(resolve(repo, BASELINE))) copyFileSync(resolve(repo, BASELINE), resolve(repo, incremental));
  else rmSync(resolve(repo, incremental), { force: true });
}
const status = run('stryker', stryker, ['run', 'tools/mutation/stryker.config.mjs', '--incrementalFile', incremental, ...extra], {
  mayFail: true,
});
// written even when the score is under the threshold: the results are still true
if (!partial && existsSync(resolve(repo, BASELINE))) normaliseBaselineFile(resolve(repo, BASELINE), repo);
if (status !== 0) {
  console.error(`test:mutation: stryker failed (exit ${status}); see its report above (reports/mutation/mutation.html)`);
  process.exit(status);
}
// a run of some files only (`--mutate …`) reports those files: the per-file minimum still applies to each
run('the per-file minimum', resolve(repo, 'tools/mutation/check-scores.mjs'), ['reports/mutation/mutation.json']);
