/**
 * Code generation: specs/ci-media.openapi.yaml -> packages/client/src/generated/.
 *
 *   types.ts        openapi-typescript types (paths, components, operations)
 *   shapes.ts       the XML shape of every request and response document
 *   validators.ts   ajv standalone validators (no schema compilation, no eval at run time)
 *   operations.ts   the operation table and each operation's Input/Output types
 *
 * Usage: `tsx src/main.ts` writes the files; `tsx src/main.ts --check` exits 1 when they differ from what
 * the spec gives (CI's drift check).
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { generate, type Generated } from './generate';

const repo = resolve(__dirname, '../../..');
const specPath = join(repo, 'specs/ci-media.openapi.yaml');
const outDir = join(repo, 'packages/client/src/generated');

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const spec = parseYaml(readFileSync(specPath, 'utf8')) as Record<string, unknown>;
  const files: Generated = await generate(spec, { specFile: relative(repo, specPath) });
  const drift: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const file = join(outDir, name);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === content) continue;
    if (check) {
      drift.push(relative(repo, file));
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      console.log(`wrote ${relative(repo, file)}`);
    }
  }
  if (check) {
    if (drift.length) {
      console.error(
        `Generated files are out of date with ${relative(repo, specPath)}:\n  ${drift.join('\n  ')}\n` +
          'Run `npm run generate` and commit the result.',
      );
      process.exit(1);
    }
    console.log(`generated files match ${relative(repo, specPath)} (${Object.keys(files).length} files)`);
  } else if (!Object.keys(files).some((n) => existsSync(join(outDir, n)))) {
    console.log('nothing written');
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
