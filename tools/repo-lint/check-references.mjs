#!/usr/bin/env node
/**
 * Nothing in the repository points outside it: the reference notes kept in a `shared` folder beside a checkout are
 * not in a clone, so a tracked file that cites them (OUTSIDE below) sends its reader nowhere. Cite the public API pages instead (Tencent Cloud "Request
 * Signature", https://www.tencentcloud.com/document/product/436/7778; the CI API pages under
 * https://www.tencentcloud.com/document/product/1045/), or move the facts into docs/.
 *
 * Fails listing `file:line` of every mention in `git ls-files`, except the paths of EXCEPTIONS. Run by
 * `npm run lint` (nx target repo-lint:checks). Usage: `node tools/repo-lint/check-references.mjs [repo dir]`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a file must not mention (written so that this file does not match itself). */
export const OUTSIDE = /shared\/reference|\.\.\/shared\b/;

/** Files allowed to mention it: none (the spec header and the code generator cite public pages now). */
export const EXCEPTIONS = [];

/** Whether `path` (repo-relative, `/`-separated) is exempt: an exact file, or under a folder ending in `/`. */
export function isException(path, exceptions = EXCEPTIONS) {
  return exceptions.some((e) => (e.endsWith('/') ? path.startsWith(e) : path === e));
}

/** `file:line: text` of every mention in the given files (text files only: a NUL byte marks a binary one). */
export function findMentions(dir, files, exceptions = EXCEPTIONS) {
  const found = [];
  for (const file of files) {
    if (isException(file, exceptions)) continue;
    let text;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch {
      continue; // deleted in the work tree but still in the index
    }
    if (text.includes('\0')) continue;
    text.split('\n').forEach((line, i) => {
      if (OUTSIDE.test(line)) found.push(`${file}:${i + 1}: ${line.trim().slice(0, 160)}`);
    });
  }
  return found;
}

/** The files git tracks in `dir`. */
export function trackedFiles(dir) {
  return execFileSync('git', ['ls-files', '-z'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter(Boolean);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../..');
  const files = trackedFiles(dir);
  const found = findMentions(dir, files);
  if (found.length > 0) {
    console.error(
      `references: ${found.length} mention${found.length === 1 ? '' : 's'} of a folder outside the repository ` +
        `(cite the public API pages, or move the facts into docs/):\n${found.map((f) => `  ${f}`).join('\n')}`,
    );
    process.exit(1);
  }
  console.log(
    `references: ok, ${files.length} tracked files point nowhere outside the repository (exempt: ${EXCEPTIONS.join(', ') || 'none'})`,
  );
}
