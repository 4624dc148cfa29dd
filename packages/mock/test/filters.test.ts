/** DescribeMediaJobs filters through the real client: states, creation-time range, inputObject, workflowId. */
import { CiMediaClient, type DescribeMediaJobsInput, type MediaJob } from '@cloud-infinite/client';
import { DEMO_CREDENTIALS, DEMO_QUEUE_ID, generateJobs, startFakeCi, type FakeExchange, type RunningFakeCi } from '../src';
import { collectPages } from './helpers';

const SEED = 7;
const COUNT = 250;
const NOW = Date.UTC(2024, 4, 6, 3, 12, 9);
const JOBS = generateJobs({ count: COUNT, seed: SEED, now: NOW });

let ci: RunningFakeCi;
let client: CiMediaClient;
const exchanges: FakeExchange[] = [];

beforeAll(async () => {
  ci = await startFakeCi({ jobs: COUNT, seed: SEED, now: () => NOW, onExchange: (e) => exchanges.push(e) });
  // signed by the fake's clock (2024): more skew than the client corrects on its own
  client = new CiMediaClient({
    endpoint: ci.url,
    credentials: DEMO_CREDENTIALS,
    validateResponses: 'strict',
    maxAttempts: 1,
    now: () => NOW,
  });
});
afterAll(() => ci.close());
beforeEach(() => {
  exchanges.length = 0;
});

const ms = (t: string) => Date.parse(t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));

/** Every job of a filtered listing, Asc, as JobIds; and the same computed in the test from the seeded jobs. */
async function check(input: Omit<DescribeMediaJobsInput, 'queueId' | 'tag'>, predicate: (job: MediaJob) => boolean): Promise<string[]> {
  const pages = await collectPages(client, { queueId: DEMO_QUEUE_ID, tag: 'Animation', size: 13, orderByTime: 'Asc', ...input });
  const got = pages.flatMap((p) => p.JobsDetail.map((j) => j.JobId));
  const expected = JOBS.filter(predicate)
    .sort((a, b) => ms(a.CreationTime!) - ms(b.CreationTime!) || (a.JobId < b.JobId ? -1 : 1))
    .map((j) => j.JobId);
  expect(got).toEqual(expected);
  return got;
}

test('states: a comma list of states', async () => {
  const got = await check({ states: ['Failed', 'Cancel'] }, (j) => j.State === 'Failed' || j.State === 'Cancel');
  expect(got.length).toBeGreaterThan(10);
  expect(exchanges[0]!.request.url).toContain('states=Failed%2CCancel');
});

test('states: All (alone or with others) means every state', async () => {
  await check({ states: ['All'] }, () => true);
  await check({ states: ['Success', 'All'] }, () => true);
});

test('states: Pause matches nothing seeded', async () => {
  await check({ states: ['Pause'] }, () => false);
});

test('creation-time range with a + offset, inclusive at both ends; the + travels as %2B', async () => {
  const times = [...new Set(JOBS.map((j) => j.CreationTime!))].sort((a, b) => ms(a) - ms(b));
  const start = times[40]!;
  const end = times[120]!;
  expect(start).toMatch(/\+0800$/);
  const got = await check(
    { startCreationTime: start, endCreationTime: end },
    (j) => ms(j.CreationTime!) >= ms(start) && ms(j.CreationTime!) <= ms(end),
  );
  expect(got.length).toBeGreaterThanOrEqual(81);
  for (const e of exchanges) {
    expect(e.request.url).toContain(`startCreationTime=${start.slice(0, 19).replace(/:/g, '%3A')}%2B0800`);
    expect(e.request.url).not.toMatch(/CreationTime=[^&]*\+/);
  }
});

test('creation-time range in another offset and from Dates selects the same instants', async () => {
  const from = new Date(NOW - 3 * 86_400_000);
  const to = new Date(NOW - 86_400_000);
  const inRange = (j: MediaJob) =>
    ms(j.CreationTime!) >= Math.floor(from.getTime() / 1000) * 1000 && ms(j.CreationTime!) <= Math.floor(to.getTime() / 1000) * 1000;
  const viaDates = await check({ startCreationTime: from, endCreationTime: to }, inRange);
  const utc = (d: Date) => `${d.toISOString().slice(0, 19)}-0000`;
  const viaUtc = await check({ startCreationTime: utc(from), endCreationTime: utc(to) }, inRange);
  expect(viaUtc).toEqual(viaDates);
});

test('a range that ends before it starts is empty', async () => {
  await check({ startCreationTime: '2024-05-02T00:00:00+0800', endCreationTime: '2024-05-01T00:00:00+0800' }, () => false);
});

test('inputObject is an exact match, also for a key with a space and CJK characters', async () => {
  const plain = JOBS.find((j) => j.Input!.Object!.startsWith('videos/'))!.Input!.Object!;
  const got = await check({ inputObject: plain }, (j) => j.Input!.Object === plain);
  expect(got.length).toBeGreaterThanOrEqual(1);
  const cjk = JOBS.find((j) => /夏天/.test(j.Input!.Object!))!.Input!.Object!;
  expect(cjk).toContain(' ');
  await check({ inputObject: cjk }, (j) => j.Input!.Object === cjk);
  expect(exchanges[exchanges.length - 1]!.request.url).toContain('2024%20%E5%A4%8F%E5%A4%A9');
  await check({ inputObject: 'videos/clip' }, () => false); // not a prefix match
});

test('workflowId', async () => {
  const id = JOBS.find((j) => j.Workflow?.length)!.Workflow![0]!.WorkflowId!;
  const got = await check({ workflowId: id }, (j) => (j.Workflow ?? []).some((w) => w.WorkflowId === id));
  expect(got.length).toBeGreaterThan(1);
});

test('filters combine', async () => {
  const start = '2024-05-03T00:00:00+0800';
  await check({ states: ['Success'], startCreationTime: start }, (j) => j.State === 'Success' && ms(j.CreationTime!) >= ms(start));
});

test('another queue has no jobs; inventoryTriggerJobId matches nothing in the fake', async () => {
  const page = await client.describeMediaJobs({ queueId: 'p00000000000000000000000000000000', tag: 'Animation' });
  expect(page.JobsDetail).toEqual([]);
  expect(page.NextToken).toBeUndefined();
  expect(exchanges[0]!.response.body).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<Response></Response>');
  const none = await client.describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation', inventoryTriggerJobId: 'b123' });
  expect(none.JobsDetail).toEqual([]);
});
