/**
 * The transport's rules, each pinned by behaviour with exact values (the mutation run, `npm run test:mutation`,
 * showed them unpinned): the body read, request building, what is signed, retries and their backoff, Retry-After,
 * maxResponseBytes, the clock-skew correction, error answers and $metadata.
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import {
  CiAbortError,
  CiDecodeError,
  CiNetworkError,
  CiServiceError,
  CiTimeoutError,
  CiValidationError,
  MAX_CLOCK_OFFSET_MS,
  Transport,
  documentShape,
  member,
  objectShape,
  parseAuthorization,
  serviceError,
  toIssues,
  type OperationSpec,
  type TransportConfig,
} from '../src';

const CREDS = { secretId: 'AKIDrulestest0000000000000000000000', secretKey: 'rules-test-secret-not-real' };
const ENDPOINT = 'https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com';
const HOST = new URL(ENDPOINT).host;
const NOW = Date.UTC(2024, 0, 1, 0, 0, 0);

const Page = documentShape(
  'Response',
  objectShape([member('Items', 'string', { array: true, required: true }), member('Count', 'integer')]),
);
const Body = documentShape(
  'Request',
  objectShape([
    member('Name', 'string', { required: true }),
    member('Tags', 'string', { array: true }),
    member('Size', 'integer'),
    member('Ratio', 'number'),
    member('On', 'boolean'),
    member('Inner', objectShape([member('A', 'string'), member('B', 'integer', { array: true })])),
  ]),
);

const list: OperationSpec = {
  id: 'ListThings',
  method: 'GET',
  path: '/things',
  params: [
    { name: 'queueId', in: 'query', required: true, kind: 'string' },
    { name: 'states', in: 'query', required: false, kind: 'csv' },
    { name: 'size', in: 'query', required: false, kind: 'integer' },
  ],
  response: Page,
  idempotent: true,
};
const getOne: OperationSpec = {
  id: 'GetThing',
  method: 'GET',
  path: '/things/{id}',
  params: [{ name: 'id', in: 'path', required: true, kind: 'string' }],
  response: Page,
  idempotent: true,
};
const create: OperationSpec = {
  id: 'CreateThing',
  method: 'POST',
  path: '/things',
  params: [],
  body: Body,
  response: Page,
  idempotent: false,
};
const noBody: OperationSpec = { id: 'DeleteThing', method: 'DELETE', path: '/things/x', params: [], idempotent: true };

interface Call {
  url: string;
  init: RequestInit;
  at: number;
}

function xml(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'content-type': 'application/xml', 'x-ci-request-id': `rid-${status}`, ...headers } });
}

function transport(responses: Array<Response | Error | (() => Response | Promise<Response>)>, config: Partial<TransportConfig> = {}) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init, at: performance.now() });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next();
    return next;
  }) as unknown as typeof globalThis.fetch;
  const t = new Transport({
    endpoint: ENDPOINT,
    credentials: CREDS,
    fetch,
    random: () => 0.5,
    retryBaseDelayMs: 1,
    now: () => NOW,
    ...config,
  });
  return { t, calls };
}

const header = (call: Call, name: string) => (call.init.headers as Record<string, string>)[name];
const auth = (call: Call) => parseAuthorization(header(call, 'Authorization'))!;

/** A Response whose body arrives in the given chunks. */
function chunked(chunks: Array<string | Uint8Array>, init: ResponseInit = { status: 200 }): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(typeof c === 'string' ? encoder.encode(c) : c);
      controller.close();
    },
  });
  return new Response(stream, init);
}

describe('the body read', () => {
  test('a body in many chunks is read whole, in order (a character split across chunks included)', async () => {
    const bytes = new TextEncoder().encode('<Response><Items>中</Items><Items>b</Items><Count>12</Count></Response>');
    const parts = [bytes.slice(0, 5), bytes.slice(5, 18), bytes.slice(18, 19), bytes.slice(19, 40), bytes.slice(40)];
    const { t } = transport([chunked(parts)]);
    const r = await t.invoke(getOne, { id: 'x' });
    expect(r).toStrictEqual({ Items: ['中', 'b'], Count: 12 });
  });

  test('a chunk that is a view into a larger buffer is read at its offset', async () => {
    const whole = new TextEncoder().encode('xxxx<Response><Items>a</Items></Response>yyyy');
    const view = new Uint8Array(whole.buffer, 4, whole.length - 8);
    const { t } = transport([chunked([view.subarray(0, 10), view.subarray(10)])]);
    expect(await t.invoke(getOne, { id: 'x' })).toStrictEqual({ Items: ['a'] });
  });

  test('maxResponseBytes: a body of exactly the limit is read, one byte more is a CiDecodeError', async () => {
    const body = '<Response><Items>abc</Items></Response>';
    const size = Buffer.byteLength(body);
    const exact = transport([chunked([body.slice(0, 10), body.slice(10)])], { maxResponseBytes: size });
    expect(await exact.t.invoke(getOne, { id: 'x' })).toStrictEqual({ Items: ['abc'] });
    const over = transport([chunked([body.slice(0, 10), body.slice(10)])], { maxResponseBytes: size - 1, maxAttempts: 3 });
    const err = await over.t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiDecodeError);
    expect((err as Error).message).toBe(`The response body is larger than maxResponseBytes (${size - 1})`);
    // not a network failure: never retried
    expect(over.calls).toHaveLength(1);
  });

  test('maxResponseBytes: a Content-Length above the limit is refused before the body is read (and released); equal to it is read', async () => {
    const body = '<Response><Items>abc</Items></Response>';
    const size = Buffer.byteLength(body);
    let cancelled = 0;
    const declared = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(body));
            controller.close();
          },
          cancel() {
            cancelled++;
          },
        }),
        { status: 200, headers: { 'content-length': String(size) } },
      );
    const refused = transport([declared], { maxResponseBytes: size - 1 });
    const err = await refused.t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiDecodeError);
    expect((err as Error).message).toBe(`The response body (${size} bytes) is larger than maxResponseBytes (${size - 1})`);
    expect(cancelled).toBe(1);
    expect(refused.calls).toHaveLength(1);
    const read = transport([declared], { maxResponseBytes: size });
    expect(await read.t.invoke(getOne, { id: 'x' })).toStrictEqual({ Items: ['abc'] });
    expect(cancelled).toBe(1);
  });

  test('the decoder gets maxResponseBytes as its limit in characters', async () => {
    // 3 characters of 3 bytes each: 9 bytes read, 3 characters decoded
    const body = '<Response><Items>中中中</Items></Response>';
    const { t } = transport([xml(body)], { maxResponseBytes: Buffer.byteLength(body) });
    expect(await t.invoke(getOne, { id: 'x' })).toStrictEqual({ Items: ['中中中'] });
  });

  test('a body stream that fails is a CiNetworkError in our words, retried on an idempotent call', async () => {
    const failing = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('<Response>'));
            controller.error(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
          },
        }),
        { status: 200 },
      );
    const { t, calls } = transport([failing, failing], { maxAttempts: 2 });
    const err = await t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiNetworkError);
    expect((err as Error).message).toBe('Reading the response body failed: other side closed (UND_ERR_SOCKET)');
    expect(calls).toHaveLength(2);
    const once = transport([failing, failing], { maxAttempts: 2 });
    await expect(once.t.invoke(create, { Name: 'n' })).rejects.toThrow(CiNetworkError);
    expect(once.calls).toHaveLength(1);
  });

  test('no body (a 204) is an empty result for an operation without a response shape, with $metadata', async () => {
    const { t } = transport([new Response(null, { status: 204, headers: { 'x-ci-request-id': 'r204' } })]);
    const r = await t.invoke(noBody, {});
    expect(r).toStrictEqual({});
    expect(r.$metadata).toStrictEqual({ requestId: 'r204', statusCode: 204, attempts: 1, totalRetryDelayMs: 0 });
    const none = transport([new Response(null, { status: 200 })]);
    expect((await none.t.invoke(noBody, {})).$metadata.requestId).toBeUndefined();
  });
});

describe('the request', () => {
  test('omitted optional parameters are left out; given ones go in spec order under their names', async () => {
    const { t, calls } = transport([xml('<Response/>'), xml('<Response/>')]);
    await t.invoke(list, { queueId: 'q' });
    expect(calls[0]!.url).toBe(`${ENDPOINT}/things?queueId=q`);
    expect(auth(calls[0]!).urlParamList).toStrictEqual(['queueid']);
    await t.invoke(list, { size: 3, queueId: 'q', states: 'A,B', unknown: undefined });
    expect(calls[1]!.url).toBe(`${ENDPOINT}/things?queueId=q&states=A%2CB&size=3`);
    expect(auth(calls[1]!).urlParamList).toStrictEqual(['queueid', 'size', 'states']);
  });

  test('a missing required parameter is a CiValidationError naming it', async () => {
    const { t, calls } = transport([]);
    const err = (await t.invoke(list, { size: 1 }).catch((e: unknown) => e)) as CiValidationError;
    expect(err).toBeInstanceOf(CiValidationError);
    expect(err.summary).toBe('Invalid ListThings input');
    expect(err.issues).toStrictEqual([{ path: '/queueId', message: 'is required' }]);
    const notObject = (await t.invoke(list, [] as never).catch((e: unknown) => e)) as CiValidationError;
    expect(notObject).toBeInstanceOf(CiValidationError);
    expect(notObject.message).toBe('ListThings: input must be an object');
    expect(calls).toHaveLength(0);
  });

  test('signs host, content-type, content-md5, x-ci-* and x-cos-* only; other headers are sent unsigned', async () => {
    const { t, calls } = transport([xml('<Response/>')], {
      headers: { 'User-Agent': 'ua/1', Accept: 'application/xml', 'X-CI-Trace': 't1', 'x-cos-meta': 'm', 'x-cix': 'no' },
    });
    await t.invoke(create, { Name: 'n' });
    const sent = calls[0]!.init.headers as Record<string, string>;
    expect(Object.keys(sent).sort()).toStrictEqual(
      ['Accept', 'Authorization', 'Content-MD5', 'Content-Type', 'User-Agent', 'X-CI-Trace', 'x-cix', 'x-cos-meta'].sort(),
    );
    expect(auth(calls[0]!).headerList).toStrictEqual(['content-md5', 'content-type', 'host', 'x-ci-trace', 'x-cos-meta']);
    expect(auth(calls[0]!).secretId).toBe(CREDS.secretId);
    expect(calls[0]!.init.redirect).toBe('manual');
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.signal).toBeInstanceOf(AbortSignal);
    const bare = transport([xml('<Response/>')]);
    await bare.t.invoke(getOne, { id: 'x' });
    expect(Object.keys(bare.calls[0]!.init.headers as object)).toStrictEqual(['Authorization']);
    expect(auth(bare.calls[0]!).headerList).toStrictEqual(['host']);
    expect(bare.calls[0]!.init.body).toBeUndefined();
  });

  test('the KeyTime starts 1 s before the clock and lasts signatureExpiresSeconds (default 900)', async () => {
    const { t, calls } = transport([xml('<Response/>')], { now: () => NOW + 999 });
    await t.invoke(getOne, { id: 'x' });
    expect(auth(calls[0]!).keyTime).toBe(`${NOW / 1000 - 1};${NOW / 1000 - 1 + 900}`);
    expect(auth(calls[0]!).signTime).toBe(auth(calls[0]!).keyTime);
    const short = transport([xml('<Response/>')], { signatureExpiresSeconds: 60 });
    await short.t.invoke(getOne, { id: 'x' });
    expect(auth(short.calls[0]!).keyTime).toBe(`${NOW / 1000 - 1};${NOW / 1000 - 1 + 60}`);
    // at the epoch itself the start is 0, never -1
    const epoch = transport([xml('<Response/>')], { now: () => 0 });
    await epoch.t.invoke(getOne, { id: 'x' });
    expect(auth(epoch.calls[0]!).keyTime).toBe('0;900');
  });

  test.each([Number.NaN, -1, Infinity])('a clock giving %p is a CiValidationError naming now, nothing sent', async (bad) => {
    const { t, calls } = transport([xml('<Response/>')], { now: () => bad });
    const err = (await t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e)) as CiValidationError;
    expect(err).toBeInstanceOf(CiValidationError);
    expect(err.issues).toStrictEqual([{ path: 'now', message: 'must return milliseconds since the epoch (a finite number >= 0)' }]);
    expect(calls).toHaveLength(0);
  });

  test('request bodies: arrays as repeated elements, nested objects, typed scalars, & < > " \' escaped, in spec order', async () => {
    const { t, calls } = transport([xml('<Response/>')]);
    await t.invoke(create, { On: false, Inner: { B: [1, 2], A: `"q" 'a' & <t>` }, Ratio: 1.5, Size: 0, Tags: ['x', 'y'], Name: 'n' });
    const body =
      '<Request><Name>n</Name><Tags>x</Tags><Tags>y</Tags><Size>0</Size><Ratio>1.5</Ratio><On>false</On>' +
      '<Inner><A>&quot;q&quot; &apos;a&apos; &amp; &lt;t&gt;</A><B>1</B><B>2</B></Inner></Request>';
    expect(calls[0]!.init.body).toBe(body);
    expect(header(calls[0]!, 'Content-MD5')).toBe(createHash('md5').update(body).digest('base64'));
    expect(header(calls[0]!, 'Content-Type')).toBe('application/xml');
  });

  test('the endpoint: trailing slashes dropped, only http(s), an absolute URL', () => {
    expect(new Transport({ endpoint: `${ENDPOINT}//`, credentials: CREDS }).endpoint).toBe(ENDPOINT);
    expect(new Transport({ endpoint: 'http://127.0.0.1:9000/', credentials: CREDS }).endpoint).toBe('http://127.0.0.1:9000');
    for (const [endpoint, message] of [
      ['ftp://x.example', 'must be an http(s) URL'],
      ['not a url', 'must be an absolute http(s) URL'],
    ]) {
      const err = (() => {
        try {
          new Transport({ endpoint: endpoint!, credentials: CREDS });
        } catch (e) {
          return e as CiValidationError;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(CiValidationError);
      expect(err!.issues).toStrictEqual([{ path: 'endpoint', message }]);
    }
  });

  test('configuration limits: each key named with its rule; the smallest allowed value is accepted', () => {
    const issuesOf = (config: Partial<TransportConfig>) => {
      try {
        new Transport({ endpoint: ENDPOINT, credentials: CREDS, ...config });
        return [];
      } catch (e) {
        return (e as CiValidationError).issues;
      }
    };
    expect(
      issuesOf({
        timeoutMs: 0,
        maxAttempts: 1.5,
        retryBaseDelayMs: -1,
        retryMaxDelayMs: Number.NaN,
        maxResponseBytes: '1' as never,
        signatureExpiresSeconds: 0.5,
      }),
    ).toStrictEqual([
      { path: 'timeoutMs', message: 'must be a number of milliseconds >= 1' },
      { path: 'maxAttempts', message: 'must be a whole number >= 1 (1: no retries)' },
      { path: 'retryBaseDelayMs', message: 'must be a number of milliseconds >= 0' },
      { path: 'retryMaxDelayMs', message: 'must be a number of milliseconds >= 0' },
      { path: 'maxResponseBytes', message: 'must be a number of bytes >= 1' },
      { path: 'signatureExpiresSeconds', message: 'must be a whole number of seconds >= 1' },
    ]);
    expect(
      issuesOf({ timeoutMs: 1, maxAttempts: 1, retryBaseDelayMs: 0, retryMaxDelayMs: 0, maxResponseBytes: 1, signatureExpiresSeconds: 1 }),
    ).toStrictEqual([]);
    // a fraction is fine where a whole number is not asked for
    expect(issuesOf({ timeoutMs: 1.5, retryBaseDelayMs: 0.5 })).toStrictEqual([]);
    expect(issuesOf({ validateResponses: 'loud' as never })).toStrictEqual([
      { path: 'validateResponses', message: "must be one of 'off', 'lenient', 'warn', 'strict'" },
    ]);
    expect(issuesOf({ fetch: 1 as never, now: 'x' as never, random: {} as never, logger: {} as never })).toStrictEqual([
      { path: 'fetch', message: 'must be a function' },
      { path: 'now', message: 'must be a function' },
      { path: 'random', message: 'must be a function' },
      { path: 'logger', message: 'must have a warn(message) method' },
    ]);
    expect(issuesOf({ headers: null as never })).toStrictEqual([{ path: 'headers', message: 'must be an object' }]);
    expect(issuesOf({ headers: 'x' as never })).toStrictEqual([{ path: 'headers', message: 'must be an object' }]);
    expect(issuesOf({ headers: { 'a b': 'x', Host: 'h', ok: ' v', fine: 'v' } })).toStrictEqual([
      { path: 'headers."a b"', message: 'is not a valid header name' },
      { path: 'headers.Host', message: 'is set by the transport (it is signed or computed)' },
      { path: 'headers.ok', message: 'must be printable ASCII without leading or trailing whitespace' },
    ]);
    expect(issuesOf({ headers: { a: 1 as never, b: 'é' } })).toStrictEqual([
      { path: 'headers.a', message: 'must be printable ASCII without leading or trailing whitespace' },
      { path: 'headers.b', message: 'must be printable ASCII without leading or trailing whitespace' },
    ]);
    expect(issuesOf({ logger: { warn: () => undefined } })).toStrictEqual([]);
  });

  test('call options: timeoutMs >= 1, an AbortSignal, an object', async () => {
    const { t, calls } = transport([xml('<Response/>')]);
    const issues = async (options: unknown) =>
      ((await t.invoke(getOne, { id: 'x' }, options as never).catch((e: unknown) => e)) as CiValidationError).issues;
    expect(await issues({ timeoutMs: 0.5 })).toStrictEqual([{ path: 'timeoutMs', message: 'must be a number of milliseconds >= 1' }]);
    expect(await issues({ timeoutMs: Infinity })).toStrictEqual([{ path: 'timeoutMs', message: 'must be a number of milliseconds >= 1' }]);
    expect(await issues({ signal: { aborted: 'no', addEventListener() {} } })).toStrictEqual([
      { path: 'signal', message: 'must be an AbortSignal' },
    ]);
    expect(await issues({ signal: { aborted: false } })).toStrictEqual([{ path: 'signal', message: 'must be an AbortSignal' }]);
    expect(await issues({ signal: null })).toStrictEqual([{ path: 'signal', message: 'must be an AbortSignal' }]);
    const notObject = (await t.invoke(getOne, { id: 'x' }, null as never).catch((e: unknown) => e)) as CiValidationError;
    expect(notObject.message).toBe('Invalid call options: expected { signal?, timeoutMs? }');
    expect(calls).toHaveLength(0);
    expect(await t.invoke(getOne, { id: 'x' }, { timeoutMs: 1000, signal: new AbortController().signal })).toStrictEqual({ Items: [] });
  });
});

describe('retries', () => {
  test.each([429, 500, 502, 503, 504])('status %i is retried on an idempotent call, whatever the code', async (status) => {
    const { t, calls } = transport([xml('<Error><Code>Whatever</Code></Error>', status), xml('<Response/>')]);
    const r = await t.invoke(getOne, { id: 'x' });
    expect(r.$metadata).toStrictEqual({ requestId: 'rid-200', statusCode: 200, attempts: 2, totalRetryDelayMs: 0 });
    expect(calls).toHaveLength(2);
  });

  test.each([
    'Throttling',
    'ThrottlingException',
    'RequestLimitExceeded',
    'TooManyRequests',
    'SlowDown',
    'InternalError',
    'ServiceUnavailable',
  ])('code %s is retried on an idempotent call, whatever the status', async (code) => {
    const { t, calls } = transport([xml(`<Error><Code>${code}</Code></Error>`, 400), xml('<Response/>')]);
    expect((await t.invoke(getOne, { id: 'x' })).$metadata.attempts).toBe(2);
    expect(calls).toHaveLength(2);
  });

  test('another status with another code is not retried; nor is anything on a create', async () => {
    for (const status of [400, 403, 404, 501]) {
      const { t, calls } = transport([xml('<Error><Code>InvalidArgument</Code></Error>', status), xml('<Response/>')]);
      const err = (await t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e)) as CiServiceError;
      expect(err).toBeInstanceOf(CiServiceError);
      expect([err.code, err.statusCode]).toStrictEqual(['InvalidArgument', status]);
      expect(calls).toHaveLength(1);
    }
    const { t, calls } = transport([xml('<Error><Code>SlowDown</Code></Error>', 503), xml('<Response/>')]);
    await expect(t.invoke(create, { Name: 'n' })).rejects.toMatchObject({ code: 'SlowDown', statusCode: 503 });
    expect(calls).toHaveLength(1);
  });

  test('maxAttempts bounds the attempts (3 by default, 1 disables retries)', async () => {
    const busy = () => xml('<Error><Code>ServiceUnavailable</Code></Error>', 503);
    const byDefault = transport([busy(), busy(), busy(), busy()]);
    await expect(byDefault.t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ statusCode: 503 });
    expect(byDefault.calls).toHaveLength(3);
    const one = transport([busy(), busy()], { maxAttempts: 1 });
    await expect(one.t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ statusCode: 503 });
    expect(one.calls).toHaveLength(1);
    const five = transport([busy(), busy(), busy(), busy(), xml('<Response/>')], { maxAttempts: 5 });
    expect((await five.t.invoke(getOne, { id: 'x' })).$metadata.attempts).toBe(5);
  });

  test('the backoff waits: full jitter of base · 2^(n−1), capped; the waits are summed in $metadata', async () => {
    const busy = () => xml('<Error><Code>ServiceUnavailable</Code></Error>', 503);
    // random 0.5, base 40: waits of 20 then 40 ms
    const { t, calls } = transport([busy(), busy(), xml('<Response/>')], { retryBaseDelayMs: 40 });
    const r = await t.invoke(getOne, { id: 'x' });
    expect(r.$metadata.totalRetryDelayMs).toBe(60);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(19);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(39);
    // capped by retryMaxDelayMs: min(30, 40) · 0.5, then min(30, 80) · 0.5
    const capped = transport([busy(), busy(), xml('<Response/>')], { retryBaseDelayMs: 40, retryMaxDelayMs: 30 });
    expect((await capped.t.invoke(getOne, { id: 'x' })).$metadata.totalRetryDelayMs).toBe(30);
    // defaults: base 100 (random 0.5: 50, then 100)
    const defaults = transport([busy(), busy(), xml('<Response/>')], { retryBaseDelayMs: undefined });
    expect((await defaults.t.invoke(getOne, { id: 'x' })).$metadata.totalRetryDelayMs).toBe(150);
    // the draw is floored: random 0.3 of 5 is 1
    const floored = transport([busy(), xml('<Response/>')], { retryBaseDelayMs: 5, random: () => 0.3 });
    expect((await floored.t.invoke(getOne, { id: 'x' })).$metadata.totalRetryDelayMs).toBe(1);
  });

  test.each([1, -0.1, Number.NaN, 7])('a random source giving %p counts as 0.5', async (r) => {
    const busy = () => xml('<Error><Code>ServiceUnavailable</Code></Error>', 503);
    const { t } = transport([busy(), xml('<Response/>')], { retryBaseDelayMs: 10, random: () => r });
    expect((await t.invoke(getOne, { id: 'x' })).$metadata.totalRetryDelayMs).toBe(5);
  });

  test('a random source giving 0 waits 0 ms', async () => {
    const busy = () => xml('<Error><Code>ServiceUnavailable</Code></Error>', 503);
    const { t } = transport([busy(), xml('<Response/>')], { retryBaseDelayMs: 10, random: () => 0 });
    expect((await t.invoke(getOne, { id: 'x' })).$metadata.totalRetryDelayMs).toBe(0);
  });

  test('an abort during the backoff ends the call at once with a CiAbortError; nothing more is sent', async () => {
    const controller = new AbortController();
    const { t, calls } = transport([xml('<Error><Code>ServiceUnavailable</Code></Error>', 503), xml('<Response/>')], {
      retryBaseDelayMs: 20_000,
      random: () => 0.99,
    });
    const started = performance.now();
    const pending = t.invoke(getOne, { id: 'x' }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('enough')), 20);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiAbortError);
    expect((err as Error).message).toBe('The request was aborted');
    expect(((err as Error).cause as Error).message).toBe('enough');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(calls).toHaveLength(1);
  });

  test('a backoff longer than the time-out ends with a CiTimeoutError at timeoutMs', async () => {
    const { t, calls } = transport([xml('<Error><Code>ServiceUnavailable</Code></Error>', 503), xml('<Response/>')], {
      retryBaseDelayMs: 20_000,
      random: () => 0.99,
    });
    const err = await t.invoke(getOne, { id: 'x' }, { timeoutMs: 30 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiTimeoutError);
    expect((err as CiTimeoutError).timeoutMs).toBe(30);
    expect(calls).toHaveLength(1);
  });

  test('Retry-After in seconds (several digits, spaces around) raises the wait, still capped', async () => {
    const slow = (value: string) => xml('<Error><Code>SlowDown</Code></Error>', 503, { 'retry-after': value });
    const a = transport([slow('12'), xml('<Response/>')], { retryMaxDelayMs: 12_000 });
    // a wait of 12 s really happens: checked through $metadata with a cap that equals it, on a fake-free clock
    jest.useFakeTimers({ doNotFake: ['performance', 'queueMicrotask', 'nextTick', 'setImmediate'] });
    try {
      const pending = a.t.invoke(getOne, { id: 'x' });
      await jest.advanceTimersByTimeAsync(11_999);
      expect(a.calls).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      const r = await pending;
      expect(r.$metadata.totalRetryDelayMs).toBe(12_000);
      expect(a.calls).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
    const capped = transport([slow(' 20 '), xml('<Response/>')], { retryMaxDelayMs: 25 });
    expect((await capped.t.invoke(getOne, { id: 'x' })).$metadata.totalRetryDelayMs).toBe(25);
    // below the backoff's own draw it changes nothing
    const small = transport([slow('0'), xml('<Response/>')], { retryBaseDelayMs: 40 });
    expect((await small.t.invoke(getOne, { id: 'x' })).$metadata.totalRetryDelayMs).toBe(20);
  });

  test('Retry-After as an HTTP date: the time until then by the clock, 0 when past, ignored when not a date', async () => {
    const slow = (value: string) => xml('<Error><Code>SlowDown</Code></Error>', 503, { 'retry-after': value });
    // an HTTP date has whole seconds: NOW itself, 30 ms after the clock
    const date = transport([slow(new Date(NOW).toUTCString()), xml('<Response/>')], { now: () => NOW - 30, retryMaxDelayMs: 1000 });
    expect((await date.t.invoke(getOne, { id: 'x' })).$metadata.totalRetryDelayMs).toBe(30);
    const past = transport([slow(new Date(NOW - 60_000).toUTCString()), xml('<Response/>')], { retryBaseDelayMs: 10 });
    expect((await past.t.invoke(getOne, { id: 'x' })).$metadata.totalRetryDelayMs).toBe(5);
    const junk = transport([slow('soon'), xml('<Response/>')], { retryBaseDelayMs: 10 });
    expect((await junk.t.invoke(getOne, { id: 'x' })).$metadata.totalRetryDelayMs).toBe(5);
    const decimal = transport([slow('1.5'), xml('<Response/>')], { retryBaseDelayMs: 10, retryMaxDelayMs: 5000 });
    // `1.5` is neither delay-seconds nor an HTTP date Date.parse reads as a time near now: Date.parse gives a past year
    expect((await decimal.t.invoke(getOne, { id: 'x' })).$metadata.totalRetryDelayMs).toBe(5);
  });
});

describe('clock skew', () => {
  const skewed = (date: number | string, code = 'RequestTimeTooSkewed', message = 'skewed') =>
    xml(`<Error><Code>${code}</Code><Message>${message}</Message></Error>`, 403, {
      date: typeof date === 'number' ? new Date(date).toUTCString() : date,
    });
  const keyStart = (call: Call) => Number(auth(call).keyTime.split(';')[0]);

  test('a skew of exactly 30 s is corrected; 29 s is not ours to fix', async () => {
    const at30 = transport([skewed(NOW + 30_000), xml('<Response/>')], { maxAttempts: 1 });
    await at30.t.invoke(getOne, { id: 'x' });
    expect(at30.t.clockOffsetMs).toBe(30_000);
    expect(keyStart(at30.calls[1]!)).toBe((NOW + 30_000) / 1000 - 1);
    const at29 = transport([skewed(NOW + 29_000), xml('<Response/>')], { maxAttempts: 1 });
    const err = (await at29.t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e)) as CiServiceError;
    expect(err).toBeInstanceOf(CiServiceError);
    expect(err.code).toBe('RequestTimeTooSkewed');
    expect(at29.t.clockOffsetMs).toBe(0);
    expect(at29.calls).toHaveLength(1);
    const behind = transport([skewed(NOW - 30_000), xml('<Response/>')], { maxAttempts: 1 });
    await behind.t.invoke(getOne, { id: 'x' });
    expect(behind.t.clockOffsetMs).toBe(-30_000);
  });

  test('one re-send per call even when each skew answer moves the clock again; the re-send is not an attempt', async () => {
    const { t, calls } = transport([skewed(NOW + 3600_000), skewed(NOW + 7200_000), xml('<Response/>')], { maxAttempts: 1 });
    const err = (await t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e)) as CiServiceError;
    expect(err).toBeInstanceOf(CiServiceError);
    expect(calls).toHaveLength(2);
    // the second answer was still learned from
    expect(t.clockOffsetMs).toBe(7200_000);
    const ok = transport([skewed(NOW + 3600_000), xml('<Response/>')], { maxAttempts: 1 });
    expect((await ok.t.invoke(getOne, { id: 'x' })).$metadata).toStrictEqual({
      requestId: 'rid-200',
      statusCode: 200,
      attempts: 1,
      totalRetryDelayMs: 0,
    });
  });

  test('the next call may re-send once again', async () => {
    const { t, calls } = transport([skewed(NOW + 3600_000), xml('<Response/>'), skewed(NOW + 7200_000), xml('<Response/>')], {
      maxAttempts: 1,
    });
    await t.invoke(getOne, { id: 'x' });
    await t.invoke(getOne, { id: 'x' });
    expect(calls).toHaveLength(4);
    expect(t.clockOffsetMs).toBe(7200_000);
  });

  test('the 7-day bound: exactly 7 days is corrected, a millisecond more is refused', async () => {
    const edge = new Date(NOW + MAX_CLOCK_OFFSET_MS).toUTCString();
    const at = transport([skewed(edge), xml('<Response/>')], { maxAttempts: 1 });
    await at.t.invoke(getOne, { id: 'x' });
    expect(at.t.clockOffsetMs).toBe(MAX_CLOCK_OFFSET_MS);
    const past = transport([skewed(edge), xml('<Response/>')], { maxAttempts: 1, now: () => NOW - 1000 });
    await expect(past.t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ code: 'RequestTimeTooSkewed' });
    expect(past.t.clockOffsetMs).toBe(0);
  });

  test('the Date must be an HTTP date, trimmed; the weekday is optional', async () => {
    for (const date of [`  ${new Date(NOW + 3600_000).toUTCString()}  `, '01 Jan 2024 01:00:00 GMT', '1 Jan 2024 01:00:00 GMT']) {
      const { t } = transport([skewed(date), xml('<Response/>')], { maxAttempts: 1 });
      await t.invoke(getOne, { id: 'x' });
      expect(t.clockOffsetMs).toBe(3600_000);
    }
    for (const date of ['2024-01-01T01:00:00Z', 'Mon, 01 Jan 2024 01:00:00 +0000', 'Mon, 01 Jan 2024 01:00:00 GMT x', '']) {
      const { t, calls } = transport([skewed(date), xml('<Response/>')], { maxAttempts: 1 });
      await expect(t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ code: 'RequestTimeTooSkewed' });
      expect(t.clockOffsetMs).toBe(0);
      expect(calls).toHaveLength(1);
    }
    // no Date header at all
    const none = transport([xml('<Error><Code>RequestTimeTooSkewed</Code></Error>', 403), xml('<Response/>')], { maxAttempts: 1 });
    await expect(none.t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ code: 'RequestTimeTooSkewed' });
    expect(none.calls).toHaveLength(1);
  });

  test('AccessDenied is a skew only with "Request has expired" (any case); other codes never', async () => {
    const expired = transport([skewed(NOW + 3600_000, 'AccessDenied', 'REQUEST HAS EXPIRED'), xml('<Response/>')], { maxAttempts: 1 });
    await expired.t.invoke(getOne, { id: 'x' });
    expect(expired.t.clockOffsetMs).toBe(3600_000);
    for (const [code, message] of [
      ['AccessDenied', 'Access denied'],
      ['SignatureDoesNotMatch', 'Request has expired'],
    ]) {
      const { t, calls } = transport([skewed(NOW + 3600_000, code, message), xml('<Response/>')], { maxAttempts: 1 });
      await expect(t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ code });
      expect(t.clockOffsetMs).toBe(0);
      expect(calls).toHaveLength(1);
    }
  });

  test('a local clock that gives NaN while learning does not move the offset', async () => {
    let calls = 0;
    const { t } = transport([skewed(NOW + 3600_000), xml('<Response/>')], {
      maxAttempts: 1,
      // the first read signs, the second reads Retry-After; the third (learning from the answer) is broken
      now: () => (calls++ === 2 ? Number.NaN : NOW),
    });
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ code: 'RequestTimeTooSkewed' });
    expect(t.clockOffsetMs).toBe(0);
  });
});

describe('error answers', () => {
  test('the fields of an <Error> body, its status and headers; an empty Code falls back to HttpNNN', async () => {
    const { t } = transport(
      [
        xml('<Error><Code>NoSuchKey</Code><Message>gone</Message><RequestId>r-body</RequestId><TraceId>tr-body</TraceId></Error>', 404, {
          'x-ci-trace-id': 'tr-header',
        }),
      ],
      { maxAttempts: 1 },
    );
    const err = (await t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e)) as CiServiceError;
    expect([err.code, err.message, err.statusCode, err.requestId, err.traceId]).toStrictEqual([
      'NoSuchKey',
      'gone',
      404,
      'r-body',
      'tr-body',
    ]);
    expect(err.$response.statusCode).toBe(404);
    expect(err.$response.headers['x-ci-trace-id']).toBe('tr-header');
    const empty = serviceError(
      new Response('<Error><Code></Code><Message></Message></Error>', {
        status: 409,
        statusText: 'Conflict',
        headers: { 'x-ci-request-id': 'h-rid', 'x-ci-trace-id': 'h-tr' },
      }),
      '<Error><Code></Code><Message></Message></Error>',
    );
    expect([empty.code, empty.message, empty.requestId, empty.traceId]).toStrictEqual(['Http409', 'Conflict', 'h-rid', 'h-tr']);
    const bare = serviceError(new Response('', { status: 418 }), '');
    expect([bare.code, bare.message, bare.requestId, bare.traceId]).toStrictEqual(['Http418', 'HTTP 418', undefined, undefined]);
  });

  test('a root other than Error or Response is not read for fields; nor is a repeated field past its first', () => {
    const other = serviceError(new Response('', { status: 400 }), '<Other><Code>X</Code></Other>');
    expect(other.code).toBe('Http400');
    const repeated = serviceError(new Response('', { status: 400 }), '<Error><Code>A</Code><Code>B</Code></Error>');
    expect(repeated.code).toBe('A');
    const nested = serviceError(new Response('', { status: 400 }), '<Error><Code><X>1</X></Code></Error>');
    expect(nested.code).toBe('Http400');
  });

  test('a 2xx <Error> body (after a BOM, a declaration, a comment) is a service error; other roots decode', async () => {
    for (const prefix of ['\ufeff', '<?xml version="1.0"?>\n', '<!-- note -->', ' \n']) {
      const { t } = transport([xml(`${prefix}<Error><Code>InternalError</Code><Message>m</Message></Error>`, 200)], { maxAttempts: 1 });
      const err = (await t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e)) as CiServiceError;
      expect(err).toBeInstanceOf(CiServiceError);
      expect([err.code, err.statusCode]).toStrictEqual(['InternalError', 200]);
    }
    const { t } = transport([xml('<Errors><Code>x</Code></Errors>', 200)], { maxAttempts: 1, validateResponses: 'off' });
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toThrow(CiDecodeError);
    const empty = transport([xml('<Error/>', 200)], { maxAttempts: 1 });
    // an <Error/> with nothing in it: still an error answer, its code and message from the status
    const err = (await empty.t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e)) as CiServiceError;
    expect(err).toBeInstanceOf(CiServiceError);
    expect([err.code, err.message, err.statusCode]).toStrictEqual(['Http200', 'HTTP 200', 200]);
  });

  test('a 3xx is a service error too (redirects are not followed)', async () => {
    const { t } = transport([new Response('', { status: 301, statusText: 'Moved', headers: { location: 'https://x.example/' } })]);
    const err = (await t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e)) as CiServiceError;
    expect([err.code, err.message, err.statusCode]).toStrictEqual(['Http301', 'Moved', 301]);
  });

  test('the 2xx range: 299 decodes, 300 and 199 are service errors', async () => {
    const ok = transport([xml('<Response><Items>a</Items></Response>', 299)]);
    expect(await ok.t.invoke(getOne, { id: 'x' })).toStrictEqual({ Items: ['a'] });
    for (const status of [300]) {
      const { t } = transport([xml('<Response><Items>a</Items></Response>', status)], { maxAttempts: 1 });
      await expect(t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ statusCode: status, code: `Http${status}` });
    }
  });

  test('a fetch that throws synchronously is a network failure of the attempt', async () => {
    let n = 0;
    const fetch = ((): Promise<Response> => {
      n++;
      if (n === 1) throw Object.assign(new TypeError('bad'), { code: 'ECONNRESET' });
      return Promise.resolve(xml('<Response/>'));
    }) as unknown as typeof globalThis.fetch;
    const t = new Transport({ endpoint: ENDPOINT, credentials: CREDS, fetch, retryBaseDelayMs: 0 });
    expect((await t.invoke(getOne, { id: 'x' })).$metadata.attempts).toBe(2);
  });

  test('network failures name the method, path and host:port', async () => {
    const { t } = transport([Object.assign(new Error('weird'), { code: 'EWHATEVER' })], { maxAttempts: 1 });
    const err = await t.invoke(getOne, { id: 'a b' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiNetworkError);
    expect((err as Error).message).toBe(`GET /things/a b on ${HOST}:443 failed: weird (EWHATEVER)`);
    const http = new Transport({
      endpoint: 'http://127.0.0.1',
      credentials: CREDS,
      maxAttempts: 1,
      fetch: (async () => {
        throw Object.assign(new Error('x'), { code: 'ECONNRESET' });
      }) as unknown as typeof fetch,
    });
    await expect(http.invoke(getOne, { id: 'y' })).rejects.toThrow('GET /things/y on 127.0.0.1:80 failed: connection reset (ECONNRESET)');
  });
});

describe('input validation (the generated validators)', () => {
  const validator = (errors: Array<{ instancePath: string; keyword?: string; params?: unknown; message?: string }>) => {
    const f = ((data: unknown) => (f.seen.push(data), errors.length === 0)) as ((data: unknown) => boolean) & {
      errors: typeof errors | null;
      seen: unknown[];
    };
    f.errors = errors;
    f.seen = [];
    return f;
  };

  test('every keyword is said in words; a message the validator gives is kept; no errors gives no issues', () => {
    const v = validator([
      { instancePath: '/a', keyword: 'required', params: { missingProperty: 'x' } },
      { instancePath: '/b', keyword: 'additionalProperties', params: { additionalProperty: 'y' } },
      { instancePath: '/c', keyword: 'enum', params: { allowedValues: ['A', 'B'] } },
      { instancePath: '/d', keyword: 'type', params: { type: 'string' } },
      { instancePath: '/e', keyword: 'pattern', params: { pattern: '^a+$' } },
      { instancePath: '/f', keyword: 'minimum', params: { comparison: '>=', limit: 1 } },
      { instancePath: '/g', keyword: 'maximum', params: { comparison: '<=', limit: 9 } },
      { instancePath: '/h', keyword: 'exclusiveMinimum', params: { comparison: '>', limit: 0 } },
      { instancePath: '/i', keyword: 'exclusiveMaximum', params: { comparison: '<', limit: 10 } },
      { instancePath: '/j', keyword: 'minLength', params: { limit: 2 } },
      { instancePath: '/k', keyword: 'maxLength', params: { limit: 3 } },
      { instancePath: '/l', keyword: 'minItems', params: { limit: 1 } },
      { instancePath: '/m', keyword: 'maxItems', params: { limit: 50 } },
      { instancePath: '/n', keyword: 'anyOf', params: {} },
      { instancePath: '/o', keyword: 'format' },
      { instancePath: '/p', keyword: 'type', message: 'given words' },
      { instancePath: '/q' },
    ]);
    expect(toIssues(v)).toStrictEqual([
      { path: '/a', message: "must have required property 'x'" },
      { path: '/b', message: 'must NOT have additional properties (y)' },
      { path: '/c', message: 'must be equal to one of the allowed values: ["A","B"]' },
      { path: '/d', message: 'must be string' },
      { path: '/e', message: 'must match pattern "^a+$"' },
      { path: '/f', message: 'must be >= 1' },
      { path: '/g', message: 'must be <= 9' },
      { path: '/h', message: 'must be > 0' },
      { path: '/i', message: 'must be < 10' },
      { path: '/j', message: 'must NOT have fewer than 2 characters' },
      { path: '/k', message: 'must NOT have more than 3 characters' },
      { path: '/l', message: 'must NOT have fewer than 1 items' },
      { path: '/m', message: 'must NOT have more than 50 items' },
      { path: '/n', message: 'must match a schema in anyOf' },
      { path: '/o', message: 'must pass "format"' },
      { path: '/p', message: 'given words' },
      { path: '/q', message: 'must pass "undefined"' },
    ]);
    const none = validator([]);
    none.errors = null;
    expect(toIssues(none)).toStrictEqual([]);
  });

  test('the validator sees the wire input (csv split, times formatted); dot-segment issues are listed first', async () => {
    const v = validator([{ instancePath: '/size', keyword: 'minimum', params: { comparison: '>=', limit: 1 } }]);
    const op: OperationSpec = {
      ...list,
      params: [...list.params, { name: 'since', in: 'query', required: false, kind: 'time' }],
      validateInput: v,
    };
    const { t, calls } = transport([]);
    const err = (await t
      .invoke(op, { queueId: 'q', states: 'A,B', size: 0, since: new Date(Date.UTC(2024, 0, 1)) })
      .catch((e: unknown) => e)) as CiValidationError;
    expect(err).toBeInstanceOf(CiValidationError);
    expect(err.summary).toBe('Invalid ListThings input');
    expect(err.issues).toStrictEqual([{ path: '/size', message: 'must be >= 1' }]);
    expect(v.seen).toStrictEqual([{ queueId: 'q', states: ['A', 'B'], size: 0, since: '2024-01-01T08:00:00+0800' }]);
    const dot: OperationSpec = { ...getOne, validateInput: v };
    const both = (await t.invoke(dot, { id: '..' }).catch((e: unknown) => e)) as CiValidationError;
    expect(both.issues).toStrictEqual([
      { path: '/id', message: "must not be '.' or '..' (or '%2e' forms of them): the URL path would be rewritten" },
      { path: '/size', message: 'must be >= 1' },
    ]);
    const ok: OperationSpec = { ...getOne, validateInput: validator([]) };
    const dotOnly = (await t.invoke(ok, { id: '%2E' }).catch((e: unknown) => e)) as CiValidationError;
    expect(dotOnly.issues).toStrictEqual([
      { path: '/id', message: "must not be '.' or '..' (or '%2e' forms of them): the URL path would be rewritten" },
    ]);
    expect(calls).toHaveLength(0);
  });

  test('a list in the path keeps literal commas and encodes each item; time offsets follow timeOffsetMinutes', async () => {
    const jobs: OperationSpec = {
      id: 'GetJobs',
      method: 'GET',
      path: '/jobs/{ids}',
      params: [
        { name: 'ids', in: 'path', required: true, kind: 'csv' },
        { name: 'since', in: 'query', required: false, kind: 'time' },
      ],
      idempotent: true,
    };
    const { t, calls } = transport([new Response(null, { status: 200 })], { timeOffsetMinutes: 0 });
    await t.invoke(jobs, { ids: ['a b', 'c/d'], since: new Date(Date.UTC(2024, 0, 1)) });
    expect(calls[0]!.url).toBe(`${ENDPOINT}/jobs/a%20b,c%2Fd?since=2024-01-01T00%3A00%3A00%2B0000`);
    const bad = (await t.invoke(jobs, { ids: ['a,b'] }).catch((e: unknown) => e)) as CiValidationError;
    expect(bad.issues).toStrictEqual([{ path: '/ids', message: 'items must not contain a comma' }]);
    const empty = (await t.invoke(jobs, { ids: [] }).catch((e: unknown) => e)) as CiValidationError;
    expect(empty.issues).toStrictEqual([{ path: '/ids', message: 'must not be empty' }]);
    const lone = (await t.invoke(jobs, { ids: ['\ud800'] }).catch((e: unknown) => e)) as CiValidationError;
    expect(lone.issues).toStrictEqual([{ path: '/ids', message: 'holds a lone UTF-16 surrogate (not well-formed Unicode)' }]);
  });
});

describe('network failures: every code in our words, and whether it is retried', () => {
  const fetchError = (code: string, message = 'low-level') =>
    Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });
  const HP = `${HOST}:443`;
  // [code, message, attempts of a GET, attempts of a create]
  test.each<[string, string, number, number]>([
    ['ECONNREFUSED', `Could not connect to ${HP} (connection refused, ECONNREFUSED)`, 3, 3],
    ['ENOTFOUND', `Could not connect to ${HP} (host name not found, ENOTFOUND)`, 3, 3],
    ['EAI_AGAIN', `Could not connect to ${HP} (host name lookup failed for now, EAI_AGAIN)`, 3, 3],
    ['EHOSTUNREACH', `Could not connect to ${HP} (host unreachable, EHOSTUNREACH)`, 3, 3],
    ['ENETUNREACH', `Could not connect to ${HP} (network unreachable, ENETUNREACH)`, 3, 3],
    ['UND_ERR_CONNECT_TIMEOUT', `Could not connect to ${HP} (connecting timed out, UND_ERR_CONNECT_TIMEOUT)`, 3, 3],
    ['CERT_HAS_EXPIRED', `Could not connect to ${HP} (TLS certificate expired, CERT_HAS_EXPIRED)`, 1, 1],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', `Could not connect to ${HP} (self-signed TLS certificate, DEPTH_ZERO_SELF_SIGNED_CERT)`, 1, 1],
    ['SELF_SIGNED_CERT_IN_CHAIN', `Could not connect to ${HP} (self-signed TLS certificate in the chain, SELF_SIGNED_CERT_IN_CHAIN)`, 1, 1],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', `Could not connect to ${HP} (TLS certificate not trusted, UNABLE_TO_VERIFY_LEAF_SIGNATURE)`, 1, 1],
    [
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      `Could not connect to ${HP} (TLS certificate issuer unknown, UNABLE_TO_GET_ISSUER_CERT_LOCALLY)`,
      1,
      1,
    ],
    [
      'ERR_TLS_CERT_ALTNAME_INVALID',
      `Could not connect to ${HP} (TLS certificate is for another host, ERR_TLS_CERT_ALTNAME_INVALID)`,
      1,
      1,
    ],
    ['ECONNRESET', `GET /things/x on ${HP} failed: connection reset (ECONNRESET)`, 3, 1],
    ['EPIPE', `GET /things/x on ${HP} failed: connection closed while sending (EPIPE)`, 3, 1],
    ['ETIMEDOUT', `GET /things/x on ${HP} failed: connection timed out (ETIMEDOUT)`, 3, 1],
    ['UND_ERR_SOCKET', `GET /things/x on ${HP} failed: connection closed by the other side (UND_ERR_SOCKET)`, 3, 1],
    ['UND_ERR_HEADERS_TIMEOUT', `GET /things/x on ${HP} failed: no response headers in time (UND_ERR_HEADERS_TIMEOUT)`, 3, 1],
    ['UND_ERR_BODY_TIMEOUT', `GET /things/x on ${HP} failed: the response body stopped (UND_ERR_BODY_TIMEOUT)`, 3, 1],
    ['EWHATEVER', `GET /things/x on ${HP} failed: fetch failed: low-level (EWHATEVER)`, 3, 1],
  ])('%s', async (code, message, getAttempts, createAttempts) => {
    const thrown = () => fetchError(code);
    const get = transport([thrown(), thrown(), thrown()], { retryBaseDelayMs: 0 });
    const err = (await get.t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e)) as CiNetworkError;
    expect(err).toBeInstanceOf(CiNetworkError);
    expect(err.message).toBe(message);
    expect(get.calls).toHaveLength(getAttempts);
    const post = transport([thrown(), thrown(), thrown()], { retryBaseDelayMs: 0 });
    await expect(post.t.invoke(create, { Name: 'n' })).rejects.toThrow(CiNetworkError);
    expect(post.calls).toHaveLength(createAttempts);
  });

  test('the code and the "bad port" refusal are found up to 4 causes deep, not further', async () => {
    const chain = (depth: number, leaf: Error) => {
      let e: Error = leaf;
      for (let i = 1; i < depth; i++) e = new Error(`level ${depth - i}`, { cause: e });
      return e;
    };
    const deep4 = transport([chain(4, Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))], { maxAttempts: 1 });
    await expect(deep4.t.invoke(getOne, { id: 'x' })).rejects.toThrow(
      `Could not connect to ${HOST}:443 (connection refused, ECONNREFUSED)`,
    );
    const deep5 = transport([chain(5, Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))], { maxAttempts: 1 });
    await expect(deep5.t.invoke(getOne, { id: 'x' })).rejects.toThrow(`GET /things/x on ${HOST}:443 failed: level 1: level 2`);
    const port4 = transport([chain(4, new Error('bad port')), xml('<Response/>')]);
    await expect(port4.t.invoke(getOne, { id: 'x' })).rejects.toThrow(
      `Could not connect to ${HOST}:443 (fetch refuses port 443, a port the Fetch standard blocks)`,
    );
    expect(port4.calls).toHaveLength(1);
    const port5 = transport([chain(5, new Error('bad port')), xml('<Response/>')]);
    expect((await port5.t.invoke(getOne, { id: 'x' })).$metadata.attempts).toBe(2);
  });

  test('a failure that is not an Error is described as text; a code already in the message is not repeated', async () => {
    const fetch = (async () => {
      throw 'just a string';
    }) as unknown as typeof globalThis.fetch;
    const t = new Transport({ endpoint: ENDPOINT, credentials: CREDS, fetch, maxAttempts: 1 });
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toThrow(`GET /things/x on ${HOST}:443 failed: just a string`);
    const inMessage = transport([Object.assign(new Error('boom ECODE here'), { code: 'ECODE' })], { maxAttempts: 1 });
    await expect(inMessage.t.invoke(getOne, { id: 'x' })).rejects.toThrow(`GET /things/x on ${HOST}:443 failed: boom ECODE here`);
    const inCause = transport([new Error('outer', { cause: Object.assign(new Error('inner ECODE'), { code: 'ECODE' }) })], {
      maxAttempts: 1,
    });
    await expect(inCause.t.invoke(getOne, { id: 'x' })).rejects.toThrow(`GET /things/x on ${HOST}:443 failed: outer: inner ECODE`);
  });
});

describe('the transport object', () => {
  test('endpoint, clockOffsetMs, util.inspect and JSON show the endpoint only', () => {
    const { t } = transport([]);
    expect(t.endpoint).toBe(ENDPOINT);
    expect(t.clockOffsetMs).toBe(0);
    expect(t.toJSON()).toStrictEqual({ endpoint: ENDPOINT });
    expect(JSON.stringify(t)).toBe(`{"endpoint":"${ENDPOINT}"}`);
    expect(inspect(t)).toBe(`Transport { endpoint: '${ENDPOINT}' }`);
  });

  test('$metadata is not enumerable and carries the last attempt', async () => {
    const { t } = transport(
      [xml('<Error><Code>SlowDown</Code></Error>', 503), xml('<Response><Items>a</Items></Response>', 200, { 'x-ci-request-id': 'last' })],
      {
        retryBaseDelayMs: 0,
      },
    );
    const r = await t.invoke(getOne, { id: 'x' });
    expect(Object.keys(r)).toStrictEqual(['Items']);
    expect(Object.getOwnPropertyDescriptor(r, '$metadata')).toMatchObject({ enumerable: false });
    expect(r.$metadata).toStrictEqual({ requestId: 'last', statusCode: 200, attempts: 2, totalRetryDelayMs: 0 });
  });
});
