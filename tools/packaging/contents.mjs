/**
 * What every tarball must hold besides its code: a README.md that is the package's own (its title names it) and
 * the LICENSE of the repository, word for word (every package says `"license": "MIT"`). Read from the packed
 * .tgz with `tar`, as a user's install would unpack it.
 */
import { execFileSync } from 'node:child_process';

/** Files every tarball holds at its top level (npm packs them under `package/`). */
export const REQUIRED_FILES = ['README.md', 'LICENSE'];

/** The files inside a tarball (folders left out), without npm's `package/` prefix. */
export function tarballFiles(tgz) {
  return execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' })
    .split('\n')
    .filter((p) => p !== '' && !p.endsWith('/'))
    .map((p) => p.replace(/^package\//, ''));
}

/** The text of one file of a tarball (`path` without the `package/` prefix). */
export function tarballText(tgz, path) {
  return execFileSync('tar', ['-xzOf', tgz, `package/${path}`], { encoding: 'utf8' });
}

/** Whether a README's first line is the title `# <name>`, e.g. `# @cloud-infinite/cli — \`ci-media\``. */
const isTitledFor = (text, name) => text.startsWith(`# ${name}`) && /^[ \r\n]/.test(text.slice(name.length + 2));

/**
 * What is wrong with the tarball of package `name` (e.g. `@cloud-infinite/client`), as messages; empty when it
 * holds every REQUIRED_FILES entry, a README titled `# <name>` (then a space or the end of the line) and a LICENSE
 * equal to `license`.
 */
export function contentProblems(tgz, name, license) {
  const files = new Set(tarballFiles(tgz));
  const problems = REQUIRED_FILES.filter((f) => !files.has(f)).map((f) => `no ${f} in the tarball`);
  if (files.has('README.md') && !isTitledFor(tarballText(tgz, 'README.md'), name)) {
    problems.push(`README.md does not start with "# ${name}" (another package's README?)`);
  }
  if (files.has('LICENSE') && tarballText(tgz, 'LICENSE') !== license) problems.push('LICENSE differs from the repository LICENSE');
  return problems;
}
