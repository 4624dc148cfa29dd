/**
 * Runs one workload in a loop for a few seconds, for a CPU profile, then prints where the time went (self
 * time by function and by package), read back from the profile V8 wrote.
 *
 *   npm run profile -w @cloud-infinite/bench -- client      # client.describeMediaJobs on the fixture
 *   npm run profile -w @cloud-infinite/bench -- decode      # decodeDocument (read, shape, check)
 *   npm run profile -w @cloud-infinite/bench -- sign        # createAuthorization
 *   npm run profile -w @cloud-infinite/bench -- xml2json    # the official SDK's decoding, for comparison
 *
 * (the script runs `node --cpu-prof --cpu-prof-dir=profiles` on itself with `--run <workload>`.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CiMediaClient, shapes } from '@cloud-infinite/client';
import { createAuthorization, decodeDocument, type DocumentShape } from '@cloud-infinite/runtime';
import { buildJobsPage } from './fixture';
import { CREDENTIALS, ENDPOINT, QUERY, stubFetch } from './cases/decode';

const WORKLOADS: Record<string, () => () => unknown> = {
  client: () => {
    const client = new CiMediaClient({
      endpoint: ENDPOINT,
      credentials: CREDENTIALS,
      fetch: stubFetch(new TextEncoder().encode(buildJobsPage())),
      validateResponses: 'warn',
    });
    return () => client.describeMediaJobs(QUERY);
  },
  decode: () => {
    const xml = buildJobsPage();
    const doc = (shapes.documents as Record<string, DocumentShape>).DescribeMediaJobsResponse!;
    return () => decodeDocument(xml, doc);
  },
  sign: () => {
    const query = {
      queueId: 'p893bcda225bf4945a378da6662e81a89',
      tag: 'Animation',
      size: '100',
      states: 'Success,Failed',
      nextToken: 'abc',
    };
    const headers = { host: 'examplebucket-1250000000.ci.ap-beijing.myqcloud.com' };
    return () =>
      createAuthorization({ ...CREDENTIALS, method: 'GET', pathname: '/jobs', query, headers, keyTime: '1714536000;1714536900' });
  },
  xml2json: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { xml2json } = require('cos-nodejs-sdk-v5/sdk/util') as { xml2json(s: string): unknown };
    const xml = buildJobsPage();
    return () => xml2json(xml);
  },
};

async function run(name: string, seconds: number): Promise<void> {
  const fn = WORKLOADS[name]!();
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    await fn();
    n++;
  }
  console.log(`${name}: ${n} iterations in ${seconds} s`);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function where(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const p = /packages\/([^/]+)\/(?:dist|src)\/(.+?)\.[jt]s$/.exec(url);
  if (p) return `${p[1]}/${p[2]}`;
  if (url.startsWith('node:') || url === '') return url || '(native / V8)';
  return url.replace(/^file:\/\//, '').replace(resolve(__dirname, '../..') + '/', '');
}

function summarise(file: string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  for (const node of profile.nodes) {
    const t = self.get(node.id) ?? 0;
    if (!t) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const origin = where(url);
    const fname = `${functionName || '(anonymous)'}  ${origin}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(fname, (byFunction.get(fname) ?? 0) + t);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + t);
  }
  const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
  console.log('\nself time by origin:');
  for (const [k, t] of [...byOrigin].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${pct(t)}  ${k}`);
  console.log('\nself time by function (top 25):');
  for (const [k, t] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(t)}  ${k}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runIndex = args.indexOf('--run');
  if (runIndex >= 0) {
    await run(args[runIndex + 1]!, Number(args[runIndex + 2] ?? 5));
    return;
  }
  const name = args[0] ?? 'client';
  if (!WORKLOADS[name]) throw new Error(`unknown workload ${name}: ${Object.keys(WORKLOADS).join(', ')}`);
  const dir = resolve(__dirname, '../profiles');
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', __filename, '--run', name, args[1] ?? '5'], {
    stdio: 'inherit',
    cwd: resolve(__dirname, '..'),
  });
  const written = readdirSync(dir)
    .filter((f) => !before.has(f) && f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!written[0]) throw new Error('no profile written');
  console.log(`profile: ${written[0]}`);
  summarise(written[0]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
