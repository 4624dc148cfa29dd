/**
 * The public API of every publishable package, with full signatures: `api/<name>.api.md`, one API report per
 * entry point (`api/mock.api.md` for `@cloud-infinite/mock`, `api/mock-msw.api.md` for `@cloud-infinite/mock/msw`),
 * written by @microsoft/api-extractor from the built declarations (`dist/index.d.ts`, see ./report.ts).
 *
 *   npm run api:update   rewrites api/*.api.md (nx api-snapshot:update; builds the packages first)
 *   npm run api:check    prints a diff of every report that differs from the build and exits 1 (CI)
 *
 * A difference is not an error by itself: it says the public API changed. Review it, run `npm run api:update`,
 * commit the reports with the change and add a changeset (`npx changeset`).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { entryPointsOf, type Manifest } from './entry-points';
import { apiReport } from './report';

const repo = resolve(__dirname, '../../..');
const apiDir = join(repo, 'api');

/** The publishable packages (the private ones, tools/* and bench, have no public API). */
export const PACKAGES = [
  { dir: 'packages/runtime', file: 'runtime' },
  { dir: 'packages/client', file: 'client' },
  { dir: 'packages/mock', file: 'mock' },
  { dir: 'packages/cli', file: 'cli' },
] as const;

/** The report file of an entry point: `<file>.api.md` for the package, `<file>-<subpath>.api.md` for a subpath. */
export function reportFileName(file: string, packageName: string, specifier: string): string {
  const subpath = specifier === packageName ? '' : specifier.slice(packageName.length + 1);
  return `${file}${subpath ? `-${subpath.replace(/[^A-Za-z0-9]+/g, '-')}` : ''}.api.md`;
}

/** A unified diff of a committed report (absent: everything is new) against the current one; undefined when equal. */
export function reportDiff(name: string, committed: string | undefined, current: string): string | undefined {
  if (committed === current) return undefined;
  const patch = createTwoFilesPatch(`${name} (committed)`, `${name} (build)`, committed ?? '', current, undefined, undefined, {
    context: 3,
  });
  // no header after the file names (jsdiff writes a tab before an empty one)
  return patch.replace(/^(---|\+\+\+) (.*)\t$/gm, '$1 $2');
}

/** Every report the current builds give, by file name under api/. */
function currentReports(): Map<string, string> {
  const reports = new Map<string, string>();
  for (const pkg of PACKAGES) {
    const folder = join(repo, pkg.dir);
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Manifest & { private?: boolean };
    if (manifest.private) throw new Error(`${manifest.name} is private: remove it from tools/api-snapshot PACKAGES`);
    for (const ep of entryPointsOf(manifest)) {
      const file = join(folder, ep.types);
      if (!existsSync(file)) {
        throw new Error(
          `${relative(repo, file)} (${ep.specifier}) is missing: build first (npx nx run-many -t build), or use npm run api:check / api:update`,
        );
      }
      reports.set(reportFileName(pkg.file, manifest.name, ep.specifier), apiReport(folder, ep.types));
    }
  }
  return reports;
}

function main(): void {
  const check = process.argv.includes('--check');
  const reports = currentReports();
  const committed = existsSync(apiDir) ? readdirSync(apiDir).filter((f) => f.endsWith('.api.md')) : [];
  const stale = committed.filter((f) => !reports.has(f));
  if (check) {
    const diffs: string[] = [];
    for (const [name, text] of reports) {
      const file = join(apiDir, name);
      const diff = reportDiff(`api/${name}`, existsSync(file) ? readFileSync(file, 'utf8') : undefined, text);
      if (diff) diffs.push(diff);
    }
    for (const name of stale) diffs.push(`api/${name}: no entry point gives this report any more\n`);
    if (diffs.length) {
      console.error(
        `The public API differs from the committed reports (api/*.api.md):\n\n${diffs.join('\n')}\n` +
          'If the change is intended: run `npm run api:update`, review and commit api/*.api.md, and add a changeset (`npx changeset`).',
      );
      process.exit(1);
    }
    console.log(`public API matches api/*.api.md (${reports.size} entry points of ${PACKAGES.length} packages)`);
    return;
  }
  mkdirSync(apiDir, { recursive: true });
  for (const [name, text] of reports) {
    const file = join(apiDir, name);
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    writeFileSync(file, text);
    console.log(`wrote api/${name}`);
  }
  for (const name of stale) {
    rmSync(join(apiDir, name));
    console.log(`removed api/${name} (no entry point gives it)`);
  }
  console.log(`api/*.api.md up to date (${reports.size} entry points of ${PACKAGES.length} packages)`);
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
