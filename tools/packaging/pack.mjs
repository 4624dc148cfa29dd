/** Packs the publishable packages with `npm pack` (what `npm publish` would upload). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PACKAGES = ['runtime', 'client', 'mock', 'cli'];

/** A fresh temporary folder. */
export const tempDir = (prefix) => mkdtempSync(join(tmpdir(), `cloud-infinite-${prefix}-`));

/** Packs every package into `dest`; returns `{ runtime: '/…/cloud-infinite-runtime-0.1.0.tgz', … }`. */
export function packAll(dest) {
  const out = {};
  for (const name of PACKAGES) {
    const json = execFileSync('npm', ['pack', '--json', '--pack-destination', dest], {
      cwd: join(repo, 'packages', name),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    out[name] = join(dest, JSON.parse(json)[0].filename);
  }
  return out;
}
