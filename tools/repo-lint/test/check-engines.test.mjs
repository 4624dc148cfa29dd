import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkEngines, refusedVersion, resolveEntry } from '../check-engines.mjs';

const SCRIPT = fileURLToPath(new URL('../check-engines.mjs', import.meta.url));

/** A lockfile: a root claiming `claim`, a published package `packages/lib` claiming `libClaim`, and `extra` entries. */
function lockfile({ claim = '^20.19.0', libClaim = '>=20.10', rootDev = {}, libDeps = {}, extra = {} } = {}) {
  return {
    lockfileVersion: 3,
    packages: {
      '': { name: 'root', engines: { node: claim }, devDependencies: rootDev },
      'packages/lib': { name: '@x/lib', version: '1.0.0', engines: { node: libClaim }, dependencies: libDeps },
      'node_modules/@x/lib': { resolved: 'packages/lib', link: true },
      ...extra,
    },
  };
}

test('a devDependency whose engines leave out part of the workspace claim fails, with a version it refuses', () => {
  const lock = lockfile({
    rootDev: { tsup: '^9.0.0' },
    extra: { 'node_modules/tsup': { version: '9.0.0', engines: { node: '^22.18.0 || ^24.11.0 || >=26.0.0' } } },
  });
  const { problems } = checkEngines(lock);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /devDependencies tsup@9\.0\.0 requires node "\^22\.18\.0 \|\| \^24\.11\.0 \|\| >=26\.0\.0"/);
  assert.match(problems[0], /\(e\.g\. 20\.19\.0\)/);
});

test('engines that cover the claim, or no engines at all, pass', () => {
  const lock = lockfile({
    rootDev: { a: '1', b: '1' },
    extra: { 'node_modules/a': { version: '1.0.0', engines: { node: '>=18' } }, 'node_modules/b': { version: '1.0.0' } },
  });
  assert.deepEqual(checkEngines(lock).problems, []);
  assert.equal(checkEngines(lock).checked, 4); // each as a devDependency, then as a package of the lockfile
});

test("a published package's dependency is held to the package's claim, transitively", () => {
  const lock = lockfile({
    libDeps: { commander: '^14' },
    extra: {
      // accepts the workspace's ^20.19 but not the package's >=20.10: a user on 20.10 would be refused
      'node_modules/commander': { version: '14.0.0', engines: { node: '>=20' }, dependencies: { deep: '1' } },
      'node_modules/deep': { version: '1.0.0', engines: { node: '>=20.12' } },
    },
  });
  const { problems } = checkEngines(lock);
  assert.equal(problems.length, 1);
  assert.match(
    problems[0],
    /packages\/lib\/package\.json: commander > deep@1\.0\.0 requires node ">=20\.12".*@x\/lib's engines\.node ">=20\.10" \(e\.g\. 20\.10\.0\)/,
  );
});

test('the nested copy a package resolves to is the one checked', () => {
  const lock = lockfile({
    rootDev: { tool: '1' },
    extra: {
      'node_modules/tool': { version: '1.0.0', dependencies: { esbuild: '0.27' } },
      'node_modules/esbuild': { version: '0.28.0', engines: { node: '>=99' } },
      'node_modules/tool/node_modules/esbuild': { version: '0.27.0', engines: { node: '>=18' } },
    },
  });
  assert.equal(resolveEntry(lock.packages, 'node_modules/tool', 'esbuild').entry.version, '0.27.0');
  assert.equal(resolveEntry(lock.packages, 'packages/lib', 'esbuild').entry.version, '0.28.0');
  assert.equal(resolveEntry(lock.packages, '', '@x/lib').key, 'packages/lib');
});

test('a transitive devDependency (what npm ci installs) is held to the workspace claim, reported once', () => {
  const lock = lockfile({
    rootDev: { tool: '1', old: '1' },
    extra: {
      'node_modules/tool': { version: '1.0.0', dependencies: { deep: '1' } },
      'node_modules/deep': { version: '2.0.0', engines: { node: '>=22' } },
      'node_modules/old': { version: '1.0.0', engines: { node: '<20' } },
    },
  });
  assert.deepEqual(checkEngines(lock).problems, [
    'package.json: devDependencies old@1.0.0 requires node "<20", which does not cover the workspace\'s engines.node "^20.19.0" (e.g. 20.19.0)',
    'package-lock.json: node_modules/deep@2.0.0 requires node ">=22", which does not cover the workspace\'s engines.node "^20.19.0" (e.g. 20.19.0)',
  ]);
});

test('a workspace claim outside a published package claim fails', () => {
  const { problems } = checkEngines(lockfile({ claim: '>=18', libClaim: '>=20.10' }));
  assert.equal(problems.length, 1);
  assert.match(problems[0], /packages\/lib\/package\.json: engines\.node ">=20\.10" does not cover the workspace's ">=18"/);
});

test('a dependency missing from the lockfile fails, an optional peer does not', () => {
  const lock = lockfile({ rootDev: { ghost: '1' } });
  lock.packages['packages/lib'].peerDependencies = { msw: '^2' };
  lock.packages['packages/lib'].peerDependenciesMeta = { msw: { optional: true } };
  assert.deepEqual(checkEngines(lock).problems, ['package.json: devDependencies ghost is not in package-lock.json (run npm install)']);
});

test('refusedVersion finds a version of the claim outside the range, or none', () => {
  assert.equal(refusedVersion('>=20.10', '^18.18.0 || ^20.9.0 || >=21.1.0'), '21.0.0');
  assert.equal(refusedVersion('^20.19.0', '>=18'), undefined);
});

test('the script exits 1 on a failing lockfile and 0 on a good one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'engines-'));
  try {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify(lockfile({ rootDev: { old: '1' }, extra: { 'node_modules/old': { version: '1.0.0', engines: { node: '<20' } } } })),
    );
    const failed = spawnSync(process.execPath, [SCRIPT, bad], { encoding: 'utf8' });
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /engines: 1 problem:\n {2}package\.json: devDependencies old@1\.0\.0 requires node "<20"/);
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(lockfile()));
    assert.match(execFileSync(process.execPath, [SCRIPT, good], { encoding: 'utf8' }), /^engines: ok/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
