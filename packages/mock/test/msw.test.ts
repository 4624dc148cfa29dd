/**
 * createCiHandlers and handlersFromRecordings with `setupServer` from msw/node and the real client (global
 * fetch intercepted, no socket).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setupServer } from 'msw/node';
import {
  CiJobFailedError,
  CiMediaClient,
  CiNetworkError,
  CiTimeoutError,
  type CiMediaClientConfig,
  type CreateMediaJobsInput,
} from '@cloud-infinite/client';
import { DEMO_BUCKET, DEMO_CREDENTIALS, DEMO_QUEUE_ID, DEMO_REGION, FakeCiService, loadRecordings } from '../src';
import { createCiHandlers, handlersFromRecordings } from '../src/msw';
import { FAST_POLL, errorCode, rejectionOf, serviceErrorOf, signedHeaders } from './helpers';

const RECORDINGS = resolve(__dirname, '../../../specs/recordings');
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const NOW = Date.UTC(2024, 4, 6, 3, 12, 9);

/** Expects msw to refuse the call as unhandled (onUnhandledRequest: 'error'); returns what msw printed. */
async function unhandled(call: Promise<unknown>): Promise<string> {
  const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    expect(await rejectionOf(call)).toBeInstanceOf(CiNetworkError);
    expect(printed).toHaveBeenCalledWith(expect.stringContaining('without a matching request handler'));
    return printed.mock.calls.map((c) => String(c[0])).join('\n');
  } finally {
    printed.mockRestore();
  }
}
const RECORDED_QUEUE = 'p893bcda225bf4945a378da6662e81a89';
const CREATE: CreateMediaJobsInput = {
  Tag: 'Animation',
  Input: { Object: 'videos/cat.mp4' },
  Operation: { Animation: { Container: { Format: 'gif' } }, Output: { Region: DEMO_REGION, Bucket: DEMO_BUCKET, Object: 'cat.gif' } },
};
const bucketClient = (config: Partial<CiMediaClientConfig> = {}) =>
  new CiMediaClient({ bucket: DEMO_BUCKET, region: DEMO_REGION, credentials: DEMO_CREDENTIALS, validateResponses: 'strict', ...config });
const endpointClient = (endpoint: string, config: Partial<CiMediaClientConfig> = {}) =>
  new CiMediaClient({ endpoint, credentials: DEMO_CREDENTIALS, validateResponses: 'strict', retryBaseDelayMs: 1, ...config });

describe('createCiHandlers', () => {
  test('for a bucket and region: every operation through the real client, at the default endpoint', async () => {
    const handlers = createCiHandlers({
      bucket: DEMO_BUCKET,
      region: DEMO_REGION,
      jobs: 12,
      seed: 4,
      now: () => NOW,
      jobProgression: { afterPolls: 1 },
    });
    server.use(...handlers);
    const ci = bucketClient({ now: () => NOW }); // the handlers' clock (2024): more skew than the client corrects
    expect(ci.endpoint).toBe(`https://${DEMO_BUCKET}.ci.${DEMO_REGION}.myqcloud.com`);

    const listed = [];
    for await (const job of ci.paginateMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation', size: 5 })) listed.push(job.JobId);
    expect(listed).toHaveLength(12);

    const { JobId } = (await ci.createMediaJobs(CREATE)).JobsDetail[0]!;
    expect((await ci.waitForMediaJob(JobId, FAST_POLL)).State).toBe('Success');
    const failing = (await ci.createMediaJobs({ ...CREATE, Input: { Object: 'fail.mp4' } })).JobsDetail[0]!.JobId;
    expect(await rejectionOf(ci.waitForMediaJob(failing, FAST_POLL))).toBeInstanceOf(CiJobFailedError);
    const toCancel = (await ci.createMediaJobs(CREATE)).JobsDetail[0]!.JobId;
    await ci.cancelMediaJob({ jobId: toCancel });
    expect(handlers.service.store.getJob(toCancel)!.State).toBe('Cancel');

    const queues = await ci.describeMediaQueues();
    expect(queues.QueueList.map((q) => q.QueueId)).toContain(DEMO_QUEUE_ID);
    expect((await ci.updateMediaQueue({ queueId: DEMO_QUEUE_ID, Name: 'main', State: 'Active' })).Queue.Name).toBe('main');

    const { Template } = await ci.createMediaTemplate({ Tag: 'Animation', Name: 'gif', Container: { Format: 'gif' } });
    expect(Template.CreateTime).toBe('2024-05-06T11:12:09+0800');
    expect((await ci.describeMediaTemplates({ ids: [Template.TemplateId!] })).TemplateList).toHaveLength(1);
    await ci.updateMediaTemplate({ templateId: Template.TemplateId!, Tag: 'Animation', Name: 'gif2', Container: { Format: 'hgif' } });
    expect((await ci.deleteMediaTemplate({ templateId: Template.TemplateId! })).TemplateId).toBe(Template.TemplateId);
  });

  test('signatures are checked (Host from the URL); other paths of the origin are answered 404; other hosts are not handled', async () => {
    server.use(...createCiHandlers({ bucket: DEMO_BUCKET, region: DEMO_REGION }));
    const wrong = bucketClient({ credentials: { ...DEMO_CREDENTIALS, secretKey: 'wrong' } });
    expect((await serviceErrorOf(wrong.describeMediaQueues())).code).toBe('SignatureDoesNotMatch');
    const host = `${DEMO_BUCKET}.ci.${DEMO_REGION}.myqcloud.com`;
    expect((await fetch(`https://${host}/nowhere`)).status).toBe(401); // the signature is checked before routing
    const signed = signedHeaders({ path: '/nowhere' }, host);
    delete signed.host;
    const res = await fetch(`https://${host}/nowhere`, { headers: signed });
    expect([res.status, errorCode(await res.text())]).toEqual([404, 'ResourceNotFound']);
    const other = new CiMediaClient({
      bucket: 'otherbucket-1250000000',
      region: DEMO_REGION,
      credentials: DEMO_CREDENTIALS,
      maxAttempts: 1,
    });
    expect(await unhandled(other.describeMediaQueues())).toContain('otherbucket-1250000000');
  });

  test('any host by default; verifySignature: false accepts any key; handlers.service is the service behind them', async () => {
    const handlers = createCiHandlers({ verifySignature: false });
    server.use(...handlers);
    const ci = endpointClient('http://ci.test:8080', { credentials: { secretId: 'AKIDwhoever', secretKey: 'whatever' } });
    await ci.createMediaJobs(CREATE);
    expect(handlers.service.store.jobCount).toBe(1);
    const elsewhere = endpointClient('https://ci.internal.example', { credentials: { secretId: 'AKIDx', secretKey: 'y' } });
    expect((await elsewhere.describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation' })).JobsDetail).toHaveLength(1);
  });

  test('an explicit baseUrl and an existing service', async () => {
    const service = new FakeCiService({ jobs: 3 });
    const handlers = createCiHandlers({ baseUrl: 'http://127.0.0.1:9999', service });
    expect(handlers.service).toBe(service);
    server.use(...handlers);
    expect(
      (await endpointClient('http://127.0.0.1:9999').describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation' })).JobsDetail,
    ).toHaveLength(3);
  });

  test('faults under msw: reset is a network error (retried for a GET), truncated a failing body, slow a time-out', async () => {
    const handlers = createCiHandlers({
      faults: [
        { operation: 'DescribeMediaQueues', fault: 'reset', times: 1 },
        { operation: 'DescribeMediaTemplates', fault: 'truncated' },
        { operation: 'DescribeMediaJobs', fault: 'slow=2000' },
        { operation: 'CreateMediaJobs', fault: 'reset' },
      ],
    });
    server.use(...handlers);
    const ci = endpointClient('http://ci.test', { maxAttempts: 2, timeoutMs: 150 });
    expect((await ci.describeMediaQueues()).$metadata.attempts).toBe(2);
    expect(await rejectionOf(ci.describeMediaTemplates())).toBeInstanceOf(CiNetworkError);
    expect(await rejectionOf(ci.describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation' }))).toBeInstanceOf(CiTimeoutError);
    expect(await rejectionOf(ci.createMediaJobs(CREATE))).toBeInstanceOf(CiNetworkError);
    expect(handlers.service.faultCounts).toEqual([1, 2, 1, 1]); // the create was not retried
  });
});

describe('handlersFromRecordings', () => {
  const client = () => endpointClient('https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com', { maxAttempts: 1 });
  beforeEach(() => server.use(...handlersFromRecordings(RECORDINGS)));

  test('NextToken paging over the recorded pages (query order differs from the recording)', async () => {
    const ids = [];
    for await (const job of client().paginateMediaJobs({ queueId: RECORDED_QUEUE, tag: 'Animation', orderByTime: 'Asc', size: 2 }))
      ids.push(job.JobId);
    expect(ids).toEqual(['ja0000000000000000000000000000001', 'ja0000000000000000000000000000002', 'ja0000000000000000000000000000003']);
  });

  test('csv path and query values match however they are encoded; a recorded error is a CiServiceError', async () => {
    const jobs = await client().describeMediaJob({
      jobIds: ['j0000000000000000000000000000000a', 'j0000000000000000000000000000000b', 'j0000000000000000000000000000000c'],
    });
    expect(jobs.NonExistJobIds).toEqual(['j0000000000000000000000000000000b', 'j0000000000000000000000000000000c']);
    expect((await client().describeMediaQueues({ queueIds: ['A', 'B', 'C'] })).NonExistPIDs).toEqual(['B', 'C']);
    const zero = await client().describeMediaJobs({
      queueId: RECORDED_QUEUE,
      tag: 'Animation',
      states: ['Failed', 'Cancel'],
      startCreationTime: '2024-05-01T00:00:00+0800',
      endCreationTime: '2024-05-02T00:00:00+0800',
    });
    expect(zero.JobsDetail).toEqual([]);
    const err = await serviceErrorOf(client().describeMediaJobs({ queueId: RECORDED_QUEUE, tag: 'Animation' }));
    expect([err.statusCode, err.code]).toEqual([403, 'AccessDenied']);
    await expect(client().cancelMediaJob({ jobId: 'j-xxx-xxx-xxx-xxxx' })).resolves.toEqual({});
  });

  test('several recordings of POST /jobs: the one whose body matches answers', async () => {
    const byTemplate = await client().createMediaJobs({
      Tag: 'Animation',
      Input: { Object: 'test.mp4' },
      Operation: {
        TemplateId: 't1460606b9752148c4ab182f55163ba7cd',
        Output: { Region: 'ap-beijing', Bucket: 'abc-1250000000', Object: 'test-trans.gif' },
      },
      QueueId: RECORDED_QUEUE,
      CallBack: 'https://www.callback.com',
    });
    expect(byTemplate.JobsDetail[0]!.JobId).toBe('je8f65004eb8511eaaed4f377124a303c');
    const other = await client().createMediaJobs(CREATE);
    expect(other.JobsDetail[0]!.JobId).toBe('jabcxxxxfeipplsdfwe'); // no body matches: the first recording
  });

  test('a recorded path with a query no recording has: 404 NoMatchingRecording naming the recordings', async () => {
    const err = await serviceErrorOf(client().describeMediaQueues({ pageSize: 20 }));
    expect([err.statusCode, err.code]).toEqual([404, 'NoMatchingRecording']);
    expect(err.message).toContain('DescribeMediaQueues/paged');
  });

  test('an unrecorded path is not handled (onUnhandledRequest)', async () => {
    expect(await unhandled(client().updateMediaQueue({ queueId: 'pnot-recorded', Name: 'x', State: 'Active' }))).toContain(
      '/queue/pnot-recorded',
    );
  });
});

test("onMismatch 'next' falls through to createCiHandlers; filter and baseUrl select recordings", async () => {
  const handlers = createCiHandlers({ baseUrl: 'http://ci.test' });
  server.use(
    ...handlersFromRecordings(RECORDINGS, {
      onMismatch: 'next',
      baseUrl: 'http://ci.test',
      filter: (r) => r.operationId === 'DescribeMediaQueues',
    }),
    ...handlers,
  );
  const ci = endpointClient('http://ci.test');
  expect((await ci.describeMediaQueues({ pageSize: 10, pageNumber: 1 })).QueueList.map((q) => q.QueueId)).toEqual(['B']); // recorded
  expect((await ci.describeMediaQueues({ pageSize: 20 })).QueueList[0]!.QueueId).toBe(DEMO_QUEUE_ID); // the fake
  expect((await ci.describeMediaTemplates({ tag: 'Animation', pageNumber: 1, pageSize: 10 })).TotalCount).toBe(0); // filtered out: the fake
});

test('loadRecordings reads the flat layout of the doc samples too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'recordings-'));
  writeFileSync(
    join(dir, 'DeleteMediaTemplate.doc-sample.http'),
    'DELETE /template/A HTTP/1.1\r\nHost: h\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n\r\n<Response><TemplateId>A</TemplateId></Response>\r\n',
  );
  writeFileSync(join(dir, 'README.md'), '# not a recording');
  const [rec, ...rest] = loadRecordings(dir);
  expect(rest).toEqual([]);
  expect(rec).toMatchObject({
    operationId: 'DeleteMediaTemplate',
    name: 'doc-sample',
    request: { method: 'DELETE', target: '/template/A', headers: { host: 'h' } },
    response: { status: 200, body: '<Response><TemplateId>A</TemplateId></Response>' },
  });
  expect(loadRecordings(RECORDINGS).length).toBeGreaterThanOrEqual(20);
});
