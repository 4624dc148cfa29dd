/**
 * The fake CI service as an HTTP server in its own process, seeded with `count` jobs, for the paginate case's
 * heap measurement: with the fake (and its store) in another process, the client's process holds only the
 * client. Prints `{"url": …, "seedMs": …}` on one line once listening; stops when its stdin closes.
 *
 * Usage: node --import tsx src/fake-server.ts <count>
 */
import { compareSortKeys, generateJobs, sortKeyOf, startFakeCi } from '@cloud-infinite/mock';

async function main(): Promise<void> {
  const count = Number(process.argv[2]);
  if (!Number.isInteger(count) || count < 1) throw new Error('usage: fake-server.ts <count>');
  const started = performance.now();
  const ci = await startFakeCi({ seed: 7 });
  seed(ci.service.store, count);
  process.stdout.write(`${JSON.stringify({ url: ci.url, seedMs: performance.now() - started })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void ci.close().then(() => process.exit(0));
  });
}

/** Adds `count` generated jobs oldest first: each lands at the end of the store's sorted list. */
export function seed(store: { addJob(job: never): unknown }, count: number): void {
  const keyed = generateJobs({ count, seed: 7 }).map((job) => ({ key: sortKeyOf(job), job }));
  keyed.sort((a, b) => compareSortKeys(a.key, b.key));
  for (const { job } of keyed) store.addJob(job as never);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
