/**
 * The committed incremental baseline (baseline.json), as Stryker writes it, made fit to commit: Stryker records the
 * absolute project root and the whole resolved configuration, which name this machine's folders and change with
 * nothing the results depend on. Its incremental diff reads only `files` (each mutated file's source and mutants)
 * and `testFiles` (each test file's source and tests), keyed by repository-relative paths. Run by run.mjs after
 * Stryker.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * The report without what ties it to a machine: `projectRoot` becomes `.`, `config` and the framework's dependency
 * versions are dropped. Throws when an absolute path of `root` is still in it (a path Stryker did not make
 * relative), so that none is ever committed.
 */
export function normaliseBaseline(report, root) {
  const { config: _config, projectRoot: _root, framework, ...rest } = report;
  // a mutant's statusReason is the failing test's message and stack, which names the sandbox folder: not needed to
  // reuse the result (status, coveredBy, killedBy are), and dropped
  const files = Object.fromEntries(
    Object.entries(rest.files ?? {}).map(([name, file]) => [
      name,
      { ...file, mutants: file.mutants.map(({ statusReason: _reason, ...mutant }) => mutant) },
    ]),
  );
  const out = {
    ...rest,
    files,
    projectRoot: '.',
    ...(framework ? { framework: { name: framework.name, version: framework.version } } : {}),
  };
  const text = JSON.stringify(out);
  if (root && text.includes(root)) throw new Error(`the mutation baseline still names ${root}: a path Stryker did not make relative`);
  return out;
}

/** Rewrites the baseline at `path` in place. */
export function normaliseBaselineFile(path, root) {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(path, `${JSON.stringify(normaliseBaseline(report, root), null, 1)}\n`);
}
