/** DescribeMediaQueues and UpdateMediaQueue through the real client (strict validation), and their errors. */
import { DEMO_BUCKET, DEMO_QUEUE_ID, DEFAULT_QUEUE_NAME, generateQueues, startFakeCi, type RunningFakeCi } from '../src';
import { clientOf, errorCode, serviceErrorOf, signedFetch, xmlHeaders } from './helpers';

const NOW = Date.UTC(2024, 4, 6, 3, 12, 9);
const SEED = 11;

let ci: RunningFakeCi;
beforeAll(async () => {
  ci = await startFakeCi({ seed: SEED, queues: 24, now: () => NOW });
});
afterAll(() => ci.close());
const client = () => clientOf(ci.url, { now: () => NOW }); // the fake's clock (2024): more skew than the client corrects
const seeded = generateQueues({ count: 24, seed: SEED, now: NOW });

describe('DescribeMediaQueues', () => {
  test('the default queue first, then the seeded ones; TotalCount, PageNumber and PageSize (default 10)', async () => {
    const page = await client().describeMediaQueues();
    expect(page).toMatchObject({ TotalCount: 25, PageNumber: 1, PageSize: 10 });
    expect(page.RequestId).toBe(page.$metadata.requestId);
    expect(page.QueueList).toHaveLength(10);
    expect(page.QueueList[0]).toMatchObject({
      QueueId: DEMO_QUEUE_ID,
      Name: DEFAULT_QUEUE_NAME,
      State: 'Active',
      MaxSize: 10000,
      MaxConcurrent: 10,
      Category: 'Transcoding',
      BucketId: DEMO_BUCKET,
      NotifyConfig: { State: 'Off', Type: 'Url', Url: '' },
    });
    expect(page.QueueList.slice(1).map((q) => q.QueueId)).toEqual(seeded.slice(0, 9).map((q) => q.QueueId));
    expect(page.NonExistPIDs).toBeUndefined();
  });

  test('the wire spells the id QueueId, as the current pages do', async () => {
    const res = await signedFetch(ci.url, { path: '/queue', query: [['pageSize', '1']], keyTime: keyTime() });
    expect(res.body).toContain(`<QueueId>${DEMO_QUEUE_ID}</QueueId>`);
  });

  test('paging: every queue once through the paginator, in pages of 7; a page past the end is empty', async () => {
    const pages = [];
    for await (const page of client().paginateMediaQueuePages({ pageSize: 7 })) pages.push(page);
    expect(pages.map((p) => [p.PageNumber, p.QueueList.length])).toEqual([
      [1, 7],
      [2, 7],
      [3, 7],
      [4, 4],
    ]);
    expect(pages.flatMap((p) => p.QueueList.map((q) => q.QueueId))).toEqual([DEMO_QUEUE_ID, ...seeded.map((q) => q.QueueId)]);
    const past = await client().describeMediaQueues({ pageNumber: 9, pageSize: 7 });
    expect(past).toMatchObject({ TotalCount: 25, PageNumber: 9, QueueList: [] });
  });

  test('by ids: found ones in the order asked; unknown ones in NonExistPIDs', async () => {
    const [a, b] = [seeded[3]!.QueueId, seeded[0]!.QueueId];
    const page = await client().describeMediaQueues({ queueIds: [a, 'pnope', b, a] });
    expect(page.QueueList.map((q) => q.QueueId)).toEqual([a, b]);
    expect(page.NonExistPIDs).toEqual(['pnope']);
    expect(page.TotalCount).toBe(2);
  });

  test('state and category filter, with TotalCount of what matched', async () => {
    const paused = await client().describeMediaQueues({ state: 'Paused', pageSize: 100 });
    expect(paused.QueueList.map((q) => q.QueueId)).toEqual(seeded.filter((q) => q.State === 'Paused').map((q) => q.QueueId));
    expect(paused.TotalCount).toBe(12);
    const speed = await client().describeMediaQueues({ category: 'SpeedTranscoding', pageSize: 100 });
    expect(speed.QueueList.every((q) => q.Category === 'SpeedTranscoding')).toBe(true);
    expect(speed.TotalCount).toBe(8);
    expect((await client().describeMediaQueues({ category: 'CateAll' })).TotalCount).toBe(25);
  });

  test.each([
    ['11 ids', [['queueIds', Array.from({ length: 11 }, (_, i) => `p${i}`).join(',')]], 'queueIds'],
    ['an empty id', [['queueIds', 'a,,b']], 'queueIds'],
    ['state paused', [['state', 'paused']], 'state'],
    ['category Other', [['category', 'Other']], 'category'],
    ['pageNumber 0', [['pageNumber', '0']], 'pageNumber'],
    ['pageSize 101', [['pageSize', '101']], 'pageSize'],
    ['an unknown parameter', [['queueId', 'x']], 'queueId'],
  ])('%s is a 400 InvalidArgument', async (_label, query, name) => {
    const res = await signedFetch(ci.url, { path: '/queue', query: query as Array<[string, string]>, keyTime: keyTime() });
    expect([res.status, errorCode(res.body)]).toEqual([400, 'InvalidArgument']);
    expect(res.body).toContain(name);
  });
});

describe('UpdateMediaQueue', () => {
  test('renames, pauses and sets notifications; UpdateTime from the clock; DescribeMediaQueues shows it', async () => {
    const queueId = seeded[0]!.QueueId;
    const NotifyConfig = {
      State: 'On',
      Url: 'https://example.com/ci-callback?a=1&b=2',
      Type: 'Url',
      Event: 'TaskFinish,WorkflowFinish',
      ResultFormat: 'JSON',
    } as const;
    const out = await client().updateMediaQueue({ queueId, Name: 'gif-previews', State: 'Paused', NotifyConfig });
    expect(out.RequestId).toBe(out.$metadata.requestId);
    expect(out.Queue).toMatchObject({
      QueueId: queueId,
      Name: 'gif-previews',
      State: 'Paused',
      NotifyConfig,
      UpdateTime: '2024-05-06T11:12:09+0800',
    });
    expect(out.Queue.CreateTime).toBe(seeded[0]!.CreateTime);
    const [listed] = (await client().describeMediaQueues({ queueIds: [queueId] })).QueueList;
    expect(listed).toEqual(out.Queue);
  });

  test('without NotifyConfig the notifications are kept; a body QueueID naming the same queue is accepted', async () => {
    const queueId = seeded[1]!.QueueId;
    const out = await client().updateMediaQueue({ queueId, QueueID: queueId, Name: 'renamed', State: 'Active' });
    expect(out.Queue).toMatchObject({ Name: 'renamed', State: 'Active', NotifyConfig: seeded[1]!.NotifyConfig });
  });

  test('an unknown queue is a 400 ResourceNotFound', async () => {
    const err = await serviceErrorOf(client().updateMediaQueue({ queueId: 'pnope', Name: 'x', State: 'Active' }));
    expect([err.statusCode, err.code]).toEqual([400, 'ResourceNotFound']);
  });

  test('an empty Name is refused by the client before anything is sent (the spec says minLength 1)', async () => {
    const err = await client()
      .updateMediaQueue({ queueId: DEMO_QUEUE_ID, Name: '', State: 'Active' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toMatchObject({ name: 'CiValidationError', issues: [{ path: '/Name' }] });
  });

  test.each([
    ['a body QueueID of another queue', { Name: 'x', State: 'Active' as const, QueueID: 'pother' }, 'QueueID'],
    [
      'notifications On without a Url',
      { Name: 'x', State: 'Active' as const, NotifyConfig: { State: 'On' as const, Type: 'Url' as const } },
      'NotifyConfig.Url',
    ],
    [
      'notifications On without an Event',
      { Name: 'x', State: 'Active' as const, NotifyConfig: { State: 'On' as const, Type: 'Url' as const, Url: 'http://127.0.0.1:1/' } },
      'NotifyConfig.Event',
    ],
  ])('%s is a 400 InvalidArgument', async (_label, body, text) => {
    const err = await serviceErrorOf(client().updateMediaQueue({ queueId: DEMO_QUEUE_ID, ...body }));
    expect([err.statusCode, err.code]).toEqual([400, 'InvalidArgument']);
    expect(err.message).toContain(text);
  });

  test.each([
    ['no State', '<Request><Name>x</Name></Request>', 'InvalidArgument', '/State is required'],
    ['State Stopped', '<Request><Name>x</Name><State>Stopped</State></Request>', 'InvalidArgument', '/State'],
    ['no body', '', 'MissingContent', ''],
  ])('raw: %s is a 400 %s', async (_label, body, code, text) => {
    const res = await signedFetch(ci.url, {
      method: 'PUT',
      path: `/queue/${DEMO_QUEUE_ID}`,
      body,
      headers: body ? xmlHeaders(body) : {},
      keyTime: keyTime(),
    });
    expect([res.status, errorCode(res.body)]).toEqual([400, code]);
    expect(res.body).toContain(text);
  });
});

function keyTime(): string {
  const t = Math.floor(NOW / 1000);
  return `${t - 1};${t + 899}`;
}
