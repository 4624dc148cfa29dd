/** The signature check: bad signatures, unknown keys, missing headers, KeyTime windows and clock skew. */
import { CiMediaClient, CiServiceError } from '@cloud-infinite/client';
import { createAuthorization } from '@cloud-infinite/runtime';
import { DEMO_CREDENTIALS, DEMO_QUEUE_ID, FakeCiService, startFakeCi, type RunningFakeCi } from '../src';
import { errorCode, signedFetch, signedRequest } from './helpers';

const LIST = { queueId: DEMO_QUEUE_ID, tag: 'Animation' } as const;
const QUERY: Array<[string, string]> = [
  ['queueId', DEMO_QUEUE_ID],
  ['tag', 'Animation'],
];
const HOUR = 3_600_000;

let ci: RunningFakeCi;
beforeAll(async () => {
  ci = await startFakeCi({ jobs: 5 });
});
afterAll(() => ci.close());

async function failure(promise: Promise<unknown>): Promise<CiServiceError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CiServiceError);
  return err as CiServiceError;
}

test('the demo credentials are accepted', async () => {
  const client = new CiMediaClient({ endpoint: ci.url, credentials: DEMO_CREDENTIALS, validateResponses: 'strict' });
  const page = await client.describeMediaJobs(LIST);
  expect(page.JobsDetail).toHaveLength(5);
  expect(page.$metadata.requestId).toBeTruthy();
});

test('a wrong secret key is SignatureDoesNotMatch (403), not retried', async () => {
  let sent = 0;
  const client = new CiMediaClient({
    endpoint: ci.url,
    credentials: { ...DEMO_CREDENTIALS, secretKey: 'wrong-secret' },
    fetch: (input, init) => {
      sent++;
      return fetch(input, init);
    },
  });
  const err = await failure(client.describeMediaJobs(LIST));
  expect(sent).toBe(1);
  expect(err.code).toBe('SignatureDoesNotMatch');
  expect(err.statusCode).toBe(403);
  expect(err.requestId).toBeTruthy();
  expect(err.traceId).toBeTruthy();
  expect(err.message).toContain('HttpString: "get\\n/jobs\\nqueueid=');
});

test('an unknown SecretId is SecretidNotExist (401)', async () => {
  const client = new CiMediaClient({ endpoint: ci.url, credentials: { secretId: 'AKIDunknown', secretKey: DEMO_CREDENTIALS.secretKey } });
  const err = await failure(client.describeMediaJobs(LIST));
  expect(err.code).toBe('SecretidNotExist');
  expect(err.statusCode).toBe(401);
});

test('no Authorization header is MissingAuthorization (401); a malformed one InvalidAuthorization (401)', async () => {
  const res = await fetch(`${ci.url}/jobs?queueId=${DEMO_QUEUE_ID}&tag=Animation`);
  expect(res.status).toBe(401);
  expect(errorCode(await res.text())).toBe('MissingAuthorization');
  for (const authorization of [
    'Bearer abc',
    'q-sign-algorithm=md5&q-ak=a&q-sign-time=1;2&q-key-time=1;2&q-header-list=&q-url-param-list=&q-signature=x',
  ]) {
    const bad = await fetch(`${ci.url}/jobs`, { headers: { authorization } });
    expect(bad.status).toBe(401);
    expect(errorCode(await bad.text())).toBe('InvalidAuthorization');
  }
});

test('the signature covers every query parameter, a valueless one signing as name=', async () => {
  // signed correctly, so the signature passes and the operation refuses the unknown flag
  const ok = await signedFetch(ci.url, { path: '/jobs', query: [...QUERY, ['cancel', undefined]] });
  expect(errorCode(ok.body)).toBe('InvalidArgument');
  // a parameter sent but left out of the signature
  const url = `${ci.url}/jobs?queueId=${DEMO_QUEUE_ID}&tag=Animation&size=5`;
  const now = Math.floor(Date.now() / 1000);
  const authorization = createAuthorization({
    ...DEMO_CREDENTIALS,
    method: 'GET',
    pathname: '/jobs',
    query: Object.fromEntries(QUERY),
    headers: { host: new URL(url).host },
    keyTime: `${now - 1};${now + 60}`,
  });
  const res = await fetch(url, { headers: { authorization } });
  const body = await res.text();
  expect(res.status).toBe(403);
  expect(errorCode(body)).toBe('SignatureDoesNotMatch');
  expect(body).toContain('q-url-param-list signs &quot;queueid;tag&quot;');
});

test('a raw + in a query value reads as a space, so it fails the signature (send %2B)', async () => {
  const start = '2024-05-01T08:00:00+0800';
  const now = Math.floor(Date.now() / 1000);
  const query = { ...Object.fromEntries(QUERY), startCreationTime: start };
  const url = `${ci.url}/jobs?queueId=${DEMO_QUEUE_ID}&tag=Animation&startCreationTime=2024-05-01T08%3A00%3A00+0800`;
  const authorization = createAuthorization({
    ...DEMO_CREDENTIALS,
    method: 'GET',
    pathname: '/jobs',
    query,
    headers: { host: new URL(url).host },
    keyTime: `${now - 1};${now + 60}`,
  });
  const res = await fetch(url, { headers: { authorization } });
  expect(errorCode(await res.text())).toBe('SignatureDoesNotMatch');
});

describe('headers in q-header-list', () => {
  const service = new FakeCiService();

  test('a signed host must be the received Host', async () => {
    const good = await service.handle(signedRequest({ path: '/jobs', query: QUERY }));
    expect(good.status).toBe(200);
    const req = signedRequest({ path: '/jobs', query: QUERY, signedHost: 'examplebucket-1250000000.ci.ap-beijing.myqcloud.com' });
    const res = await service.handle(req);
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe('SignatureDoesNotMatch');
  });

  test('a signed header must be received with the signed value', async () => {
    const req = signedRequest({ path: '/jobs', query: QUERY, headers: { 'x-ci-security-token': 'token-1' } });
    expect((await service.handle(req)).status).toBe(200);
    const changed = { ...req, headers: { ...req.headers, 'x-ci-security-token': 'token-2' } };
    expect(errorCode((await service.handle(changed)).body)).toBe('SignatureDoesNotMatch');
    const { 'x-ci-security-token': _dropped, ...rest } = req.headers;
    const missing = await service.handle({ ...req, headers: rest });
    expect(errorCode(missing.body)).toBe('SignatureDoesNotMatch');
    expect(missing.body).toContain('x-ci-security-token is in q-header-list but was not received');
  });

  test('an unsigned host is accepted (only what is signed is checked)', async () => {
    const req = signedRequest({ path: '/jobs', query: QUERY });
    const now = Math.floor(Date.now() / 1000);
    const authorization = createAuthorization({
      ...DEMO_CREDENTIALS,
      method: 'GET',
      pathname: '/jobs',
      query: Object.fromEntries(QUERY),
      keyTime: `${now - 1};${now + 60}`,
    });
    expect((await service.handle({ ...req, headers: { ...req.headers, authorization } })).status).toBe(200);
  });
});

describe('KeyTime window against the service clock', () => {
  const now = Math.floor(Date.now() / 1000);

  test.each([
    ['ended before now', `${now - 2000};${now - 1000}`, 403, 'AccessDenied', 'Request has expired'],
    ['starts over 15 min ahead', `${now + 1000};${now + 2000}`, 403, 'RequestTimeTooSkewed', 'too large'],
    ['ends before it starts', `${now + 10};${now - 10}`, 401, 'InvalidAuthorization', 'ends before it starts'],
  ])('%s', async (_label, keyTime, status, code, message) => {
    const res = await signedFetch(ci.url, { path: '/jobs', query: QUERY, keyTime });
    expect(res.status).toBe(status);
    expect(errorCode(res.body)).toBe(code);
    expect(res.body).toContain(message);
  });

  test('a start up to 15 min ahead (client clock ahead) and an old start with a live end are accepted', async () => {
    expect((await signedFetch(ci.url, { path: '/jobs', query: QUERY, keyTime: `${now + 600};${now + 1500}` })).status).toBe(200);
    expect((await signedFetch(ci.url, { path: '/jobs', query: QUERY, keyTime: `${now - 86_400};${now + 600}` })).status).toBe(200);
  });
});

describe('clock skew and the client', () => {
  test.each([
    ['ahead', +HOUR],
    ['behind', -HOUR],
  ])('service clock an hour %s: the client corrects from the Date header and succeeds', async (_label, skew) => {
    const skewed = await startFakeCi({ jobs: 3, now: () => Date.now() + skew });
    try {
      const exchanges: number[] = [];
      const client = new CiMediaClient({
        endpoint: skewed.url,
        credentials: DEMO_CREDENTIALS,
        maxAttempts: 1,
        validateResponses: 'strict',
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          exchanges.push(res.status);
          return res;
        },
      });
      const page = await client.describeMediaJobs(LIST);
      expect(page.JobsDetail).toHaveLength(3);
      expect(exchanges).toEqual([403, 200]);
      expect(Math.abs(client.clockOffsetMs - skew)).toBeLessThan(5_000);
      // the learned offset sticks: the next call is signed right the first time
      await client.describeMediaJobs(LIST);
      expect(exchanges).toEqual([403, 200, 200]);
    } finally {
      await skewed.close();
    }
  });

  test('a service whose clock keeps running away: the client corrects once, then fails with RequestTimeTooSkewed', async () => {
    let reads = 0;
    const drifting = await startFakeCi({ now: () => Date.now() - ++reads * HOUR });
    const atStart = reads; // construction reads the clock once (seeded queues)
    try {
      const client = new CiMediaClient({ endpoint: drifting.url, credentials: DEMO_CREDENTIALS, maxAttempts: 1 });
      const err = await failure(client.describeMediaJobs(LIST));
      expect(err.code).toBe('RequestTimeTooSkewed');
      expect(err.statusCode).toBe(403);
      expect(reads - atStart).toBe(2); // one request, one corrected retry
    } finally {
      await drifting.close();
    }
  });
});

test('credentials: false accepts unsigned requests', async () => {
  const open = new FakeCiService({ credentials: false, jobs: 2 });
  const res = await open.handle({ method: 'GET', url: `/jobs?queueId=${DEMO_QUEUE_ID}&tag=Animation`, headers: {} });
  expect(res.status).toBe(200);
  expect(res.body.match(/<JobsDetail>/g)).toHaveLength(2);
});

test('other credentials can be configured', async () => {
  const keys = { secretId: 'AKIDother', secretKey: 'other-secret' };
  const svc = new FakeCiService({ credentials: keys });
  expect((await svc.handle(signedRequest({ path: '/jobs', query: QUERY, credentials: keys }))).status).toBe(200);
  expect(errorCode((await svc.handle(signedRequest({ path: '/jobs', query: QUERY }))).body)).toBe('SecretidNotExist');
});
