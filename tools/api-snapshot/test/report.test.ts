/**
 * tools/api-snapshot: the API report of a fixture holds full signatures, and each kind of API change — a new
 * method, a new field, a new parameter, a changed type — shows as a line of the diff `api:check` prints.
 * (Whether the committed api/*.api.md match the build is `npm run api:check`, which needs the build.)
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { reportDiff, reportFileName } from '../src/main';
import { apiReport } from '../src/report';

const FIXTURE = resolve(__dirname, 'fixture');

/** A package folder holding the fixture's declarations, edited by `edit(index.d.ts text)`. */
function fixturePackage(root: string, name: string, edit: (text: string) => string = (t) => t): string {
  const folder = join(root, name);
  cpSync(FIXTURE, folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: '@fixture/api', version: '1.0.0', types: 'index.d.ts' }));
  const index = join(folder, 'index.d.ts');
  writeFileSync(index, edit(readFileSync(index, 'utf8')));
  return folder;
}

describe('apiReport', () => {
  let root: string;
  let report: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'api-report-test-'));
    report = apiReport(fixturePackage(root, 'original'), 'index.d.ts');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('holds every export with its full signature', () => {
    assert.match(report, /^## API Report File for "@fixture\/api"/);
    for (const line of [
      'export function overloaded(a: string): string;',
      'export function overloaded(a: number): number;',
      'export abstract class Base {\n    // (undocumented)\n    abstract run(): void;\n}',
      'export interface Shape {\n    // (undocumented)\n    readonly name: string;\n}',
      'export type Alias = Shape | string;',
      "export const VERSION = '1.0.0';",
      'export let mutable: number;',
      'export class Client extends Operations {}',
      'abstract class Operations {\n    // (undocumented)\n    list(input: { page?: number }): Promise<string[]>;\n}',
    ]) {
      assert.ok(report.includes(line), `the report lacks:\n${line}\n---\n${report}`);
    }
  });

  test('a new method (also of a base class that is not exported), a new field, a new parameter and a changed type each show in the diff', () => {
    const changed = apiReport(
      fixturePackage(root, 'changed', (text) =>
        text
          .replace('abstract run(): void;', 'abstract run(): void;\n  stop(force: boolean): Promise<void>;')
          .replace('readonly name: string;', 'readonly name: string;\n  readonly size?: number;')
          .replace(
            'export declare function overloaded(a: string): string;',
            'export declare function overloaded(a: string, b?: number): string;',
          )
          .replace('export type Alias = Shape | string;', 'export type Alias = Shape | string | number;')
          .replace(
            'list(input: { page?: number }): Promise<string[]>;',
            'list(input: { page?: number }): Promise<string[]>;\n  get(id: string): Promise<string>;',
          ),
      ),
      'index.d.ts',
    );
    const diff = reportDiff('api/fixture.api.md', report, changed)!;
    for (const line of [
      '+    stop(force: boolean): Promise<void>;',
      '+    readonly size?: number;',
      '-export function overloaded(a: string): string;',
      '+export function overloaded(a: string, b?: number): string;',
      '-export type Alias = Shape | string;',
      '+export type Alias = Shape | string | number;',
      '+    get(id: string): Promise<string>;',
    ]) {
      assert.ok(diff.split('\n').includes(line), `the diff lacks ${line}:\n${diff}`);
    }
    assert.match(diff, /^={67}\n--- api\/fixture\.api\.md \(committed\)\n\+\+\+ api\/fixture\.api\.md \(build\)/);
  });

  test('declarations that do not compile are an error naming the problem', () => {
    const broken = fixturePackage(root, 'broken', (text) => `${text}\nexport declare function bad(): NoSuchType;\n`);
    assert.throws(() => apiReport(broken, 'index.d.ts'), /api-extractor could not report index\.d\.ts[\s\S]*NoSuchType/);
  });
});

describe('reportDiff and reportFileName', () => {
  test('no diff for an equal report; a missing committed report is all new', () => {
    assert.equal(reportDiff('api/x.api.md', 'a\n', 'a\n'), undefined);
    assert.match(reportDiff('api/x.api.md', undefined, 'a\n')!, /\n\+a\n/);
  });

  test('a report per entry point, the subpath in its name', () => {
    assert.equal(reportFileName('mock', '@cloud-infinite/mock', '@cloud-infinite/mock'), 'mock.api.md');
    assert.equal(reportFileName('mock', '@cloud-infinite/mock', '@cloud-infinite/mock/msw'), 'mock-msw.api.md');
  });
});
