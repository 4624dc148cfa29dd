/**
 * tools/api-snapshot: the entry points read from a package.json. Runs on node's test runner through tsx, like
 * tools/codegen.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { entryPointsOf } from '../src/entry-points';

describe('entryPointsOf', () => {
  test('the package itself when there is no exports map', () => {
    assert.deepEqual(entryPointsOf({ name: '@x/y', types: 'dist/index.d.ts' }), [{ specifier: '@x/y', types: 'dist/index.d.ts' }]);
    assert.deepEqual(entryPointsOf({ name: '@x/y', types: './dist/index.d.ts', exports: './dist/index.js' }), [
      { specifier: '@x/y', types: 'dist/index.d.ts' },
    ]);
  });

  test('every subpath of exports with declarations, the CommonJS ones first; package.json skipped', () => {
    const manifest = {
      name: '@x/y',
      types: 'dist/index.d.ts',
      exports: {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './msw': { import: { types: './dist/msw.d.mts', default: './dist/msw.mjs' }, require: { types: './dist/msw.d.ts' } },
        './package.json': './package.json',
      },
    };
    assert.deepEqual(entryPointsOf(manifest), [
      { specifier: '@x/y', types: 'dist/index.d.ts' },
      { specifier: '@x/y/msw', types: 'dist/msw.d.ts' },
    ]);
  });

  test('conditions without subpaths describe the package; wildcards are refused', () => {
    assert.deepEqual(entryPointsOf({ name: '@x/y', exports: { types: './lib/main.d.ts', default: './lib/main.js' } }), [
      { specifier: '@x/y', types: 'lib/main.d.ts' },
    ]);
    assert.throws(() => entryPointsOf({ name: '@x/y', exports: { './*': './dist/*.js' } }), /wildcard/);
  });
});
