/** The transport: request building, signing per attempt, retries, time-outs, clock skew, error bodies. */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import {
  CiAbortError,
  CiCredentialsError,
  CiDecodeError,
  CiNetworkError,
  CiServiceError,
  CiTimeoutError,
  CiValidationError,
  Transport,
  documentShape,
  explainAuthorization,
  member,
  objectShape,
  parseAuthorization,
  type OperationSpec,
  type TransportConfig,
} from '../src';

const CREDS = { secretId: 'AKIDtransporttest000000000000000000', secretKey: 'transport-test-secret-not-real' };
const ENDPOINT = 'https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com';

const Page = documentShape('Response', objectShape([member('Items', 'string', { array: true, required: true }), member('Next', 'string')]));
const Body = documentShape('Request', objectShape([member('Name', 'string', { required: true }), member('Note', 'string')]));

const list: OperationSpec = {
  id: 'ListThings',
  method: 'GET',
  path: '/things',
  params: [
    { name: 'queueId', in: 'query', required: true, kind: 'string' },
    { name: 'states', in: 'query', required: false, kind: 'csv' },
    { name: 'since', in: 'query', required: false, kind: 'time' },
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
const cancel: OperationSpec = {
  id: 'CancelThing',
  method: 'PUT',
  path: '/things/{id}',
  params: [{ name: 'id', in: 'path', required: true, kind: 'string' }],
  flags: ['cancel'],
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

interface Call {
  url: string;
  init: RequestInit;
}

function xml(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'content-type': 'application/xml', 'x-ci-request-id': `rid-${status}`, ...headers } });
}

function transport(responses: Array<Response | Error | (() => Promise<Response>)>, config: Partial<TransportConfig> = {}) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next();
    return next;
  }) as unknown as typeof globalThis.fetch;
  const t = new Transport({ endpoint: ENDPOINT, credentials: CREDS, fetch, random: () => 0.5, retryBaseDelayMs: 1, ...config });
  return { t, calls };
}

const header = (call: Call, name: string) => (call.init.headers as Record<string, string>)[name];

describe('Transport.invoke', () => {
  test('builds the URL from wire names, encodes what it signs, and the signature re-derives', async () => {
    const { t, calls } = transport([xml('<Response><Items>a</Items><Next>n</Next></Response>')], { now: () => 1_700_000_000_000 });
    const r = await t.invoke(list, { queueId: 'q 1+', states: ['Success', 'Failed'], since: '2024-05-01T00:00:00+0800', size: 5 });
    expect(r).toEqual({ Items: ['a'], Next: 'n' });
    expect(r.$metadata).toEqual({ requestId: 'rid-200', statusCode: 200, attempts: 1, totalRetryDelayMs: 0 });
    expect(Object.keys(r)).not.toContain('$metadata');
    const url = new URL(calls[0]!.url);
    expect(url.search).toBe('?queueId=q%201%2B&states=Success%2CFailed&since=2024-05-01T00%3A00%3A00%2B0800&size=5');
    const auth = parseAuthorization(header(calls[0]!, 'Authorization'))!;
    expect(auth.keyTime).toBe('1699999999;1700000899');
    expect(auth.headerList).toEqual(['host']);
    expect(auth.urlParamList).toEqual(['queueid', 'since', 'size', 'states']);
    const again = explainAuthorization({
      ...CREDS,
      method: 'get',
      pathname: '/things',
      query: { queueId: 'q 1+', states: 'Success,Failed', since: '2024-05-01T00:00:00+0800', size: '5' },
      headers: { host: url.host },
      keyTime: auth.keyTime,
    });
    expect(again.signature).toBe(auth.signature);
  });

  test('path parameters are encoded on the URL and decoded in the signature; flags sign as k=', async () => {
    const { t, calls } = transport([new Response('', { status: 200 })], { now: () => 1_700_000_000_000 });
    await t.invoke(cancel, { id: 'j 中/1' });
    expect(calls[0]!.url).toBe(`${ENDPOINT}/things/j%20%E4%B8%AD%2F1?cancel`);
    expect(calls[0]!.init.method).toBe('PUT');
    const auth = parseAuthorization(header(calls[0]!, 'Authorization'))!;
    expect(auth.urlParamList).toEqual(['cancel']);
    const again = explainAuthorization({
      ...CREDS,
      method: 'PUT',
      pathname: '/things/j 中/1',
      query: { cancel: '' },
      headers: { host: new URL(ENDPOINT).host },
      keyTime: auth.keyTime,
    });
    expect(again.signature).toBe(auth.signature);
  });

  test("a path value holding $$, $& or $' is substituted literally (no replacement patterns)", async () => {
    const { t, calls } = transport([xml('<Response/>')], { now: () => 1_700_000_000_000 });
    await t.invoke(getOne, { id: "a$$b$&c$'d" });
    expect(calls[0]!.url).toBe(`${ENDPOINT}/things/a%24%24b%24%26c%24%27d`);
    const auth = parseAuthorization(header(calls[0]!, 'Authorization'))!;
    const again = explainAuthorization({
      ...CREDS,
      method: 'GET',
      pathname: "/things/a$$b$&c$'d",
      headers: { host: new URL(ENDPOINT).host },
      keyTime: auth.keyTime,
    });
    expect(again.signature).toBe(auth.signature);
  });

  test('a body is XML with Content-Type and Content-MD5, both signed; a session token is sent and signed', async () => {
    const { t, calls } = transport([xml('<Response/>')], { credentials: { ...CREDS, sessionToken: 'tok&en' } });
    await t.invoke(create, { Name: 'a&b<c>' });
    expect(calls[0]!.init.body).toBe('<Request><Name>a&amp;b&lt;c&gt;</Name></Request>');
    expect(header(calls[0]!, 'Content-Type')).toBe('application/xml');
    expect(header(calls[0]!, 'Content-MD5')).toBe(
      createHash('md5').update('<Request><Name>a&amp;b&lt;c&gt;</Name></Request>').digest('base64'),
    );
    expect(header(calls[0]!, 'x-ci-security-token')).toBe('tok&en');
    expect(parseAuthorization(header(calls[0]!, 'Authorization'))!.headerList).toEqual([
      'content-md5',
      'content-type',
      'host',
      'x-ci-security-token',
    ]);
  });

  test('bad input is refused before anything is sent', async () => {
    const { t, calls } = transport([]);
    await expect(t.invoke(list, {})).rejects.toThrow(CiValidationError);
    await expect(t.invoke(list, { queueId: 'q', since: 'yesterday' })).rejects.toThrow(/since/);
    await expect(t.invoke(create, { Note: 'x' })).rejects.toThrow(/Name is required/);
    await expect(t.invoke(create, { Name: 'x', Extra: 1 })).rejects.toThrow(/Extra is not a member/);
    await expect(t.invoke(getOne, { id: '' })).rejects.toThrow(/must not be empty/);
    expect(calls).toHaveLength(0);
  });

  test('bad configuration and call options are CiValidationErrors, and nothing is sent', async () => {
    for (const bad of [
      { maxAttempts: 0 },
      { maxAttempts: 1.5 },
      { timeoutMs: 0 },
      { retryBaseDelayMs: -1 },
      { validateResponses: 'bogus' },
    ]) {
      expect(() => new Transport({ endpoint: ENDPOINT, credentials: CREDS, ...(bad as object) })).toThrow(CiValidationError);
    }
    expect(() => new Transport({ endpoint: ENDPOINT, credentials: CREDS, maxAttempts: 0 })).toThrow(
      /maxAttempts must be a whole number >= 1/,
    );
    const { t, calls } = transport([]);
    await expect(t.invoke(getOne, { id: 'x' }, { timeoutMs: 'x' as never })).rejects.toThrow(/timeoutMs/);
    await expect(t.invoke(getOne, { id: 'x' }, { signal: 'nope' as never })).rejects.toThrow(/signal must be an AbortSignal/);
    await expect(t.invoke(list, { queueId: 'q', states: ['Success,Failed'] })).rejects.toThrow(/must not contain a comma/);
    expect(calls).toHaveLength(0);
  });

  test('missing credentials fail before any request', async () => {
    expect(() => new Transport({ endpoint: ENDPOINT, credentials: { secretId: '', secretKey: 'x' } })).toThrow(CiCredentialsError);
    const { t, calls } = transport([], { credentials: async () => ({ secretId: 'a', secretKey: '' }) });
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toThrow(CiCredentialsError);
    expect(calls).toHaveLength(0);
  });

  test('a non-XML error body still gives a CiServiceError with status and request id', async () => {
    const { t } = transport(
      [
        new Response('<html><body>502 Bad Gateway</body></html>', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'x-ci-request-id': 'proxy-rid' },
        }),
      ],
      { maxAttempts: 1 },
    );
    const err = (await t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e)) as CiServiceError;
    expect(err).toBeInstanceOf(CiServiceError);
    expect(err).toMatchObject({ code: 'Http502', statusCode: 502, requestId: 'proxy-rid', message: 'Bad Gateway' });
    expect(err.$response.bodyExcerpt).toContain('502 Bad Gateway');
    expect(Object.keys(err)).not.toContain('$response');
  });

  test('an error body under a <Response> root decodes too', async () => {
    const { t } = transport([
      xml('<Response><Code>InvalidArgument</Code><Message>bad size</Message><RequestId>r1</RequestId></Response>', 400),
    ]);
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: 'bad size',
      requestId: 'r1',
      statusCode: 400,
    });
  });

  test('idempotent calls retry 5xx and throttling, re-signing each attempt', async () => {
    let now = 1_700_000_000_000;
    const { t, calls } = transport(
      [
        xml('<Error><Code>ServiceUnavailable</Code></Error>', 503),
        () => {
          now += 5000;
          return Promise.resolve(xml('<Error><Code>Throttling</Code></Error>', 429));
        },
        xml('<Response/>'),
      ],
      { now: () => now },
    );
    const r = await t.invoke(getOne, { id: 'x' });
    expect(r.$metadata.attempts).toBe(3);
    expect(r.$metadata.totalRetryDelayMs).toBe(0 + 1); // full jitter with random 0.5: floor(0.5*1), floor(0.5*2)
    expect(calls).toHaveLength(3);
    expect(header(calls[2]!, 'Authorization')).not.toBe(header(calls[0]!, 'Authorization'));
  });

  test('Retry-After is honoured (capped by retryMaxDelayMs)', async () => {
    const { t } = transport([xml('<Error><Code>SlowDown</Code></Error>', 503, { 'retry-after': '1' }), xml('<Response/>')], {
      retryMaxDelayMs: 30,
    });
    const r = await t.invoke(getOne, { id: 'x' });
    expect(r.$metadata.totalRetryDelayMs).toBe(30);
  });

  test('a create is never retried once it may have reached the server', async () => {
    const { t, calls } = transport([xml('<Error><Code>InternalError</Code></Error>', 500)]);
    await expect(t.invoke(create, { Name: 'x' })).rejects.toMatchObject({ code: 'InternalError' });
    expect(calls).toHaveLength(1);
    const reset = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    });
    const second = transport([reset]);
    await expect(second.t.invoke(create, { Name: 'x' })).rejects.toThrow(CiNetworkError);
    expect(second.calls).toHaveLength(1);
  });

  test('a create is retried when the connection was refused (never sent)', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const { t, calls } = transport([refused, xml('<Response/>')]);
    await t.invoke(create, { Name: 'x' });
    expect(calls).toHaveLength(2);
  });

  test('4xx errors are not retried', async () => {
    const { t, calls } = transport([xml('<Error><Code>InvalidArgument</Code></Error>', 400)]);
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ code: 'InvalidArgument' });
    expect(calls).toHaveLength(1);
  });

  test('clock skew: re-signs with the server time from Date, retries once, keeps the offset', async () => {
    const local = Date.UTC(2024, 0, 1, 0, 0, 0);
    const server = local + 3600_000;
    const { t, calls } = transport(
      [
        xml('<Error><Code>RequestTimeTooSkewed</Code><Message>skewed</Message></Error>', 403, { date: new Date(server).toUTCString() }),
        xml('<Response/>'),
        xml('<Response/>'),
      ],
      { now: () => local },
    );
    await t.invoke(getOne, { id: 'x' });
    expect(t.clockOffsetMs).toBe(3600_000);
    const keyStart = (i: number) => Number(parseAuthorization(header(calls[i]!, 'Authorization'))!.keyTime.split(';')[0]);
    expect(keyStart(0)).toBe(local / 1000 - 1);
    expect(keyStart(1)).toBe(server / 1000 - 1);
    await t.invoke(getOne, { id: 'x' });
    expect(keyStart(2)).toBe(server / 1000 - 1);
  });

  test('AccessDenied "Request has expired" is a skew too', async () => {
    const local = Date.UTC(2024, 0, 1);
    const { t } = transport(
      [
        xml('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>', 403, {
          date: new Date(local - 7200_000).toUTCString(),
        }),
        xml('<Response/>'),
      ],
      { now: () => local, maxAttempts: 1 },
    );
    await t.invoke(getOne, { id: 'x' });
    expect(t.clockOffsetMs).toBe(-7200_000);
  });

  test('an already-aborted signal sends nothing', async () => {
    const { t, calls } = transport([xml('<Response/>')]);
    await expect(t.invoke(getOne, { id: 'x' }, { signal: AbortSignal.abort() })).rejects.toThrow(CiAbortError);
    expect(calls).toHaveLength(0);
  });

  test('a hung request times out with CiTimeoutError; an abort mid-flight is CiAbortError', async () => {
    const hang = (init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const calls: RequestInit[] = [];
    const fetch = ((_url: string, init: RequestInit) => {
      calls.push(init);
      return hang(init);
    }) as unknown as typeof globalThis.fetch;
    const t = new Transport({ endpoint: ENDPOINT, credentials: CREDS, fetch, maxAttempts: 1 });
    await expect(t.invoke(getOne, { id: 'x' }, { timeoutMs: 20 })).rejects.toThrow(CiTimeoutError);
    const controller = new AbortController();
    const pending = t.invoke(getOne, { id: 'x' }, { signal: controller.signal, timeoutMs: 5000 });
    setTimeout(() => controller.abort(new Error('user gave up')), 10);
    await expect(pending).rejects.toThrow(CiAbortError);
  });

  test('a 200 with an empty, HTML or truncated body where XML is expected is a CiDecodeError', async () => {
    for (const body of ['', '<html><body>OK</body></html>', '<Response><Items>a</Items>']) {
      const { t } = transport([new Response(body, { status: 200 })], { maxAttempts: 1 });
      await expect(t.invoke(getOne, { id: 'x' })).rejects.toThrow(CiDecodeError);
    }
  });

  test('a reset connection on a GET is retried, then a CiNetworkError', async () => {
    const reset = () =>
      Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    const { t, calls } = transport([reset(), reset(), reset()]);
    const err = await t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CiNetworkError);
    expect((err as Error).message).toMatch(/ECONNRESET|socket hang up/);
    expect(calls).toHaveLength(3);
  });

  test('a body that stalls mid-read times out', async () => {
    const fetch = (async (_url: string, init: RequestInit) => {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('<Response><Items>'));
          init.signal?.addEventListener('abort', () => controller.error(init.signal!.reason));
        },
      });
      return new Response(stream, { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const t = new Transport({ endpoint: ENDPOINT, credentials: CREDS, fetch, maxAttempts: 1 });
    await expect(t.invoke(getOne, { id: 'x' }, { timeoutMs: 30 })).rejects.toThrow(CiTimeoutError);
  });

  test('a body larger than maxResponseBytes is refused', async () => {
    const { t } = transport([xml(`<Response>${'<Items>x</Items>'.repeat(1000)}</Response>`)], { maxResponseBytes: 1000 });
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toThrow(/maxResponseBytes/);
  });

  test('secrets stay out of util.inspect, JSON and errors', async () => {
    const { t } = transport([xml('<Error><Code>SignatureDoesNotMatch</Code></Error>', 403)]);
    const shown = inspect(t, { depth: 10, showHidden: true }) + JSON.stringify(t);
    expect(shown).not.toContain(CREDS.secretKey);
    const err = await t.invoke(getOne, { id: 'x' }).catch((e: unknown) => e);
    const dump = inspect(err, { depth: 10, showHidden: true }) + JSON.stringify(err);
    expect(dump).not.toContain(CREDS.secretKey);
  });
});
