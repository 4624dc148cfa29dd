import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { contentProblems, tarballFiles } from '../contents.mjs';

const LICENSE = 'MIT License\n\nCopyright (c) 2026 cloud-infinite contributors\n';
const work = mkdtempSync(join(tmpdir(), 'contents-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A .tgz laid out as `npm pack` writes it (everything under `package/`). */
function tarball(name, files) {
  const dir = join(work, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, 'package', path, '..'), { recursive: true });
    writeFileSync(join(dir, 'package', path), text);
  }
  const tgz = join(work, `${name}.tgz`);
  execFileSync('tar', ['-czf', tgz, '-C', dir, 'package']);
  return tgz;
}

test('a tarball with its README and the LICENSE passes', () => {
  const tgz = tarball('good', { 'package.json': '{}', 'README.md': '# @x/client\n\ntext\n', LICENSE, 'dist/index.js': '' });
  assert.deepEqual(contentProblems(tgz, '@x/client', LICENSE), []);
  assert.deepEqual(tarballFiles(tgz).sort(), ['LICENSE', 'README.md', 'dist/index.js', 'package.json'].sort());
});

test('a missing README or LICENSE fails', () => {
  assert.deepEqual(contentProblems(tarball('no-readme', { 'package.json': '{}', LICENSE }), '@x/client', LICENSE), [
    'no README.md in the tarball',
  ]);
  assert.deepEqual(contentProblems(tarball('no-license', { 'package.json': '{}', 'README.md': '# @x/client\n' }), '@x/client', LICENSE), [
    'no LICENSE in the tarball',
  ]);
});

test("another package's README, a README in a subfolder only, or a changed LICENSE fails", () => {
  const tgz = tarball('wrong', { 'README.md': '# @x/client-extra\n', 'docs/README.md': '# @x/client\n', LICENSE: 'MIT\n' });
  assert.deepEqual(contentProblems(tgz, '@x/client', LICENSE), [
    'README.md does not start with "# @x/client" (another package\'s README?)',
    'LICENSE differs from the repository LICENSE',
  ]);
  assert.deepEqual(contentProblems(tarball('nested', { 'docs/README.md': '# @x/client\n', LICENSE }), '@x/client', LICENSE), [
    'no README.md in the tarball',
  ]);
  // a title followed by more words is the package's own
  assert.deepEqual(contentProblems(tarball('titled', { 'README.md': '# @x/client — the client\n', LICENSE }), '@x/client', LICENSE), []);
});
