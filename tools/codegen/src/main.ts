/**
 * Code generation: specs/ci-media.openapi.yaml -> packages/client/src/generated/.
 *
 *   types.ts        named, documented types of every component (decoded form, and `<Name>Input` where a
 *                   request differs: request enums closed, response enums open)
 *   shapes.ts       the XML shape of every request and response document
 *   validators.ts   ajv standalone input validators (no schema compilation, no eval at run time)
 *   operations.ts   the operation table and each operation's Input/Output types
 *   methods.ts      one method per operation
 *
 * and packages/mock/src/generated/recordings.ts: the 2xx exchanges of specs/recordings, embedded, which the fake
 * answers an operation it has no behaviour for with.
 *
 * Usage: `tsx src/main.ts` writes the files that changed and names them (or says they are up to date);
 * `tsx src/main.ts --check` names the files that drifted from the spec and exits 1 (CI's drift check).
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { generate, type Generated } from './generate';
import { generateRecordings, readAnswers } from './recordings';
import { METHODS, SpecContext } from './spec';

const repo = resolve(__dirname, '../../..');
const specPath = join(repo, 'specs/ci-media.openapi.yaml');
const outDir = join(repo, 'packages/client/src/generated');
const recordingsDir = join(repo, 'specs/recordings');
const mockOutDir = join(repo, 'packages/mock/src/generated');

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const spec = parseYaml(readFileSync(specPath, 'utf8')) as Record<string, unknown>;
  const files: Generated = await generate(spec, { specFile: relative(repo, specPath) });
  const ctx = new SpecContext(spec);
  const ops = ctx.operations();
  // what CI sends rather than answers (a webhook such as JobNotification, its document) has recordings too, but no answer
  const webhooks = Object.entries((spec.webhooks ?? {}) as Record<string, Record<string, { operationId?: string } | undefined>>).flatMap(
    ([key, item]) => [key, ...METHODS.map((m) => item[m]?.operationId).filter((id): id is string => typeof id === 'string')],
  );
  const answers = readAnswers(recordingsDir, ops, [...ctx.documents(ops).map((d) => d.name), ...webhooks]);
  const mockFiles: Generated = {
    'recordings.ts': generateRecordings(answers, relative(repo, recordingsDir)),
  };
  const targets = [
    ...Object.entries(files).map(([name, content]) => [join(outDir, name), content] as const),
    ...Object.entries(mockFiles).map(([name, content]) => [join(mockOutDir, name), content] as const),
  ];
  const drift: string[] = [];
  const written: string[] = [];
  for (const [file, content] of targets) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === content) continue;
    if (check) {
      drift.push(relative(repo, file));
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      written.push(relative(repo, file));
    }
  }
  const specName = relative(repo, specPath);
  if (check) {
    if (drift.length) {
      console.error(
        `${drift.length} generated file(s) differ from what ${specName} and specs/recordings give:\n  ${drift.join('\n  ')}\n` +
          'Run `npm run generate` and commit the result (never edit generated files by hand).',
      );
      process.exit(1);
    }
    console.log(`generated files match ${specName} and specs/recordings (${targets.length} files)`);
  } else if (written.length) {
    console.log(`wrote ${written.length} file(s) from ${specName} and specs/recordings:\n  ${written.join('\n  ')}`);
  } else {
    console.log(`generated files are up to date with ${specName} and specs/recordings (${targets.length} files, nothing written)`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
