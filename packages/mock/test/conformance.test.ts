/**
 * Every response the service produces — pages and every kind of error — carries the documented headers and a
 * body that the real client decodes with validateResponses 'strict' (error bodies: the spec's Error schema).
 */
import { CiMediaClient, CiServiceError, shapes } from '@cloud-infinite/client';
import { responseValidators } from '@cloud-infinite/codegen/oracle';
import { decodeXml } from '@cloud-infinite/runtime';
import { DEMO_CREDENTIALS, DEMO_QUEUE_ID, FakeCiService, type FakeExchange, type FakeRequest } from '../src';
import { signedRequest } from './helpers';

const NOW = Date.now();
const exchanges: FakeExchange[] = [];
const service = new FakeCiService({ jobs: 60, seed: 4, now: () => NOW, onExchange: (e) => exchanges.push(e) });
const Q: Array<[string, string]> = [
  ['queueId', DEMO_QUEUE_ID],
  ['tag', 'Animation'],
];
const now = Math.floor(NOW / 1000);

/** Requests covering every page shape and every error the service answers. */
const requests: Array<[string, FakeRequest]> = [
  ['first page', signedRequest({ path: '/jobs', query: Q })],
  ['all in one page', signedRequest({ path: '/jobs', query: [...Q, ['size', '100'], ['orderByTime', 'Asc']] })],
  ['one job', signedRequest({ path: '/jobs', query: [...Q, ['size', '1'], ['states', 'Success']] })],
  ['no jobs', signedRequest({ path: '/jobs', query: [...Q, ['states', 'Pause']] })],
  ['time range', signedRequest({ path: '/jobs', query: [...Q, ['startCreationTime', '2000-01-01T00:00:00+0800']] })],
  ['InvalidArgument', signedRequest({ path: '/jobs', query: [...Q, ['size', '0']] })],
  ['ResourceNotFound', signedRequest({ path: '/nope' })],
  ['MethodNotAllowed', signedRequest({ method: 'DELETE', path: '/jobs' })],
  ['MissingAuthorization', { method: 'GET', url: '/jobs', headers: { host: '127.0.0.1:9000' } }],
  ['InvalidAuthorization', { method: 'GET', url: '/jobs', headers: { host: '127.0.0.1:9000', authorization: 'x' } }],
  ['SecretidNotExist', signedRequest({ path: '/jobs', query: Q, credentials: { secretId: 'AKIDnobody', secretKey: 'k' } })],
  ['SignatureDoesNotMatch', signedRequest({ path: '/jobs', query: Q, credentials: { ...DEMO_CREDENTIALS, secretKey: 'k' } })],
  ['RequestTimeTooSkewed', signedRequest({ path: '/jobs', query: Q, keyTime: `${now + 3600};${now + 4000}` })],
  ['AccessDenied (expired)', signedRequest({ path: '/jobs', query: Q, keyTime: `${now - 4000};${now - 3600}` })],
];

beforeAll(async () => {
  for (const [, req] of requests) await service.handle(req);
  // a bug inside an operation is a 500 InternalError document, not a crash
  const spy = jest.spyOn(service.store, 'listJobs').mockImplementation(() => {
    throw new Error('boom');
  });
  await service.handle(signedRequest({ path: '/jobs', query: Q }));
  spy.mockRestore();
});

test('the requests cover pages and every error code', () => {
  const codes = exchanges.map((e) => (e.response.status === 200 ? '200' : /<Error><Code>([^<]*)<\/Code>/.exec(e.response.body)?.[1]));
  expect(codes).toEqual([
    '200',
    '200',
    '200',
    '200',
    '200',
    'InvalidArgument',
    'ResourceNotFound',
    'MethodNotAllowed',
    'MissingAuthorization',
    'InvalidAuthorization',
    'SecretidNotExist',
    'SignatureDoesNotMatch',
    'RequestTimeTooSkewed',
    'AccessDenied',
    'InternalError',
  ]);
});

test('every response has the documented headers; errors a trace id; request ids are unique', () => {
  const ids = new Set<string>();
  for (const { response } of exchanges) {
    expect(response.headers['content-type']).toBe('application/xml');
    expect(response.headers.server).toBe('tencent-ci');
    expect(response.headers.date).toBe(new Date(NOW).toUTCString());
    expect(response.headers.date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const id = response.headers['x-ci-request-id']!;
    expect(id).toMatch(/^[A-Za-z0-9+/]+=*$/);
    ids.add(id);
    if (response.status >= 300) expect(response.headers['x-ci-trace-id']).toBeTruthy();
    else expect(response.headers['x-ci-trace-id']).toBeUndefined();
  }
  expect(ids.size).toBe(exchanges.length);
});

test('every body decodes through the real client with strict validation', async () => {
  for (const { response } of exchanges) {
    const client = new CiMediaClient({
      endpoint: 'http://127.0.0.1:9000',
      credentials: DEMO_CREDENTIALS,
      validateResponses: 'strict',
      maxAttempts: 1,
      fetch: async () => new Response(response.body, { status: response.status, headers: response.headers }),
    });
    const outcome = await client.describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation' }).then(
      (page) => page,
      (e: unknown) => e,
    );
    if (response.status === 200) {
      expect(outcome).not.toBeInstanceOf(Error);
    } else {
      expect(outcome).toBeInstanceOf(CiServiceError);
      const err = outcome as CiServiceError;
      const fields = decodeXml(response.body, shapes.documents.ErrorDocument);
      expect(responseValidators()('ErrorDocument')(fields)).toBe(true);
      expect(err.code).toBe(fields.Code);
      expect(err.statusCode).toBe(response.status);
      expect(err.requestId).toBe(response.headers['x-ci-request-id']);
      expect(err.traceId).toBe(response.headers['x-ci-trace-id']);
    }
  }
});
