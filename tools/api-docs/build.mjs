#!/usr/bin/env node
/**
 * `npm run docs`: the TypeDoc API reference of @cloud-infinite/runtime, client and mock, in docs/api/
 * (gitignored; open docs/api/index.html). Every TypeDoc warning fails the build, above all
 * "X … is referenced by Y but not included in the documentation": a public signature naming a type its
 * package does not export, so users cannot name it either.
 *
 * Each package is converted on its own (TypeDoc's `packages` strategy, one package at a time, so each has
 * its own list of known gaps below), to JSON in a temporary folder; the JSONs are then merged into one site
 * with cross-package links (`merge` strategy). Everything runs offline.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, Converter, ReflectionKind } from 'typedoc';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(repo, 'docs/api');

/**
 * The documented packages. `intentionallyNotExported`: types a public signature uses but the package's
 * index.ts does not export (known gaps of that package's API). Export the type from the package and delete
 * the entry: TypeDoc fails when an entry is no longer needed, and on any new gap.
 */
const PACKAGES = [
  {
    dir: 'packages/runtime',
    entryPoints: ['src/index.ts'],
    intentionallyNotExported: [
      'src/transport.ts:PreparedRequest', // the result of prepareRequest()
    ],
  },
  { dir: 'packages/client', entryPoints: ['src/index.ts'], intentionallyNotExported: [] },
  {
    dir: 'packages/mock',
    entryPoints: ['src/index.ts', 'src/msw.ts'], // `.` and `./msw`
    intentionallyNotExported: [
      'src/ids.ts:IdSource', // RouteContext.ids
      'src/request.ts:ParsedRequest', // RouteContext.request
      'src/lifecycle.ts:JobEngineOptions', // new JobEngine(options)
    ],
  },
];

/** Options used when converting each package. */
const packageOptions = (entryPoints, intentionallyNotExported) => ({
  // entry points: the sources of each package.json `exports` entry, listed above (the bundled declarations of
  // dist/ have no declaration maps for TypeDoc to follow back to src/)
  entryPoints,
  tsconfig: 'tsconfig.build.json',
  // the sibling packages from their sources too, so that a signature naming another package's type links to
  // that package's page in the merged site (as declaration maps did when dist/ was plain tsc output)
  compilerOptions: {
    rootDir: join(repo, 'packages'),
    paths: {
      '@cloud-infinite/runtime': [join(repo, 'packages/runtime/src/index.ts')],
      '@cloud-infinite/client': [join(repo, 'packages/client/src/index.ts')],
      '#crypto': [join(repo, 'packages/runtime/src/crypto/node.ts')],
      '#xml-fallback': [join(repo, 'packages/runtime/src/xml/fallback-node.ts')],
      '#xml-fallback-reader': [join(repo, 'packages/runtime/src/xml/fallback.ts')],
    },
  },
  excludePrivate: true,
  excludeInternal: true,
  // no git remote to link to; pages still say which package a declaration comes from
  disableSources: true,
  intentionallyNotExported,
});

const VALIDATION = { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: false, unusedMergeModuleWith: true };

/**
 * A package with several entry points (`exports` subpaths, e.g. `@cloud-infinite/mock/msw`) becomes one module
 * per subpath, named `index` and `msw` by TypeDoc (after their source files); name them as users import them.
 */
function nameSubpathModules(context) {
  const project = context.project;
  for (const child of project.children ?? []) {
    if (!child.kindOf(ReflectionKind.Module)) continue;
    child.name = child.name === '.' || child.name === '' || child.name === 'index' ? project.name : `${project.name}/${child.name}`;
  }
}

/** Runs one TypeDoc application to completion; false when it reported an error or a warning. */
async function run(options, emit) {
  const app = await Application.bootstrapWithPlugins({ treatWarningsAsErrors: true, validation: VALIDATION, ...options });
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, nameSubpathModules);
  const failed = () => app.logger.hasErrors() || app.logger.hasWarnings();
  if (failed()) return false;
  const project = await app.convert();
  if (!project || failed()) return false;
  app.validate(project);
  if (failed()) return false;
  await emit(app, project);
  return !failed();
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'cloud-infinite-docs-'));
  try {
    const jsons = [];
    for (const pkg of PACKAGES) {
      const json = join(work, `${pkg.dir.split('/').pop()}.json`);
      const ok = await run(
        {
          entryPointStrategy: 'packages',
          entryPoints: [join(repo, pkg.dir)],
          packageOptions: packageOptions(pkg.entryPoints, pkg.intentionallyNotExported),
          // links to the other packages resolve only once all are merged: checked in the merge below
          validation: { ...VALIDATION, invalidLink: false },
        },
        (app, project) => app.generateJson(project, json),
      );
      if (!ok || !existsSync(json)) throw new Error(`TypeDoc failed on ${pkg.dir} (see the messages above; warnings are errors)`);
      jsons.push(json);
    }
    const ok = await run(
      {
        name: 'cloud-infinite',
        entryPointStrategy: 'merge',
        entryPoints: jsons,
        // the landing page is for users (install, a first call, links); the repository README is for contributors
        readme: join(repo, 'docs/README.md'),
        // pages of their own in the site, linked from the landing page
        projectDocuments: [join(repo, 'docs/errors.md'), join(repo, 'docs/cli.md')],
        out,
        cleanOutputDir: true,
        hideGenerator: true,
      },
      (app, project) => app.generateDocs(project, out),
    );
    if (!ok) throw new Error('TypeDoc failed to merge and render the packages (see the messages above; warnings are errors)');
    console.log(`API reference written to ${out}/index.html`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
