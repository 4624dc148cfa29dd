/**
 * Writes the decode fixture to bench/fixtures/ and prints its size and SHA-256 (the fixture is built in memory
 * by every run; this is for looking at it, or feeding it to another tool).
 *
 *   npm run fixture -w @cloud-infinite/bench
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildJobsPage } from './fixture';

const dir = resolve(__dirname, '../fixtures');
mkdirSync(dir, { recursive: true });
for (const [name, xml] of [
  ['describe-media-jobs-100.xml', buildJobsPage()],
  ['describe-media-jobs-100.pretty.xml', buildJobsPage({ pretty: true })],
] as const) {
  const bytes = Buffer.from(xml, 'utf8');
  writeFileSync(join(dir, name), bytes);
  console.log(`${name}: ${bytes.byteLength} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`);
}
