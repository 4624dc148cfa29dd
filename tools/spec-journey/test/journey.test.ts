/**
 * The spec-edit journey of the README ("Editing the spec"), end to end, in a temporary copy of the repository
 * (its tracked files; node_modules linked, the workspace packages pointing at the copy's own): add to the spec
 * an optional response field, a query parameter of DescribeMediaJobs and a new GET operation with one recording
 * (./src/edit.ts, ./journey/), then
 *
 *   1. `generate:check` fails, naming the generated files that drifted;
 *   2. `npm run generate` names the files it wrote, and then says they are up to date;
 *   3. the edited spec lints clean, and the packages build;
 *   4. the codegen tests, the client's contract and spec-example tests (which write the new recording's
 *      `.decoded.txt`, as they do on a developer's machine) and the fake's surface and wire-signature tests pass;
 *   5. the client and the fake work with the new operation, parameter and field (./src/check.ts);
 *   6. `api:check` fails with a diff showing the new method, parameter and field;
 *
 * and nothing but the spec, the recording, its `.decoded.txt` and the generated files changed. Run by CI
 * (`npm run test:journey` in .ci/run). KEEP_JOURNEY=1 keeps the copy for a look.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { editSpec, JOURNEY_DIR, NEW_OPERATION, NEW_RECORDING } from '../src/edit';

const repo = resolve(__dirname, '../../..');
const SPEC = 'specs/ci-media.openapi.yaml';

interface Run {
  readonly code: number;
  readonly output: string;
}

const timings: Array<[string, number]> = [];
let work = '';
let broken = '';

/** Runs a command in the copy (no daemon, no colour); `env` adds or (undefined) removes variables. */
function run(command: string, args: readonly string[], cwd = '.', env: Record<string, string | undefined> = {}): Run {
  const merged: Record<string, string | undefined> = {
    ...process.env,
    // a child `node --test` must run its files (under a test runner it would skip them)
    NODE_TEST_CONTEXT: undefined,
    // the contract tests must not rewrite the committed .decoded.txt files
    UPDATE_RECORDINGS: undefined,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    ...env,
  };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const res = spawnSync(command, args, {
    cwd: join(work, cwd),
    env: merged as NodeJS.ProcessEnv,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw res.error;
  return { code: res.status ?? 1, output: `${res.stdout}${res.stderr}` };
}

/** A step: skipped when an earlier one failed; its time is kept for the summary. */
function step(name: string, body: (t: TestContext) => void): void {
  test(name, (t) => {
    if (broken) return t.skip(`an earlier step failed (${broken})`);
    const started = Date.now();
    try {
      body(t);
    } catch (err) {
      broken = name;
      throw err;
    } finally {
      timings.push([name, Date.now() - started]);
    }
  });
}

/** `expected` ran with exit code 0, else the assertion shows its output. */
function ok(r: Run, what: string): Run {
  assert.equal(r.code, 0, `${what} failed:\n${r.output.slice(-6000)}`);
  return r;
}

/** The files git would give a clone (tracked, and new ones not ignored), as they are in the work tree. */
function repoFiles(): string[] {
  const res = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`git ls-files failed: ${res.stderr}`);
  return res.stdout.split('\0').filter((f) => f !== '' && existsSync(join(repo, f)) && lstatSync(join(repo, f)).isFile());
}

/**
 * The copy's node_modules: a link to each installed package of the repo's, except the workspace packages
 * (`@cloud-infinite/*`), which link to the copy's own folders as npm links them; nested node_modules of the
 * workspaces (e.g. packages/runtime/node_modules) are linked as they are.
 */
function linkNodeModules(): void {
  const from = join(repo, 'node_modules');
  const to = join(work, 'node_modules');
  mkdirSync(to);
  for (const entry of readdirSync(from)) {
    if (entry === '@cloud-infinite') {
      mkdirSync(join(to, entry));
      for (const pkg of readdirSync(join(from, entry))) {
        symlinkSync(readlinkRelative(join(from, entry, pkg)), join(to, entry, pkg));
      }
    } else symlinkSync(join(from, entry), join(to, entry));
  }
  for (const group of ['packages', 'tools', 'examples']) {
    for (const dir of existsSync(join(repo, group)) ? readdirSync(join(repo, group)) : []) {
      const nested = join(repo, group, dir, 'node_modules');
      if (existsSync(nested) && existsSync(join(work, group, dir))) symlinkSync(nested, join(work, group, dir, 'node_modules'));
    }
  }
  if (existsSync(join(repo, 'bench/node_modules'))) symlinkSync(join(repo, 'bench/node_modules'), join(work, 'bench/node_modules'));
}

/** The target of a workspace link (relative, e.g. `../../packages/client`), so it resolves inside the copy. */
function readlinkRelative(link: string): string {
  const target = readlinkSync(link);
  if (!target || target.startsWith('/')) throw new Error(`${link} is not a relative workspace link (${target})`);
  return target;
}

/** Every file of the copy that is not a build, cache or install artefact, relative to it. */
function filesOf(dir: string, base = dir, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (['node_modules', 'dist', '.nx', 'coverage'].includes(entry)) continue;
    const path = join(dir, entry);
    if (lstatSync(path).isDirectory()) filesOf(path, base, out);
    else out.push(relative(base, path));
  }
  return out;
}

let copied: string[] = [];

describe('the spec-edit journey: a field, a query parameter and an operation, with one recording', () => {
  before(() => {
    const started = Date.now();
    work = mkdtempSync(join(tmpdir(), 'ci-spec-journey-'));
    copied = repoFiles();
    for (const file of copied) {
      mkdirSync(dirname(join(work, file)), { recursive: true });
      copyFileSync(join(repo, file), join(work, file));
    }
    linkNodeModules();
    timings.push(['copy the repository', Date.now() - started]);
  });

  after(() => {
    const total = timings.reduce((n, [, ms]) => n + ms, 0);
    console.log(
      `journey steps (ms):\n${timings.map(([name, ms]) => `  ${String(ms).padStart(6)}  ${name}`).join('\n')}\n  ${String(total).padStart(6)}  in all`,
    );
    if (process.env.KEEP_JOURNEY === '1') console.log(`the copy is kept in ${work}`);
    else if (work) rmSync(work, { recursive: true, force: true });
  });

  step('edit the spec and add one recording (and nothing else)', () => {
    const spec = join(work, SPEC);
    writeFileSync(spec, editSpec(readFileSync(spec, 'utf8')));
    mkdirSync(join(work, 'specs/recordings', NEW_OPERATION));
    copyFileSync(join(JOURNEY_DIR, NEW_RECORDING), join(work, 'specs/recordings', NEW_RECORDING));
  });

  step('generate:check fails, naming every generated file that drifted', () => {
    const r = run('npx', ['tsx', 'tools/codegen/src/main.ts', '--check']);
    assert.equal(r.code, 1, r.output);
    for (const file of ['types.ts', 'shapes.ts', 'validators.ts', 'operations.ts', 'methods.ts']) {
      assert.match(r.output, new RegExp(`^ {2}packages/client/src/generated/${file.replace('.', '\\.')}$`, 'm'));
    }
    assert.match(r.output, /^ {2}packages\/mock\/src\/generated\/recordings\.ts$/m);
    assert.match(r.output, /Run `npm run generate` and commit the result/);
  });

  step('npm run generate names the files it wrote, then says they are up to date', () => {
    const wrote = ok(run('npx', ['tsx', 'tools/codegen/src/main.ts']), 'generate');
    assert.match(wrote.output, /^wrote \d+ file\(s\) from specs\/ci-media\.openapi\.yaml and specs\/recordings:$/m);
    assert.match(wrote.output, /^ {2}packages\/client\/src\/generated\/methods\.ts$/m);
    assert.match(wrote.output, /^ {2}packages\/mock\/src\/generated\/recordings\.ts$/m);
    const again = ok(run('npx', ['tsx', 'tools/codegen/src/main.ts']), 'generate (again)');
    assert.match(again.output, /generated files are up to date .* nothing written/);
    ok(run('npx', ['tsx', 'tools/codegen/src/main.ts', '--check']), 'generate:check');
  });

  step('the edited spec lints clean (lint:spec)', () => {
    ok(run('node', ['tools/spec-lint/lint.js']), 'lint:spec');
  });

  step('the packages build', () => {
    ok(run('npx', ['nx', 'run-many', '-t', 'build', '-p', 'runtime', 'client', 'mock', 'cli', '--output-style=static']), 'the build');
  });

  step('the codegen tests pass', () => {
    const r = ok(run('npx', ['tsx', '--test', 'test/generate.test.ts', 'test/arbitraries.test.ts'], 'tools/codegen'), 'the codegen tests');
    assert.match(r.output, /^# pass [1-9]\d*$/m);
    assert.match(r.output, new RegExp(`ok \\d+ - ${NEW_OPERATION}: every input validates`));
  });

  step("the client's contract and spec-example tests pass, writing the new recording's .decoded.txt", () => {
    const decoded = join(work, 'specs/recordings', NEW_RECORDING.replace(/\.http$/, '.decoded.txt'));
    assert.equal(existsSync(decoded), false);
    // as on a developer's machine (in CI, a missing .decoded.txt fails the contract test instead)
    const r = ok(
      run('npx', ['jest', 'test/contract', 'test/spec-examples.test.ts'], 'packages/client', { CI: undefined }),
      'the contract tests',
    );
    assert.match(r.output, /^Tests: +[1-9]\d* passed, [1-9]\d* total$/m);
    assert.match(readFileSync(decoded, 'utf8'), /MediaWorkflowList: \(array, 1\)[\s\S]*WorkflowId: \(string\) "w0001"/);
  });

  step("the fake's surface and wire-signature tests pass (every operation, the new one included)", () => {
    const r = ok(
      run('npx', ['jest', 'test/surface.test.ts', 'test/wire-signature.property.test.ts', '--verbose'], 'packages/mock'),
      'the fake',
    );
    assert.match(r.output, new RegExp(`${NEW_OPERATION}[\\s\\S]*without its behaviour, it is answered from its recordings`));
  });

  step('the client and the fake work with the new operation, parameter and field', () => {
    const r = ok(run('npx', ['tsx', 'tools/spec-journey/src/check.ts']), 'the client against the fake');
    assert.match(r.output, /new operation: answered from its recording/);
    assert.match(r.output, /new query parameter: accepted/);
    assert.match(r.output, /new response field: encoded by the fake, decoded by the client/);
  });

  step('api:check fails with a diff showing the new method, parameter and field', () => {
    const r = run('npx', ['tsx', 'tools/api-snapshot/src/main.ts', '--check']);
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, /^\+\s+describeMediaWorkflows\(input\?: DescribeMediaWorkflowsInput, options\?: CallOptions\)/m);
    assert.match(r.output, /^\+\s+inputObjectPrefix\?: string;$/m);
    assert.match(r.output, /^\+\s+Priority\?: number;$/m);
    assert.match(r.output, /run `npm run api:update`/);
  });

  step('nothing but the spec, the recording, its .decoded.txt and the generated files changed', () => {
    const before = new Set(copied);
    const changed = copied.filter((f) => existsSync(join(work, f)) && !readFileSync(join(work, f)).equals(readFileSync(join(repo, f))));
    const added = filesOf(work).filter((f) => !before.has(f));
    const generated = (f: string) => /^packages\/(client|mock)\/src\/generated\//.test(f);
    assert.deepEqual(
      changed.filter((f) => !generated(f)),
      [SPEC],
    );
    assert.ok(changed.some(generated));
    assert.deepEqual(added.filter((f) => !generated(f)).sort(), [
      `specs/recordings/${NEW_RECORDING.replace(/\.http$/, '.decoded.txt')}`,
      `specs/recordings/${NEW_RECORDING}`,
    ]);
  });
});
