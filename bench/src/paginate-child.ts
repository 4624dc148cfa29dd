/**
 * One paginate measurement, in its own process (run with `--expose-gc`): lists every job with
 * `CiMediaClient.paginateMediaJobs` (pages of 100, oldest first) and prints one JSON line.
 *
 * Two ways to reach the fake CI service:
 * - in-process (default): the fake is seeded here and the client's `fetch` calls `FakeCiService.handle`
 *   directly (no sockets) — the client signs, the fake verifies the signature and encodes the page, the
 *   client decodes, shapes and validates it. Measures jobs/s.
 * - `--url=<url>`: the fake runs as an HTTP server in another process (src/fake-server.ts) and the client uses
 *   the global fetch. This process then holds only the client, so its heap is the client's heap (in-process,
 *   the fake's own per-request allocations move the heap by a few hundred KiB either way, as much as a page
 *   weighs). Measures the retained heap, then jobs/s over HTTP.
 *
 * Retained heap: after a warm-up of 300 requests (`--warm`; the same for every count of a run), the heap is made steady (see
 * {@link settle}) at the first job of each of the last {@link SAMPLED_PAGES} pages, and its live data
 * ({@link liveData}) compared with the baseline taken before the listing; the peak of those samples is reported.
 * Timed: a listing of everything, `heapUsed` sampled on every page (garbage included: the raw peak).
 *
 * Usage: node --expose-gc --import tsx src/paginate-child.ts <count> [--url=<url>] [--warm=<requests>]
 */
import { getHeapCodeStatistics, getHeapStatistics } from 'node:v8';
import { DEMO_CREDENTIALS, DEMO_QUEUE_ID, FakeCiService } from '@cloud-infinite/mock';
import { CiMediaClient } from '@cloud-infinite/client';
import { seed } from './fake-server';

const count = Number(process.argv[2]);
const url = process.argv.find((a) => a.startsWith('--url='))?.slice(6);
/** Requests made before the baseline, the same for every count of a run (`--warm=N`, default 300). */
const warmRequests = url ? Number(process.argv.find((a) => a.startsWith('--warm='))?.slice(7) ?? 300) : 10;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc || !Number.isInteger(count) || count < 1) {
  console.error('usage: node --expose-gc --import tsx src/paginate-child.ts <count> [--url=<url>]');
  process.exit(2);
}

function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

/** Live data: the used heap without compiled code, bytecode and their metadata (V8 optimising, not data). */
function liveData(): number {
  const code = getHeapCodeStatistics();
  return getHeapStatistics().used_heap_size - code.code_and_metadata_size - code.bytecode_and_metadata_size;
}

/**
 * Collects until the heap is steady: gc(), then a turn of the event loop so FinalizationRegistry callbacks
 * (undici's Response bodies, AbortSignal.timeout timers) run and release what they hold, three times.
 */
async function settle(): Promise<void> {
  for (let k = 0; k < 3; k++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  gc!();
}

/**
 * Pages sampled, at the end of every listing (all of a 1,000-job one): the live heap of a listing moves by
 * ±1 page between samples (which of the last pages' objects are still reachable, string representations), so
 * every count gets the same number of samples, and at its end, where any growth with the count would be.
 */
const SAMPLED_PAGES = 10;

function inProcessFetch(service: FakeCiService): typeof fetch {
  return async (input, init) => {
    const target = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = { host: new URL(target).host };
    for (const [k, v] of Object.entries((init?.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = v;
    const res = await service.handle({
      method: init?.method ?? 'GET',
      url: target,
      headers,
      body: typeof init?.body === 'string' ? init.body : undefined,
    });
    return new Response(res.body, { status: res.status, headers: res.headers });
  };
}

async function main(): Promise<void> {
  let seedMs = 0;
  let client: CiMediaClient;
  if (url) {
    client = new CiMediaClient({ endpoint: url, credentials: DEMO_CREDENTIALS, validateResponses: 'warn' });
  } else {
    const started = performance.now();
    const service = new FakeCiService({ seed: 7 });
    seed(service.store, count);
    seedMs = performance.now() - started;
    client = new CiMediaClient({
      endpoint: 'http://fake-ci.local',
      credentials: DEMO_CREDENTIALS,
      fetch: inProcessFetch(service),
      validateResponses: 'warn',
    });
  }
  // oldest first (chosen while the fake's default Desc keyset repeated each page's boundary job; fixed since)
  const input = { queueId: DEMO_QUEUE_ID, tag: 'Animation', size: 100, orderByTime: 'Asc' } as const;

  // warm-up, not measured: the same number of requests whatever the count (the listing again and again if it
  // is short), so that one-time costs — V8 optimising the client's code, its feedback, the connection pool —
  // are paid before the baseline by every run alike
  for (let requests = 0; requests < warmRequests;) {
    for await (const page of client.paginateMediaJobPages(input)) {
      if (++requests >= warmRequests || page.JobsDetail.length === 0) break;
    }
  }

  // 1. retained (HTTP mode): live data while a page is held, on each of the last 10 pages
  let retainedPeakDelta: number | undefined;
  let retainedAfter: number | undefined;
  const series: Array<[page: number, delta: number]> = [];
  if (url) {
    const pages = Math.ceil(count / 100);
    await settle();
    const baseline = liveData();
    let peak = baseline;
    let n = 0;
    for await (const job of client.paginateMediaJobs(input)) {
      if (n % 100 === 0 && n / 100 >= pages - SAMPLED_PAGES) {
        await settle();
        const data = liveData();
        series.push([n / 100, data - baseline]);
        peak = Math.max(peak, data);
      }
      n += job.JobId ? 1 : 0;
    }
    if (n !== count) throw new Error(`listed ${n} of ${count} jobs`);
    await settle();
    retainedPeakDelta = peak - baseline;
    retainedAfter = liveData() - baseline;
  }

  // 2. timed listing, raw peak
  await settle();
  const baseline1 = heapUsed();
  let peak1 = baseline1;
  let listed = 0;
  const t0 = performance.now();
  for await (const job of client.paginateMediaJobs(input)) {
    if (listed % 100 === 0) peak1 = Math.max(peak1, heapUsed());
    listed += job.JobId ? 1 : 0;
  }
  const listMs = performance.now() - t0;
  if (listed !== count) throw new Error(`listed ${listed} of ${count} jobs`);

  process.stdout.write(
    `${JSON.stringify({
      count,
      mode: url ? 'http' : 'in-process',
      seedMs,
      listMs,
      jobsPerSec: (count * 1000) / listMs,
      baseline: baseline1,
      rawPeakDelta: peak1 - baseline1,
      retainedPeakDelta,
      retainedAfter,
      series,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
