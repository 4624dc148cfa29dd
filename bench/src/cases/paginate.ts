/**
 * paginate: listing every job of a seeded fake CI with `paginateMediaJobs`, pages of 100, each listing in its
 * own process (src/paginate-child.ts, `--expose-gc`):
 * - in-process: the client's `fetch` calls `FakeCiService.handle` directly (no sockets) — jobs/s;
 * - over HTTP, the fake in another process (src/fake-server.ts) — jobs/s, and the client's retained heap: with
 *   the fake elsewhere, the client's process holds only the client.
 * The check: the client's peak live data while listing stays flat (O(one page)) — for 100,000 jobs within 2×
 * that for 1,000 (quick mode: 3,000 vs 1,000).
 */
import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { type Ratio } from '../harness';

export interface ListingRun {
  readonly count: number;
  readonly mode: 'in-process' | 'http';
  /** Seeding the fake (in-process: here; over HTTP: in the server). */
  readonly seedMs: number;
  readonly listMs: number;
  readonly jobsPerSec: number;
  /** heapUsed of the steady heap before the timed listing. */
  readonly baseline: number;
  /** Peak heapUsed over the baseline while listing, sampled every page, garbage included. */
  readonly rawPeakDelta: number;
  /** Over HTTP: peak live data (no compiled code) over the baseline, measured after GC while a page is held. */
  readonly retainedPeakDelta?: number;
  /** Over HTTP: live data over the baseline once the listing is over. */
  readonly retainedAfter?: number;
  /** Over HTTP: [page, live data over the baseline] at the sampled pages. */
  readonly series: ReadonlyArray<readonly [number, number]>;
}

export interface PaginateCase {
  readonly runs: ListingRun[];
  readonly ratios: Ratio[];
}

const BENCH = resolve(__dirname, '../..');

function runChild(count: number, url?: string, warm?: number): Promise<ListingRun> {
  const args = ['--expose-gc', '--import', 'tsx', resolve(BENCH, 'src/paginate-child.ts'), String(count)];
  if (url) args.push(`--url=${url}`);
  if (warm !== undefined) args.push(`--warm=${warm}`);
  return new Promise((ok, fail) => {
    const child = execFile(process.execPath, args, { cwd: BENCH, encoding: 'utf8', maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) fail(err);
      else ok(JSON.parse(stdout.trim().split('\n').pop()!) as ListingRun);
    });
    child.stderr?.pipe(process.stderr);
  });
}

/** Starts src/fake-server.ts with `count` jobs, runs `fn` with its URL, then stops it. */
async function withServer<T>(count: number, fn: (url: string, seedMs: number) => Promise<T>): Promise<T> {
  const server = spawn(process.execPath, ['--import', 'tsx', resolve(BENCH, 'src/fake-server.ts'), String(count)], {
    cwd: BENCH,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise<string>((ok, fail) => {
      createInterface({ input: server.stdout! }).once('line', ok);
      server.once('exit', (code) => fail(new Error(`the fake server exited (${code}) before listening`)));
    });
    const { url, seedMs } = JSON.parse(line) as { url: string; seedMs: number };
    return await fn(url, seedMs);
  } finally {
    server.stdin!.end(); // it stops when its stdin closes
    const timer = setTimeout(() => server.kill(), 5000);
    await new Promise((ok) => server.once('exit', ok));
    clearTimeout(timer);
  }
}

export async function runPaginate(quick: boolean): Promise<PaginateCase> {
  const counts = [1_000, quick ? 3_000 : 100_000] as const;
  const runs: ListingRun[] = [];
  for (const count of counts) runs.push(await runChild(count));
  const warm = quick ? 60 : 300;
  for (const count of counts)
    runs.push(await withServer(count, async (url, seedMs) => ({ ...(await runChild(count, url, warm)), seedMs })));
  const [small, large] = runs.filter((r) => r.mode === 'http') as [ListingRun, ListingRun];
  const [smallIn, largeIn] = runs.filter((r) => r.mode === 'in-process') as [ListingRun, ListingRun];
  const floor = (n: number | undefined) => Math.max(n ?? 0, 1);
  const n = (c: number) => c.toLocaleString('en-US');
  return {
    runs,
    ratios: [
      {
        case: 'paginate',
        what: `client's peak live data while listing, ${n(large.count)} ÷ ${n(small.count)} jobs (over HTTP)`,
        value: floor(large.retainedPeakDelta) / floor(small.retainedPeakDelta),
        target: 2,
        direction: '<=',
        unit: '×',
        enforced: false,
      },
      {
        case: 'paginate',
        what: `raw peak heapUsed while listing in-process (garbage included), ${n(largeIn.count)} ÷ ${n(smallIn.count)}`,
        value: floor(largeIn.rawPeakDelta) / floor(smallIn.rawPeakDelta),
        target: 2,
        direction: '<=',
        unit: '×',
        enforced: false,
        note: 'informational: V8 lets garbage grow with the heap, and the larger store makes a larger heap',
      },
    ],
  };
}
