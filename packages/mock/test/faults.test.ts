/**
 * Fault injection against the real client: each fault's typed error, and the client's retry behaviour (GETs
 * retried on 503/throttle/reset/5xx/a cut body, a create never retried), over HTTP and in-process.
 */
import {
  CiDecodeError,
  CiMediaClient,
  CiNetworkError,
  CiServiceError,
  CiTimeoutError,
  type CiMediaClientConfig,
  type CreateMediaJobsInput,
} from '@cloud-infinite/client';
import {
  DEMO_BUCKET,
  DEMO_CREDENTIALS,
  DEMO_QUEUE_ID,
  DEMO_REGION,
  FAULT_HEADER,
  FakeCiService,
  FakeConnectionError,
  parseFault,
  startFakeCi,
  type FakeCiOptions,
  type FakeExchange,
  type RunningFakeCi,
} from '../src';
import { FAST_POLL, clientOf, rejectionOf, serviceErrorOf, signedRequest } from './helpers';

const LIST = { queueId: DEMO_QUEUE_ID, tag: 'Animation' } as const;
const CREATE: CreateMediaJobsInput = {
  Tag: 'Animation',
  Input: { Object: 'a.mp4' },
  Operation: { Animation: { Container: { Format: 'gif' } }, Output: { Region: DEMO_REGION, Bucket: DEMO_BUCKET, Object: 'a.gif' } },
};
/** Retries with tiny delays. */
const RETRY: Partial<CiMediaClientConfig> = { maxAttempts: 3, retryBaseDelayMs: 1, retryMaxDelayMs: 5 };

const running: RunningFakeCi[] = [];
afterAll(() => Promise.all(running.map((c) => c.close())));

async function fake(options: FakeCiOptions = {}, client: Partial<CiMediaClientConfig> = {}) {
  const exchanges: FakeExchange[] = [];
  const ci = await startFakeCi({ jobs: 5, ...options, onExchange: (e) => exchanges.push(e) });
  running.push(ci);
  return { ci, exchanges, client: clientOf(ci.url, { ...RETRY, ...client }), faults: () => exchanges.map((e) => e.fault ?? '-') };
}

describe('status faults', () => {
  test.each([
    ['503', 503, 'ServiceUnavailable'],
    ['throttle', 429, 'RequestLimitExceeded'],
    ['500', 500, 'InternalError'],
  ] as const)('%s twice on DescribeMediaJobs: the GET is retried and succeeds on the third attempt', async (fault, status, code) => {
    const { client, exchanges, ci } = await fake({ faults: [{ operation: 'DescribeMediaJobs', fault, times: 2 }] });
    const page = await client.describeMediaJobs(LIST);
    expect(page.JobsDetail).toHaveLength(5);
    expect(page.$metadata.attempts).toBe(3);
    expect(exchanges.map((e) => e.response.status)).toEqual([status, status, 200]);
    expect(exchanges[0]!.response.body).toContain(`<Code>${code}</Code>`);
    expect(ci.service.faultCounts).toEqual([2]);
  });

  test('a fault on every attempt: the typed error after maxAttempts', async () => {
    const { client, exchanges } = await fake({ faults: [{ fault: '503' }] });
    const err = await serviceErrorOf(client.describeMediaJobs(LIST));
    expect([err.statusCode, err.code, err.message]).toEqual([
      503,
      'ServiceUnavailable',
      'Service is temporarily unavailable, please retry.',
    ]);
    expect(err.requestId).toBe(exchanges[2]!.response.headers['x-ci-request-id']);
    expect(exchanges).toHaveLength(3);
  });

  test('html502: a CiServiceError from a proxy page (code Http502, no CI request id), retried for a GET', async () => {
    const { client, exchanges } = await fake({ faults: [{ fault: 'html502' }] });
    const err = await serviceErrorOf(client.describeMediaJobs(LIST));
    expect([err.statusCode, err.code, err.requestId]).toEqual([502, 'Http502', undefined]);
    expect(err.$response.headers['content-type']).toBe('text/html');
    expect(err.$response.bodyExcerpt).toContain('502 Bad Gateway');
    expect(exchanges).toHaveLength(3);
  });

  test.each(['503', 'throttle', 'html502', '500'] as const)(
    '%s on CreateMediaJobs: not retried, and (before) nothing is created',
    async (fault) => {
      const { client, exchanges, ci } = await fake({ faults: [{ operation: 'CreateMediaJobs', fault, times: 1 }] });
      const err = await serviceErrorOf(client.createMediaJobs(CREATE));
      expect(err.statusCode).toBeGreaterThanOrEqual(429);
      expect(exchanges).toHaveLength(1);
      expect(ci.service.store.jobCount).toBe(5);
    },
  );

  test('503;after on CreateMediaJobs: the job IS created, the client sees a 503 and does not retry (no duplicate)', async () => {
    const { client, exchanges, ci } = await fake({ faults: [{ operation: 'CreateMediaJobs', fault: '503', when: 'after', times: 1 }] });
    await serviceErrorOf(client.createMediaJobs(CREATE));
    expect(exchanges).toHaveLength(1);
    expect(ci.service.store.jobCount).toBe(6);
  });
});

describe('reset', () => {
  test('a dropped connection on a GET: CiNetworkError, retried, then success', async () => {
    const { client, exchanges } = await fake({ faults: [{ operation: 'DescribeMediaJob', fault: 'reset', times: 2 }] });
    const [job] = (await client.describeMediaJobs(LIST)).JobsDetail;
    const out = await client.describeMediaJob({ jobIds: [job!.JobId] });
    expect(out.$metadata.attempts).toBe(3);
    expect(exchanges.slice(1).map((e) => [e.response.status, e.fault])).toEqual([
      [0, 'reset'],
      [0, 'reset'],
      [200, undefined],
    ]);
  });

  test('always reset: CiNetworkError after maxAttempts', async () => {
    const { client, exchanges } = await fake({ faults: [{ fault: 'reset' }] });
    expect(await rejectionOf(client.describeMediaQueues())).toBeInstanceOf(CiNetworkError);
    expect(exchanges).toHaveLength(3);
  });

  test('reset;after on CreateMediaJobs: the job was created, the client gets CiNetworkError and does not retry', async () => {
    const { client, exchanges, ci } = await fake({ faults: [{ operation: 'CreateMediaJobs', fault: 'reset', when: 'after' }] });
    expect(await rejectionOf(client.createMediaJobs(CREATE))).toBeInstanceOf(CiNetworkError);
    expect(exchanges).toHaveLength(1);
    expect(ci.service.store.jobCount).toBe(6);
  });

  test('reset;after on CancelMediaJob: the retry finds the job canceled and succeeds (cancel is idempotent)', async () => {
    const { client, exchanges, ci } = await fake({
      jobProgression: 'manual',
      faults: [{ operation: 'CancelMediaJob', fault: 'reset', when: 'after', times: 1 }],
    });
    const { JobId } = (await client.createMediaJobs(CREATE)).JobsDetail[0]!;
    const res = await client.cancelMediaJob({ jobId: JobId });
    expect(res.$metadata.attempts).toBe(2);
    expect(exchanges.map((e) => e.response.status)).toEqual([200, 0, 200]);
    expect(ci.service.store.getJob(JobId)!.State).toBe('Cancel');
  });
});

describe('slow', () => {
  test('slow=<ms> delays the answer', async () => {
    const { client } = await fake({ faults: [{ fault: 'slow=120', times: 1 }] });
    const started = Date.now();
    await client.describeMediaJobs(LIST);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  test('slower than timeoutMs: CiTimeoutError; the service stops waiting when the caller goes away', async () => {
    const { client, exchanges } = await fake({ faults: [{ fault: 'slow=5000' }] }, { timeoutMs: 100 });
    const started = Date.now();
    const err = await rejectionOf(client.describeMediaJobs(LIST));
    expect(err).toBeInstanceOf(CiTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
    await new Promise((r) => setTimeout(r, 50));
    expect(exchanges.map((e) => e.response.status)).toEqual([0]); // no answer written
  });

  test('slow;after on a create: the job exists although the caller timed out', async () => {
    const { client, ci } = await fake(
      { faults: [{ operation: 'CreateMediaJobs', fault: 'slow=3000', when: 'after' }] },
      { timeoutMs: 100 },
    );
    expect(await rejectionOf(client.createMediaJobs(CREATE))).toBeInstanceOf(CiTimeoutError);
    expect(ci.service.store.jobCount).toBe(6);
  });
});

describe('broken bodies', () => {
  test('malformed: a 200 whose XML is broken is a CiDecodeError, not retried', async () => {
    const { client, exchanges } = await fake({ faults: [{ operation: 'DescribeMediaJobs', fault: 'malformed' }] });
    const err = await rejectionOf(client.describeMediaJobs(LIST));
    expect(err).toBeInstanceOf(CiDecodeError);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.response.status).toBe(200);
  });

  test('truncated over HTTP: half the promised body then a dropped connection is a CiNetworkError; a GET is retried', async () => {
    const { client, exchanges } = await fake({ faults: [{ operation: 'DescribeMediaQueues', fault: 'truncated', times: 1 }] });
    const page = await client.describeMediaQueues();
    expect(page.$metadata.attempts).toBe(2);
    expect(exchanges[0]!.response.truncatedFrom).toBeGreaterThan(Buffer.byteLength(exchanges[0]!.response.body));
    const always = await fake({ faults: [{ operation: 'DescribeMediaQueues', fault: 'truncated' }] });
    expect(await rejectionOf(always.client.describeMediaQueues())).toBeInstanceOf(CiNetworkError);
  });

  test('truncated on a create: the job exists, the client does not retry', async () => {
    const { client, exchanges, ci } = await fake({ faults: [{ operation: 'CreateMediaJobs', fault: 'truncated' }] });
    expect(await rejectionOf(client.createMediaJobs(CREATE))).toBeInstanceOf(CiNetworkError);
    expect(exchanges).toHaveLength(1);
    expect(ci.service.store.jobCount).toBe(6);
  });
});

describe('the x-fake-ci-fault header', () => {
  test('a client sending the header gets the fault on every attempt', async () => {
    const { client, faults } = await fake({}, { headers: { [FAULT_HEADER]: '503' } });
    expect((await serviceErrorOf(client.describeMediaJobs(LIST))).statusCode).toBe(503);
    expect(faults()).toEqual(['503', '503', '503']);
  });

  test('the header wins over the rules; an unknown value is a 400 InvalidArgument', async () => {
    const { client, faults } = await fake({ faults: [{ fault: '500' }] }, { headers: { [FAULT_HEADER]: 'throttle' } });
    expect((await serviceErrorOf(client.describeMediaJobs(LIST))).code).toBe('RequestLimitExceeded');
    expect(faults()).toEqual(['throttle', 'throttle', 'throttle']);
    const bad = await fake({}, { headers: { [FAULT_HEADER]: 'explode' } });
    const err = await serviceErrorOf(bad.client.describeMediaJobs(LIST));
    expect([err.statusCode, err.code]).toEqual([400, 'InvalidArgument']);
    expect(err.message).toContain('x-fake-ci-fault');
  });

  test('parseFault reads the header syntax', () => {
    expect(parseFault('slow=250')).toEqual({ kind: 'slow', delayMs: 250, when: 'before', text: 'slow=250' });
    expect(parseFault('reset;after')).toMatchObject({ kind: 'reset', when: 'after' });
    expect(parseFault('malformed')).toMatchObject({ kind: 'malformed', when: 'after' });
    expect(parseFault('slow=x')).toEqual(expect.any(String));
    expect(parseFault('503;later')).toEqual(expect.any(String));
  });
});

describe('rules', () => {
  test('skip and times: the third matching request faults, once', async () => {
    const { client, faults } = await fake(
      { faults: [{ operation: 'DescribeMediaJobs', fault: '503', skip: 2, times: 1 }] },
      { maxAttempts: 1 },
    );
    const outcomes: Array<number | string> = [];
    for (let i = 0; i < 5; i++)
      outcomes.push(
        await client.describeMediaJobs(LIST).then(
          () => 200,
          (e: CiServiceError) => e.statusCode,
        ),
      );
    expect(outcomes).toEqual([200, 200, 503, 200, 200]);
    expect(faults()).toEqual(['-', '-', '503', '-', '-']);
  });

  test('operation lists; other operations pass; rules can be added and cleared at run time', async () => {
    const { client, ci, faults } = await fake(
      { faults: [{ operation: ['DescribeMediaQueues', 'DescribeMediaTemplates'], fault: '500' }] },
      { maxAttempts: 1 },
    );
    await client.describeMediaJobs(LIST);
    await rejectionOf(client.describeMediaQueues());
    await rejectionOf(client.describeMediaTemplates());
    ci.service.clearFaults();
    await client.describeMediaQueues();
    ci.service.injectFault({ fault: 'throttle', times: 1 });
    await rejectionOf(client.describeMediaJobs(LIST));
    expect(faults()).toEqual(['-', '500', '500', '-', 'throttle']);
    expect(() => ci.service.injectFault({ fault: '503', probability: 2 })).toThrow(RangeError);
  });

  test('probability: about that share of requests fault, the same ones for the same seed', async () => {
    const pattern = async (seed: number) => {
      const service = new FakeCiService({ credentials: false, seed, faults: [{ fault: '503', probability: 0.1 }] });
      const statuses: number[] = [];
      for (let i = 0; i < 400; i++) statuses.push((await service.handle({ method: 'GET', url: '/queue', headers: {} })).status);
      return statuses.map((s) => (s === 503 ? 'x' : '.')).join('');
    };
    const a = await pattern(7);
    expect(a).toBe(await pattern(7));
    expect(a).not.toBe(await pattern(8));
    const share = a.split('').filter((c) => c === 'x').length / a.length;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.16);
  });

  test('a bad rule is refused at construction', () => {
    expect(() => new FakeCiService({ faults: [{ fault: 'boom' as '503' }] })).toThrow(RangeError);
    expect(() => new FakeCiService({ faults: [{ fault: '503', times: -1 }] })).toThrow(RangeError);
    expect(() => new FakeCiService({ faults: [{ fault: 'slow=9999999' }] })).toThrow(RangeError);
  });

  test('waitForMediaJob rides out 503s while polling', async () => {
    const { client, faults } = await fake({
      jobProgression: { afterPolls: 1 },
      faults: [{ operation: 'DescribeMediaJob', fault: '503', skip: 1, times: 2 }],
    });
    const { JobId } = (await client.createMediaJobs(CREATE)).JobsDetail[0]!;
    expect((await client.waitForMediaJob(JobId, FAST_POLL)).State).toBe('Success');
    expect(faults().filter((f) => f === '503')).toHaveLength(2);
  });
});

describe('in-process (service.handle)', () => {
  /** A fetch that calls the service directly, as a user's adapter would. */
  const adapter = (service: FakeCiService) =>
    (async (url: string, init: RequestInit) => {
      const headers: Record<string, string> = { host: new URL(url).host };
      for (const [k, v] of Object.entries((init.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = v;
      const res = await service.handle(
        { method: String(init.method), url, headers, ...(typeof init.body === 'string' ? { body: init.body } : {}) },
        { signal: init.signal ?? undefined },
      );
      return new Response(res.body === '' ? null : res.body, { status: res.status, headers: res.headers });
    }) as unknown as typeof fetch;

  test('reset rejects handle() with FakeConnectionError ECONNRESET; through a fetch adapter the client sees CiNetworkError', async () => {
    const service = new FakeCiService({ faults: [{ fault: 'reset' }] });
    const err = await rejectionOf(service.handle(signedRequest({ path: '/queue' })));
    expect(err).toBeInstanceOf(FakeConnectionError);
    expect(err).toMatchObject({ code: 'ECONNRESET' });
    const client = new CiMediaClient({
      endpoint: 'http://127.0.0.1:9000',
      credentials: DEMO_CREDENTIALS,
      fetch: adapter(service),
      ...RETRY,
    });
    expect(await rejectionOf(client.describeMediaQueues())).toBeInstanceOf(CiNetworkError);
  });

  test('truncated in-process: the body is cut in half (truncatedFrom holds the whole length): CiDecodeError', async () => {
    const service = new FakeCiService({ faults: [{ fault: 'truncated' }] });
    const res = await service.handle(signedRequest({ path: '/queue' }));
    expect(res.truncatedFrom).toBeGreaterThan(Buffer.byteLength(res.body));
    expect(res.body.length).toBeGreaterThan(0);
    const client = new CiMediaClient({
      endpoint: 'http://127.0.0.1:9000',
      credentials: DEMO_CREDENTIALS,
      fetch: adapter(service),
      maxAttempts: 1,
    });
    expect(await rejectionOf(client.describeMediaQueues())).toBeInstanceOf(CiDecodeError);
  });

  test('slow with an aborted signal: handle() rejects with ABORT_ERR and the operation does not run', async () => {
    const service = new FakeCiService({ faults: [{ operation: 'CreateMediaJobs', fault: 'slow=5000' }] });
    const client = new CiMediaClient({
      endpoint: 'http://127.0.0.1:9000',
      credentials: DEMO_CREDENTIALS,
      fetch: adapter(service),
      timeoutMs: 50,
    });
    expect(await rejectionOf(client.createMediaJobs(CREATE))).toBeInstanceOf(CiTimeoutError);
    expect(service.store.jobCount).toBe(0);
  });
});

test('close() does not wait for a pending slow answer', async () => {
  const ci = await startFakeCi({ faults: [{ fault: 'slow=10000' }] });
  const pending = clientOf(ci.url, { maxAttempts: 1 })
    .describeMediaQueues()
    .catch((e: unknown) => e);
  await new Promise((r) => setTimeout(r, 50));
  const started = Date.now();
  await ci.close();
  expect(Date.now() - started).toBeLessThan(1000);
  expect(await pending).toBeInstanceOf(CiNetworkError);
});
