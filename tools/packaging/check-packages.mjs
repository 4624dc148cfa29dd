/**
 * `npm run check:packages`: packs each publishable package and lints the tarball as it would be published:
 * @arethetypeswrong/cli (types resolve and match the JS under node10, node16 from CJS and from ESM, bundler)
 * and publint (exports, files, fields). Any problem, suggestion included, fails. Each tarball must also hold its
 * README.md and the repository's LICENSE (contents.mjs).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { contentProblems } from './contents.mjs';
import { PACKAGES, packAll, repo, tempDir } from './pack.mjs';

const bin = (name) => join(repo, 'node_modules/.bin', name);
const dest = tempDir('pack');
const license = readFileSync(join(repo, 'LICENSE'), 'utf8');
const CHECKS = 3;
let failed = 0;
try {
  const tarballs = packAll(dest);
  for (const name of PACKAGES) {
    const tgz = tarballs[name];
    const problems = contentProblems(tgz, `@cloud-infinite/${name}`, license);
    if (problems.length === 0) console.log(`ok   files   @cloud-infinite/${name} (README.md, LICENSE)`);
    else {
      failed++;
      console.error(`FAIL files   @cloud-infinite/${name}\n${problems.map((p) => `  ${p}`).join('\n')}`);
    }
    for (const [tool, args] of [
      ['attw', [tgz, '--format', 'ascii']],
      ['publint', ['run', tgz, '--level', 'suggestion', '--strict']],
    ]) {
      try {
        const out = execFileSync(bin(tool), args, {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, NO_COLOR: '1' },
        });
        // publint exits 0 on a suggestion: "All good!" is the only clean answer
        if (tool === 'publint' && !/All good!/.test(out)) throw Object.assign(new Error('publint reported something'), { stdout: out });
        console.log(`ok   ${tool.padEnd(7)} @cloud-infinite/${name}`);
      } catch (err) {
        failed++;
        console.error(
          `FAIL ${tool.padEnd(7)} @cloud-infinite/${name}\n${err.stdout ?? ''}${err.stderr ?? ''}${err.stdout || err.stderr ? '' : err.message}`,
        );
      }
    }
  }
} finally {
  rmSync(dest, { recursive: true, force: true });
}
console.log(`check:packages: ${PACKAGES.length * CHECKS - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
