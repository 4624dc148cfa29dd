/**
 * `npm run bench` (from the root: builds, then runs this): cloud-infinite against the official COS/CI SDKs and
 * the raw parsers, every subject in the same process and run, with the ratios the issue targets.
 *
 *   npm run bench                      full run (about two minutes: 100,000 jobs are seeded and listed)
 *   npm run bench -- --quick           a few seconds; the bundle budget is checked (exit 1 when over),
 *                                      timing ratios are printed, not enforced
 *   npm run bench -- --only=decode,sign
 *   npm run bench -- --json=results.json
 *
 * Cases: decode (src/cases/decode.ts), sign (sign.ts), paginate (paginate.ts), bundle (bundle.ts).
 * Only the bundle budget makes the exit code fail: timings depend on the machine; sizes do not.
 */
import { availableParallelism, cpus, loadavg, totalmem, platform, release } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { runDecode, runDecodePretty } from './cases/decode';
import { runSign } from './cases/sign';
import { runPaginate, type ListingRun } from './cases/paginate';
import { runBundle, BUDGET_BYTES } from './cases/bundle';
import { fmtBytes, fmtOps, meets, measuredTable, table, type Measured, type Ratio } from './harness';

const CASES = ['bundle', 'sign', 'decode', 'paginate'] as const;
type CaseName = (typeof CASES)[number];

function parseArgs(argv: readonly string[]): { quick: boolean; only: Set<CaseName>; json?: string } {
  let quick = false;
  let only = new Set<CaseName>(CASES);
  let json: string | undefined;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg.startsWith('--only=')) {
      const names = arg.slice(7).split(',');
      for (const n of names)
        if (!(CASES as readonly string[]).includes(n)) throw new Error(`--only: unknown case ${n} (${CASES.join(', ')})`);
      only = new Set(names as CaseName[]);
    } else if (arg.startsWith('--json=')) json = arg.slice(7);
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: npm run bench -- [--quick] [--only=bundle,sign,decode,paginate] [--json=file]');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return { quick, only, json };
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function machine(): Record<string, string> {
  return {
    cpu: `${cpuModel()} × ${availableParallelism()} (nproc)`,
    node: process.version,
    os: `${platform()} ${release()}`,
    memory: `${Math.round(totalmem() / 1024 ** 3)} GiB`,
    'load average at start': loadavg()
      .map((l) => l.toFixed(2))
      .join(', '),
  };
}

function heading(text: string): void {
  console.log(`\n## ${text}\n`);
}

function ratioRows(ratios: readonly Ratio[]): string[][] {
  return ratios.map((r) => {
    const value =
      r.unit === '%' ? `${r.value >= 0 ? '+' : ''}${r.value.toFixed(1)}%` : `${r.value.toFixed(r.unit === ' KiB' ? 1 : 2)}${r.unit}`;
    const target = r.unit === '%' ? `${r.direction} ${r.target}%` : `${r.direction} ${r.target}${r.unit}`;
    const status = r.note?.startsWith('informational') ? 'info' : meets(r) ? 'met' : r.enforced ? 'MISSED (enforced)' : 'missed';
    return [r.case, r.what, value, target, status];
  });
}

function listingTable(runs: readonly ListingRun[]): string {
  const mib = (b: number | undefined) => (b === undefined ? '–' : `${(b / 1024 / 1024).toFixed(2)} MiB`);
  return table(
    ['fake', 'jobs listed', 'seed', 'list', 'jobs/s', 'peak live Δ', 'live Δ after', 'heap baseline', 'raw peak Δ'],
    runs.map((r) => [
      r.mode === 'http' ? 'HTTP, other process' : 'in-process handle()',
      r.count.toLocaleString('en-US'),
      `${(r.seedMs / 1000).toFixed(1)} s`,
      `${(r.listMs / 1000).toFixed(2)} s`,
      fmtOps(r.jobsPerSec),
      mib(r.retainedPeakDelta),
      mib(r.retainedAfter),
      mib(r.baseline),
      mib(r.rawPeakDelta),
    ]),
    2,
  );
}

async function main(): Promise<void> {
  const { quick, only, json } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const info = machine();
  console.log(`# cloud-infinite benchmarks${quick ? ' (--quick: short runs, timing ratios not enforced)' : ''}\n`);
  for (const [k, v] of Object.entries(info)) console.log(`- ${k}: ${v}`);
  const ratios: Ratio[] = [];
  const report: Record<string, unknown> = { machine: info, quick };
  const plain = (m: Map<string, Measured>) => Object.fromEntries(m);

  if (only.has('bundle')) {
    heading('bundle: browser consumer, esbuild --minify, gzip -9');
    const b = await runBundle();
    console.log(
      table(
        ['build', 'minified (first load)', 'gzipped (first load)', 'gzipped, loaded on demand'],
        [
          ...b.builds.map((x) => [x.name, fmtBytes(x.minified), fmtBytes(x.gzipped), x.lazyGzipped ? fmtBytes(x.lazyGzipped) : '—']),
          ['cos-js-sdk-v5 dist/cos-js-sdk-v5.min.js', fmtBytes(b.cos.minified), fmtBytes(b.cos.gzipped), '—'],
        ],
      ),
    );
    for (const build of [b.builds[0]!, b.builds[b.builds.length - 1]!]) {
      console.log(`\nlargest parts of "${build.name}" (minified bytes):`);
      for (const [name, bytes] of build.contributors.slice(0, 8)) console.log(`  ${fmtBytes(bytes).padStart(10)}  ${name}`);
    }
    ratios.push(...b.ratios);
    report.bundle = b;
  }

  if (only.has('sign')) {
    heading('sign: Authorization of a DescribeMediaJobs request (fixed KeyTime)');
    const s = await runSign(quick);
    console.log(measuredTable(s.results));
    ratios.push(...s.ratios);
    report.sign = plain(s.results);
  }

  if (only.has('decode')) {
    const d = await runDecode(quick);
    heading(
      `decode: DescribeMediaJobs page, ${d.fixture.jobs} jobs (${d.fixture.withMediaInfo} with MediaInfo/MediaResult), ${fmtBytes(d.fixture.bytes)}, from the response bytes`,
    );
    console.log(measuredTable(d.results));
    ratios.push(...d.ratios);
    report.decode = { fixture: d.fixture, results: plain(d.results) };
    if (!quick) {
      const p = await runDecodePretty();
      heading(`decode, the same page pretty-printed (two-space indentation), ${fmtBytes(p.bytes)}`);
      console.log(measuredTable(p.results));
      report.decodePretty = { bytes: p.bytes, results: plain(p.results) };
    }
  }

  if (only.has('paginate')) {
    heading('paginate: paginateMediaJobs, pages of 100, oldest first');
    const p = await runPaginate(quick);
    console.log(listingTable(p.runs));
    console.log('\npeak live Δ (over HTTP, where the process holds only the client): live data — heap used minus compiled');
    console.log('code, bytecode and their metadata — after GC while a page is held, over the steady heap before the listing,');
    console.log('at each of the last 10 pages of the listing (page: KiB):');
    for (const r of p.runs.filter((x) => x.mode === 'http')) {
      console.log(
        `  ${r.count.toLocaleString('en-US').padStart(7)} jobs: ${r.series.map(([page, d]) => `${page}: ${Math.round(d / 1024)}`).join(', ')}`,
      );
    }
    console.log('raw peak Δ: heapUsed sampled on every page without forcing GC (includes garbage not yet collected).');
    ratios.push(...p.ratios);
    report.paginate = p.runs;
  }

  heading('ratios and targets (same process, same run)');
  console.log(table(['case', 'ratio', 'value', 'target', 'status'], ratioRows(ratios), 2));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\n${quick ? 'quick run' : 'run'} took ${seconds} s`);
  report.ratios = ratios;
  if (json) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);

  const failed = ratios.filter((r) => r.enforced && !meets(r));
  if (failed.length) {
    console.error(`\nFAILED: ${failed.map((r) => `${r.what} is ${r.value.toFixed(1)}${r.unit}, budget ${r.target}${r.unit}`).join('; ')}`);
    console.error(`(budget: ${BUDGET_BYTES / 1024} KiB gzipped)`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
