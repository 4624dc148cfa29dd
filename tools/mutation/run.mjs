#!/usr/bin/env node
/**
 * `npm run test:mutation`: StrykerJS on the heart (stryker.config.mjs), run from the repository root, then
 * check-scores.mjs (every file >= 80%; Stryker's `thresholds.break` fails the whole below 85%).
 *
 * First the runtime is built (nx, cached): the client's tests run against its dist/, as in `npm test`. Stryker is
 * incremental: the committed baseline (baseline.json) gives the result of every mutant whose code and covering
 * tests did not change, and the run writes the updated baseline back (commit it with the change). Extra arguments
 * go to Stryker: `npm run test:mutation -- --force` runs every mutant (a full run);
 * `-- --mutate packages/runtime/src/signer.ts` runs one file. Exits non-zero when a step fails.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(resolve(repo, 'package.json'));

function run(step, script, args) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [script, ...args], { cwd: repo, stdio: 'inherit' });
  const seconds = Math.round((Date.now() - started) / 1000);
  if (result.status !== 0) {
    console.error(`test:mutation: ${step} failed (exit ${result.status ?? result.signal}) after ${seconds} s`);
    process.exit(result.status || 1);
  }
  console.log(`test:mutation: ${step} done in ${seconds} s`);
}

const extra = process.argv.slice(2);
run('building the runtime', require.resolve('nx/bin/nx.js'), ['run', 'runtime:build', '--output-style=static']);
// the package exports no bin path: its folder from package.json
const stryker = resolve(dirname(require.resolve('@stryker-mutator/core/package.json')), 'bin/stryker.js');
run('stryker', stryker, ['run', 'tools/mutation/stryker.config.mjs', ...extra]);
// a run of some files only (`--mutate …`) reports those files: the per-file minimum still applies to each
run('the per-file minimum', resolve(repo, 'tools/mutation/check-scores.mjs'), ['reports/mutation/mutation.json']);
