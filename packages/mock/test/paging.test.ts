/** DescribeMediaJobs paging through the real client against the HTTP fake: every job once, in order. */
import { CiMediaClient, CiServiceError, type MediaJob } from '@cloud-infinite/client';
import { DEMO_CREDENTIALS, DEMO_QUEUE_ID, generateJobs, startFakeCi, type RunningFakeCi } from '../src';
import { collectPages } from './helpers';

const SEED = 42;
const COUNT = 250;
const NOW = Date.now();

let ci: RunningFakeCi;
let client: CiMediaClient;

beforeAll(async () => {
  ci = await startFakeCi({ jobs: COUNT, seed: SEED, now: () => NOW });
  client = new CiMediaClient({ endpoint: ci.url, credentials: DEMO_CREDENTIALS, validateResponses: 'strict', maxAttempts: 1 });
});
afterAll(() => ci.close());

/** The expected order, computed independently of the store: CreationTime, then JobId. */
function sorted(jobs: readonly MediaJob[], order: 'Asc' | 'Desc'): string[] {
  const key = (j: MediaJob) => Date.parse(j.CreationTime!.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  const asc = [...jobs].sort((a, b) => key(a) - key(b) || (a.JobId < b.JobId ? -1 : a.JobId > b.JobId ? 1 : 0));
  return (order === 'Asc' ? asc : asc.reverse()).map((j) => j.JobId);
}

describe.each(['Desc', 'Asc'] as const)('orderByTime=%s', (order) => {
  test(`250 jobs in pages of 7: each job exactly once, in order`, async () => {
    const pages = await collectPages(client, { queueId: DEMO_QUEUE_ID, tag: 'Animation', size: 7, orderByTime: order });
    expect(pages).toHaveLength(Math.ceil(COUNT / 7));
    pages.slice(0, -1).forEach((p) => {
      expect(p.JobsDetail).toHaveLength(7);
      expect(p.NextToken).toEqual(expect.any(String));
    });
    const last = pages[pages.length - 1]!;
    expect(last.JobsDetail).toHaveLength(COUNT % 7);
    expect('NextToken' in last).toBe(false); // the last page has no NextToken element
    const ids = pages.flatMap((p) => p.JobsDetail.map((j) => j.JobId));
    expect(new Set(ids).size).toBe(COUNT);
    expect(ids).toEqual(sorted(generateJobs({ count: COUNT, seed: SEED, now: NOW }), order));
  });
});

test('the seeded data has CreationTime ties, so the JobId tie-break is exercised', () => {
  const times = generateJobs({ count: COUNT, seed: SEED, now: NOW }).map((j) => j.CreationTime);
  expect(new Set(times).size).toBeLessThan(COUNT);
});

test('size defaults to 10', async () => {
  const page = await client.describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation' });
  expect(page.JobsDetail).toHaveLength(10);
});

test('size 100 returns 100; an exact multiple ends without an extra empty page', async () => {
  const ci2 = await startFakeCi({ jobs: 200, seed: 3 });
  try {
    const c = new CiMediaClient({ endpoint: ci2.url, credentials: DEMO_CREDENTIALS, validateResponses: 'strict' });
    const pages = await collectPages(c, { queueId: DEMO_QUEUE_ID, tag: 'Animation', size: 100 });
    expect(pages.map((p) => p.JobsDetail.length)).toEqual([100, 100]);
    expect(pages[1]!.NextToken).toBeUndefined();
  } finally {
    await ci2.close();
  }
});

describe('jobs added between pages', () => {
  const newJob = (n: number): MediaJob => ({
    JobId: `j${String(n).padStart(32, 'f')}`,
    Tag: 'Animation',
    State: 'Submitted',
    CreationTime: '2099-01-01T08:00:00+0800', // newer than every seeded job
    QueueId: DEMO_QUEUE_ID,
    Input: { Object: 'videos/new.mp4' },
    Operation: { TemplateId: 't1aaaa', Output: { Region: 'ap-beijing', Bucket: 'examplebucket-1250000000', Object: 'out.gif' } },
  });

  test.each([
    ['Asc', 1],
    ['Desc', 0],
  ] as const)('%s: no job repeats or is skipped; a new job appears %i time(s)', async (order, expectedNew) => {
    const svc = await startFakeCi({ jobs: 40, seed: 9 });
    try {
      const c = new CiMediaClient({ endpoint: svc.url, credentials: DEMO_CREDENTIALS, validateResponses: 'strict' });
      const before = sorted(svc.service.store.listJobs().jobs, order);
      const ids: string[] = [];
      let pageNo = 0;
      for await (const page of c.paginateMediaJobPages({ queueId: DEMO_QUEUE_ID, tag: 'Animation', size: 6, orderByTime: order })) {
        ids.push(...page.JobsDetail.map((j) => j.JobId));
        if (++pageNo === 2) svc.service.store.addJob(newJob(order === 'Asc' ? 1 : 2));
      }
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => !before.includes(id))).toHaveLength(expectedNew);
      expect(ids.filter((id) => before.includes(id))).toEqual(before);
    } finally {
      await svc.close();
    }
  });
});

describe('NextToken', () => {
  const input = { queueId: DEMO_QUEUE_ID, tag: 'Animation', size: 5 } as const;

  test('is opaque base64 the client must percent-encode; an empty token starts over', async () => {
    const first = await client.describeMediaJobs(input);
    expect(first.NextToken).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const again = await client.describeMediaJobs({ ...input, nextToken: '' });
    expect(again.JobsDetail.map((j) => j.JobId)).toEqual(first.JobsDetail.map((j) => j.JobId));
    const second = await client.describeMediaJobs({ ...input, nextToken: first.NextToken! });
    expect(second.JobsDetail[0]!.JobId).not.toBe(first.JobsDetail[0]!.JobId);
  });

  test.each([
    ['garbled', (t: string) => `${t.slice(0, 8)}x${t.slice(9)}`],
    ['truncated', (t: string) => t.slice(0, -4)],
    ['foreign', () => 'Mi0wMDAyfGphMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDI='],
  ])('a %s token is InvalidArgument', async (_label, mangle) => {
    const first = await client.describeMediaJobs(input);
    const err = await client.describeMediaJobs({ ...input, nextToken: mangle(first.NextToken!) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiServiceError);
    expect((err as CiServiceError).code).toBe('InvalidArgument');
    expect((err as CiServiceError).statusCode).toBe(400);
  });

  test('a token used with other filters or another order is InvalidArgument', async () => {
    const first = await client.describeMediaJobs(input);
    for (const other of [{ orderByTime: 'Asc' as const }, { states: ['Success' as const] }]) {
      const err = await client.describeMediaJobs({ ...input, ...other, nextToken: first.NextToken! }).catch((e: unknown) => e);
      expect((err as CiServiceError).code).toBe('InvalidArgument');
    }
    // the page size may change between pages
    const next = await client.describeMediaJobs({ ...input, size: 9, nextToken: first.NextToken! });
    expect(next.JobsDetail).toHaveLength(9);
  });
});
