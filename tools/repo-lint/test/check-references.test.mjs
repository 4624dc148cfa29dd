import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findMentions, isException, trackedFiles } from '../check-references.mjs';

const SCRIPT = fileURLToPath(new URL('../check-references.mjs', import.meta.url));
// built from pieces, so that this file does not mention them itself
const REFERENCE = ['shared', 'reference', 'signing.md'].join('/');
const PARENT = ['..', 'shared', 'notes.md'].join('/');

/** A git repository in a temp folder holding `files` (path -> text), all tracked. */
function repo(files) {
  const dir = mkdtempSync(join(tmpdir(), 'references-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['add', '.'], { cwd: dir });
  return dir;
}

test('a tracked file citing the folder outside fails the script, naming file and line', () => {
  const dir = repo({
    'src/signer.ts': `/**\n * see ${REFERENCE}\n */\n`,
    'README.md': `notes in ${PARENT}\n`,
    'clean.ts': 'export const x = 1;\n',
  });
  try {
    const r = spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /references: 2 mentions/);
    assert.match(r.stderr, /src\/signer\.ts:2: \* see shared\/reference\/signing\.md/);
    assert.match(r.stderr, /README\.md:1: notes in \.\.\/shared\/notes\.md/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an exempt path is skipped; without exceptions (the default) every mention fails', () => {
  const dir = repo({ 'specs/ci-media.openapi.yaml': `# ${REFERENCE}\n`, 'tools/codegen/src/main.ts': `// ${REFERENCE}\n` });
  try {
    const files = trackedFiles(dir);
    assert.deepEqual(findMentions(dir, files, ['specs/ci-media.openapi.yaml', 'tools/codegen/']), []);
    assert.deepEqual(findMentions(dir, files, ['tools/codegen/']), [`specs/ci-media.openapi.yaml:1: # ${REFERENCE}`]);
    assert.equal(findMentions(dir, files).length, 2);
    assert.equal(spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' }).status, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('isException matches an exact file or a folder prefix, nothing else', () => {
  const exceptions = ['specs/ci-media.openapi.yaml', 'tools/codegen/'];
  assert.equal(isException('specs/ci-media.openapi.yaml', exceptions), true);
  assert.equal(isException('specs/ci-media.openapi.yaml.bak', exceptions), false);
  assert.equal(isException('tools/codegen/src/x.ts', exceptions), true);
  assert.equal(isException('tools/codegen-extra/x.ts', exceptions), false);
  assert.equal(isException('specs/ci-media.openapi.yaml'), false);
});

test('untracked files and binary files are not read', () => {
  const dir = repo({ 'tracked.txt': 'fine\n', 'bin.dat': `\0${REFERENCE}` });
  try {
    writeFileSync(join(dir, 'untracked.md'), REFERENCE);
    assert.deepEqual(findMentions(dir, trackedFiles(dir)), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
