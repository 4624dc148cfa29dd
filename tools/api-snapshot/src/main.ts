/**
 * The public-API snapshot of every publishable package: `api/<name>.api.txt`, one line per export of each
 * entry point's built declarations (`dist/index.d.ts`, and every subpath of `exports`, e.g.
 * `@cloud-infinite/mock/msw`) with its kind (class, function, const, interface, type, …).
 *
 *   npm run api:update   rewrites api/*.api.txt (nx api-snapshot:update; builds the packages first)
 *   npm run api:check    exits 1 when a package's exports differ from its committed list (CI)
 *
 * A difference is not an error by itself: it says the public API changed. Review it, run `npm run
 * api:update`, commit the list with the change and add a changeset (`npx changeset`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { entryPointsOf, renderSnapshot, snapshotExports, type Manifest } from './snapshot';

const repo = resolve(__dirname, '../../..');
const apiDir = join(repo, 'api');

/** The publishable packages (the private ones, tools/* and bench, have no public API). */
export const PACKAGES = [
  { dir: 'packages/runtime', file: 'runtime' },
  { dir: 'packages/client', file: 'client' },
  { dir: 'packages/mock', file: 'mock' },
  { dir: 'packages/cli', file: 'cli' },
] as const;

/** The entries of a rendered list as `[entry point] name: kind` lines (headers and blank lines dropped). */
function entryLines(text: string): Set<string> {
  const out = new Set<string>();
  let section = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('[')) section = line.slice(0, line.indexOf(']') + 1);
    else if (line.trim() !== '' && !line.startsWith('#')) out.add(`${section} ${line}`);
  }
  return out;
}

/** Exports only in the committed list (-) and only in the current build (+). */
function difference(committed: string, current: string): string[] {
  const before = entryLines(committed);
  const after = entryLines(current);
  return [
    ...[...before].filter((l) => !after.has(l)).map((l) => `- ${l}`),
    ...[...after].filter((l) => !before.has(l)).map((l) => `+ ${l}`),
  ];
}

function main(): void {
  const check = process.argv.includes('--check');
  const drift: string[] = [];
  for (const pkg of PACKAGES) {
    const manifest = JSON.parse(readFileSync(join(repo, pkg.dir, 'package.json'), 'utf8')) as Manifest & { private?: boolean };
    if (manifest.private) throw new Error(`${manifest.name} is private: remove it from tools/api-snapshot PACKAGES`);
    const sections = entryPointsOf(manifest).map((ep) => {
      const file = join(repo, pkg.dir, ep.types);
      if (!existsSync(file)) {
        throw new Error(
          `${relative(repo, file)} (${ep.specifier}) is missing: build first (npx nx run-many -t build), or use npm run api:check / api:update`,
        );
      }
      return { ...ep, entries: snapshotExports(file) };
    });
    const text = renderSnapshot(manifest.name, sections);
    const file = join(apiDir, `${pkg.file}.api.txt`);
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (committed === text) continue;
    if (check) {
      const lines = committed === undefined ? ['(no committed list)'] : difference(committed, text);
      drift.push(
        `${relative(repo, file)} (${manifest.name}):\n    ${(lines.length ? lines : ['(only the order or the header differs)']).join('\n    ')}`,
      );
    } else {
      mkdirSync(apiDir, { recursive: true });
      writeFileSync(file, text);
      console.log(`wrote ${relative(repo, file)}`);
    }
  }
  if (check) {
    if (drift.length) {
      console.error(
        `The public API differs from the committed snapshot:\n  ${drift.join('\n  ')}\n` +
          'If the change is intended: `npm run api:update`, commit api/*.api.txt, and add a changeset (`npx changeset`).',
      );
      process.exit(1);
    }
    console.log(`public API matches api/*.api.txt (${PACKAGES.length} packages)`);
  }
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
