/**
 * The transport part of the hostile corpus (issue 12, and issue 11 item 6). Each table is a category of
 * hostile input and each row one case of it; every case must end in the right typed error or the right
 * result: never a hang, a crash, a silent wrong value, a poisoned client or a leaked secret.
 *
 * Categories:
 *  1. stalls: a credentials provider, a fetch, a body or a retry sleep that never ends, with real timers:
 *     CiTimeoutError / CiAbortError within timeoutMs plus a margin, readers cancelled, no timer left
 *     (and a fast-check property over the stall point and timeoutMs);
 *  2. clock skew: a server Date far in the future or past, malformed, repeated skew answers, the local
 *     clock fixed by NTP after learning, a clock that gives no usable time;
 *  3. secrets: every form of the session token, the SecretKey and the signature × every place an error
 *     shows text (message, stack, util.inspect, $response headers and excerpt, causes, excerpts);
 *  4. credentials and headers fetch would not send as signed (control characters, edge whitespace);
 *  5. path ids that are dot segments (`.`, `..`, `%2e` forms);
 *  6. bad text: invalid UTF-8 in 2xx and error bodies, lone UTF-16 surrogates in bodies, paths, queries;
 *  7. 2xx answers whose body is an `<Error>` document;
 *  8. network failures, said in our own words, causes kept;
 *  9. warnings bounded over a client's life;
 * 10. a fetch that gives no Response, a body that gives no bytes.
 */
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import fc from 'fast-check';
import {
  CiAbortError,
  CiCredentialsError,
  CiDecodeError,
  CiError,
  CiNetworkError,
  CiServiceError,
  CiTimeoutError,
  CiValidationError,
  MAX_CLOCK_OFFSET_MS,
  MAX_WARNINGS_PER_CLIENT,
  Transport,
  documentShape,
  encodeRfc3986,
  member,
  objectShape,
  parseAuthorization,
  type Credentials,
  type OperationSpec,
  type TransportConfig,
} from '../src';

const CREDS = { secretId: 'AKIDhostiletest00000000000000000000', secretKey: 'hostile-secret/key+NOT=real' };
const ENDPOINT = 'https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com';
const HOST_PORT = 'examplebucket-1250000000.ci.ap-beijing.myqcloud.com:443';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const Page = documentShape('Response', objectShape([member('Items', 'string', { array: true }), member('Count', 'integer')]));
const Body = documentShape('Request', objectShape([member('Name', 'string', { required: true })]));
const getOne: OperationSpec = {
  id: 'GetThing',
  method: 'GET',
  path: '/things/{id}',
  params: [
    { name: 'id', in: 'path', required: true, kind: 'string' },
    { name: 'queueId', in: 'query', required: false, kind: 'string' },
  ],
  response: Page,
  idempotent: true,
};
const getMany: OperationSpec = {
  id: 'GetThings',
  method: 'GET',
  path: '/things/{ids}',
  params: [{ name: 'ids', in: 'path', required: true, kind: 'csv' }],
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

type Handler = (url: string, init: RequestInit, index: number) => unknown;
interface Sent {
  url: string;
  init: RequestInit;
}

/** A transport whose fetch is `handler`; records what was sent. */
function transport(handler: Handler, config: Partial<TransportConfig> = {}) {
  const sent: Sent[] = [];
  const fetch = ((url: string, init: RequestInit) => {
    sent.push({ url, init });
    return handler(url, init, sent.length - 1);
  }) as unknown as typeof globalThis.fetch;
  const t = new Transport({ endpoint: ENDPOINT, credentials: CREDS, fetch, random: () => 0.5, retryBaseDelayMs: 1, ...config });
  return { t, sent };
}

/** Answers in turn, then repeats the last. */
const answers =
  (...list: Array<() => unknown>): Handler =>
  (_url, _init, i) =>
    list[Math.min(i, list.length - 1)]!();

const xml = (body: string | Uint8Array, status = 200, headers: Record<string, string> = {}) =>
  new Response(body as BodyInit, {
    status,
    headers: { 'content-type': 'application/xml', 'x-ci-request-id': `rid-${status}`, ...headers },
  });
const OK = () => xml('<Response><Items>a</Items></Response>');
const never = <T = never>() => new Promise<T>(() => undefined);
const header = (s: Sent, name: string) => (s.init.headers as Record<string, string>)[name];
const keyStart = (s: Sent) => Number(parseAuthorization(header(s, 'Authorization'))!.keyTime.split(';')[0]);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(v)}`);
    },
    (e: unknown) => e,
  );
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A body of `chunks` that then stalls forever; `state.cancelled` tells whether the reader was cancelled. */
function stallingBody(chunks: readonly string[], options: { ignoreCancel?: boolean } = {}) {
  const state = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
    },
    pull: () => never(),
    cancel: () => {
      state.cancelled = true;
      return options.ignoreCancel ? never() : undefined;
    },
  });
  return { response: new Response(stream, { status: 200, headers: { 'content-type': 'application/xml' } }), state };
}

// ---------------------------------------------------------------------------------------------------------
// 1. stalls

/** Generous: other engineers' tests share the 2 cores; what matters is that the call ends, typed. */
const MARGIN_MS = 1_500;

interface StallCase {
  /** The transport config and a check run after the call ended. */
  setup(): { config: Partial<TransportConfig>; handler: Handler; after?: () => void | Promise<void> };
}

const STALLS: ReadonlyArray<readonly [string, StallCase]> = [
  ['a credentials provider that never answers', { setup: () => ({ config: { credentials: () => never<Credentials>() }, handler: OK }) }],
  [
    'a credentials provider that answers after the deadline (its credentials are kept for the next call)',
    {
      setup: () => {
        const late = deferred<Credentials>();
        let calls = 0;
        const config = {
          credentials: () => (calls++ === 0 ? late.promise : Promise.resolve(CREDS)),
        };
        return { config, handler: OK, after: () => late.resolve(CREDS) };
      },
    },
  ],
  ['a fetch that ignores its signal and never answers', { setup: () => ({ config: {}, handler: () => never() }) }],
  [
    'a fetch that ignores its signal and answers after the deadline (the late body is released)',
    {
      setup: () => {
        const late = deferred<Response>();
        const body = stallingBody(['<Response>']);
        return {
          config: {},
          handler: () => late.promise,
          after: async () => {
            late.resolve(body.response);
            await new Promise((r) => setImmediate(r));
            expect(body.state.cancelled).toBe(true);
          },
        };
      },
    },
  ],
  [
    'a body that stalls before its first byte',
    {
      setup: () => {
        const body = stallingBody([]);
        return { config: {}, handler: () => body.response, after: () => expect(body.state.cancelled).toBe(true) };
      },
    },
  ],
  [
    'a body that stalls mid-body',
    {
      setup: () => {
        const body = stallingBody(['<Response><Ite', 'ms>a</Items>']);
        return { config: {}, handler: () => body.response, after: () => expect(body.state.cancelled).toBe(true) };
      },
    },
  ],
  [
    'a body that stalls mid-body and whose cancel never ends',
    {
      setup: () => {
        const body = stallingBody(['<Response>'], { ignoreCancel: true });
        return { config: {}, handler: () => body.response, after: () => expect(body.state.cancelled).toBe(true) };
      },
    },
  ],
  [
    'the retry sleep (a 503 asking for a Retry-After longer than the deadline)',
    {
      setup: () => ({
        config: { retryMaxDelayMs: 600_000 },
        handler: () => xml('<Error><Code>SlowDown</Code></Error>', 503, { 'retry-after': '600' }),
      }),
    },
  ],
];

describe('1. stalls: every await of a call is bounded by timeoutMs and the signal', () => {
  test.each(STALLS)('%s: CiTimeoutError at timeoutMs', async (_label, c) => {
    const { config, handler, after } = c.setup();
    const { t } = transport(handler, config);
    const timeoutMs = 40;
    const started = performance.now();
    const err = await rejection(t.invoke(getOne, { id: 'x' }, { timeoutMs }));
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(CiTimeoutError);
    expect((err as CiTimeoutError).timeoutMs).toBe(timeoutMs);
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 2);
    expect(elapsed).toBeLessThan(timeoutMs + MARGIN_MS);
    await after?.();
  });

  test.each(STALLS)('%s: CiAbortError when the signal fires', async (_label, c) => {
    const { config, handler, after } = c.setup();
    const { t } = transport(handler, config);
    const controller = new AbortController();
    const reason = new Error('user gave up');
    setTimeout(() => controller.abort(reason), 25);
    const started = performance.now();
    const err = await rejection(t.invoke(getOne, { id: 'x' }, { timeoutMs: 60_000, signal: controller.signal }));
    expect(err).toBeInstanceOf(CiAbortError);
    expect((err as CiAbortError).cause).toBe(reason);
    expect(performance.now() - started).toBeLessThan(25 + MARGIN_MS);
    await after?.();
  });

  test('a provider that answered late is used by the next call', async () => {
    const late = deferred<Credentials>();
    let calls = 0;
    const { t, sent } = transport(OK, { credentials: () => (calls++ === 0 ? late.promise : never<Credentials>()) });
    await expect(t.invoke(getOne, { id: 'x' }, { timeoutMs: 20 })).rejects.toBeInstanceOf(CiTimeoutError);
    late.resolve({ ...CREDS, secretId: 'AKIDlate' });
    await new Promise((r) => setImmediate(r));
    await t.invoke(getOne, { id: 'x' });
    expect(parseAuthorization(header(sent[0]!, 'Authorization'))!.secretId).toBe('AKIDlate');
  });

  test('a timeoutMs or a retry delay beyond what setTimeout keeps (2^31 − 1 ms) does not fire at once', async () => {
    const { t } = transport(OK);
    await expect(t.invoke(getOne, { id: 'x' }, { timeoutMs: 3e9 })).resolves.toMatchObject({ Items: ['a'] });
    const slow = transport(() => xml('<Error><Code>SlowDown</Code></Error>', 503, { 'retry-after': '10000000' }), {
      retryMaxDelayMs: 1e10,
    });
    await expect(slow.t.invoke(getOne, { id: 'x' }, { timeoutMs: 50 })).rejects.toBeInstanceOf(CiTimeoutError);
    expect(slow.sent).toHaveLength(1); // waiting, not hammering
  });

  test('after every stalled call, no timer of the transport is left behind', async () => {
    // every timer the transport starts is tracked: each must have fired or been cleared when its call ends
    // (the process-wide count would also see timers of jest and of other libraries)
    const pending = new Set<unknown>();
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    const set = jest.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      const id: unknown = realSet(() => {
        pending.delete(id);
        fn();
      }, ms);
      pending.add(id);
      return id;
    }) as typeof setTimeout);
    const clear = jest.spyOn(globalThis, 'clearTimeout').mockImplementation(((id: Parameters<typeof clearTimeout>[0]) => {
      pending.delete(id);
      realClear(id);
    }) as typeof clearTimeout);
    try {
      for (const [, c] of STALLS) {
        const { config, handler } = c.setup();
        const { t } = transport(handler, config);
        await rejection(t.invoke(getOne, { id: 'x' }, { timeoutMs: 15 }));
        const controller = new AbortController();
        const call = rejection(t.invoke(getOne, { id: 'x' }, { timeoutMs: 60_000, signal: controller.signal }));
        controller.abort();
        await call;
      }
      expect(set).toHaveBeenCalled();
      expect(pending.size).toBe(0);
    } finally {
      set.mockRestore();
      clear.mockRestore();
    }
  });

  test('property: any stall point, any small timeoutMs, timed out or aborted: ends in time, typed', async () => {
    const kinds = ['provider', 'fetch', 'body', 'sleep'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          kind: fc.constantFrom(...kinds),
          chunks: fc.integer({ min: 0, max: 3 }),
          failuresFirst: fc.integer({ min: 0, max: 2 }),
          timeoutMs: fc.integer({ min: 10, max: 60 }),
          abortAfterMs: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
        }),
        async ({ kind, chunks, failuresFirst, timeoutMs, abortAfterMs }) => {
          // a few quick 503s first (retried at once), then the stall
          const stall = (): unknown => {
            if (kind === 'fetch') return never();
            if (kind === 'body') return stallingBody(Array.from({ length: chunks }, (_, i) => `<Response><Items>${i}</Items>`)).response;
            return xml('<Error><Code>SlowDown</Code></Error>', 503, { 'retry-after': '600' });
          };
          const handler: Handler = (_u, _i, n) => (n < failuresFirst ? xml('<Error/>', 503) : stall());
          const config: Partial<TransportConfig> = {
            maxAttempts: 10,
            retryMaxDelayMs: 600_000,
            ...(kind === 'provider' ? { credentials: () => never<Credentials>() } : {}),
          };
          const { t } = transport(handler, config);
          const controller = new AbortController();
          const budget = abortAfterMs === undefined ? timeoutMs : abortAfterMs;
          const callTimeout = abortAfterMs === undefined ? timeoutMs : 60_000;
          if (abortAfterMs !== undefined) setTimeout(() => controller.abort(), abortAfterMs);
          const started = performance.now();
          const err = await rejection(t.invoke(getOne, { id: 'x' }, { timeoutMs: callTimeout, signal: controller.signal }));
          const elapsed = performance.now() - started;
          expect(err).toBeInstanceOf(abortAfterMs === undefined ? CiTimeoutError : CiAbortError);
          expect(elapsed).toBeLessThan(budget + MARGIN_MS);
          if (abortAfterMs === undefined) expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 2);
        },
      ),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// 2. clock skew

const LOCAL = Date.UTC(2024, 0, 1, 0, 0, 0);
const skewAnswer =
  (serverMs: number | string, code = 'RequestTimeTooSkewed', message = 'skewed') =>
  () =>
    xml(`<Error><Code>${code}</Code><Message>${message}</Message></Error>`, 403, {
      date: typeof serverMs === 'string' ? serverMs : new Date(serverMs).toUTCString(),
    });

describe('2. clock skew: learned against the corrected clock, bounded, never poisoning the client', () => {
  const PLAUSIBLE: ReadonlyArray<readonly [string, number]> = [
    ['an hour ahead', HOUR],
    ['14 hours behind (a time zone taken for UTC)', -14 * HOUR],
    ['6 days ahead (a restored VM)', 6 * DAY],
    ['6 days behind', -6 * DAY],
  ];
  test.each(PLAUSIBLE)('a server %s: corrected, re-sent once, kept for the next call', async (_label, skew) => {
    const { t, sent } = transport(answers(skewAnswer(LOCAL + skew), OK), { now: () => LOCAL });
    await t.invoke(getOne, { id: 'x' });
    expect(t.clockOffsetMs).toBe(skew);
    expect(sent.map(keyStart)).toEqual([LOCAL / 1000 - 1, (LOCAL + skew) / 1000 - 1]);
    await t.invoke(getOne, { id: 'x' });
    expect(keyStart(sent[2]!)).toBe((LOCAL + skew) / 1000 - 1);
  });

  const IMPLAUSIBLE: ReadonlyArray<readonly [string, number | string]> = [
    ['8 days ahead', LOCAL + 8 * DAY],
    ['8 days behind', LOCAL - 8 * DAY],
    ['in 2100', Date.UTC(2100, 0, 1)],
    ['in 9999', Date.UTC(9999, 11, 31)],
    ['at the epoch (1970)', 0],
    ['before the epoch (1969)', Date.UTC(1969, 6, 20)],
    ['missing', ''],
    ['not a date', 'yesterday'],
    ['a bare number (Date.parse reads 2001)', '1'],
    ['an ISO date instead of an HTTP date', '2024-01-01T01:00:00Z'],
    ['an HTTP date with an offset instead of GMT', 'Mon, 01 Jan 2024 09:00:00 +0800'],
  ];
  test.each(IMPLAUSIBLE)('a Date %s is refused: the skew answer surfaces, the clock stays', async (_label, date) => {
    const { t, sent } = transport(answers(skewAnswer(date), OK), { now: () => LOCAL, maxAttempts: 3 });
    const err = await rejection(t.invoke(getOne, { id: 'x' }));
    expect(err).toBeInstanceOf(CiServiceError);
    expect((err as CiServiceError).code).toBe('RequestTimeTooSkewed');
    expect(sent).toHaveLength(1);
    expect(t.clockOffsetMs).toBe(0);
    // the next call is signed by the local clock, and works
    await t.invoke(getOne, { id: 'x' });
    expect(keyStart(sent[1]!)).toBe(LOCAL / 1000 - 1);
  });

  test('AccessDenied "Request has expired" far in the past is refused the same way', async () => {
    const { t, sent } = transport(answers(skewAnswer(0, 'AccessDenied', 'Request has expired'), OK), { now: () => LOCAL });
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(sent).toHaveLength(1);
    expect(t.clockOffsetMs).toBe(0);
  });

  test('repeated skew answers with the same Date: one re-send, then the error (no loop)', async () => {
    const { t, sent } = transport(skewAnswer(LOCAL + HOUR), { now: () => LOCAL, maxAttempts: 5 });
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ code: 'RequestTimeTooSkewed' });
    expect(sent).toHaveLength(2);
    expect(t.clockOffsetMs).toBe(HOUR);
  });

  test('a skew answer whose Date agrees with the corrected clock is not ours to fix: no re-send', async () => {
    const { t, sent } = transport(answers(skewAnswer(LOCAL + 10_000), OK), { now: () => LOCAL });
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ code: 'RequestTimeTooSkewed' });
    expect(sent).toHaveLength(1);
    expect(t.clockOffsetMs).toBe(0);
  });

  test('every skew answer is learned from, against the corrected clock: a server clock running away', async () => {
    let server = LOCAL + HOUR;
    const { t, sent } = transport(
      () => {
        const answer = skewAnswer(server)();
        server += HOUR;
        return answer;
      },
      { now: () => LOCAL },
    );
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ code: 'RequestTimeTooSkewed' });
    expect(sent).toHaveLength(2); // one re-send per call
    expect(t.clockOffsetMs).toBe(2 * HOUR); // but the second answer was learned too
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toMatchObject({ code: 'RequestTimeTooSkewed' });
    expect(keyStart(sent[2]!)).toBe((LOCAL + 2 * HOUR) / 1000 - 1);
  });

  test('the local clock fixed by NTP after learning: the next skew answer takes the offset back to 0', async () => {
    const server = LOCAL + HOUR; // the true time
    let local = LOCAL; // an hour slow
    const { t, sent } = transport(
      (_url, init) => {
        const start = Number(parseAuthorization((init.headers as Record<string, string>).Authorization)!.keyTime.split(';')[0]);
        // the server accepts a start within 15 min of its clock
        return Math.abs(start * 1000 - server) <= 15 * 60_000 ? OK() : skewAnswer(server)();
      },
      { now: () => local },
    );
    await t.invoke(getOne, { id: 'x' });
    expect(t.clockOffsetMs).toBe(HOUR);
    local = server; // NTP
    const r = await t.invoke(getOne, { id: 'x' });
    expect(r.$metadata.attempts).toBe(1);
    expect(t.clockOffsetMs).toBe(0);
    expect(sent).toHaveLength(4); // 403, 200, 403, 200
    await t.invoke(getOne, { id: 'x' });
    expect(sent).toHaveLength(5); // signed right the first time again
  });

  test('a retry after a skew answer re-reads the clock', async () => {
    let local = LOCAL;
    const { t, sent } = transport(
      answers(
        skewAnswer(LOCAL + HOUR),
        () => {
          local += 5_000;
          return xml('<Error><Code>ServiceUnavailable</Code></Error>', 503);
        },
        OK,
      ),
      { now: () => local },
    );
    await t.invoke(getOne, { id: 'x' });
    expect(sent.map(keyStart)).toEqual([LOCAL / 1000 - 1, (LOCAL + HOUR) / 1000 - 1, (LOCAL + HOUR + 5_000) / 1000 - 1]);
  });

  test('a skew answer on a create is re-sent too (the service refused before acting)', async () => {
    const { t, sent } = transport(answers(skewAnswer(LOCAL + HOUR), OK), { now: () => LOCAL });
    await t.invoke(create, { Name: 'x' });
    expect(sent).toHaveLength(2);
  });

  test.each([
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
    ['a negative time', -5],
  ])('a clock that gives %s: a CiValidationError naming now, nothing sent', async (_label, value) => {
    const { t, sent } = transport(OK, { now: () => value });
    const err = await rejection(t.invoke(getOne, { id: 'x' }));
    expect(err).toBeInstanceOf(CiValidationError);
    expect((err as CiValidationError).issues[0]!.path).toBe('now');
    expect(sent).toHaveLength(0);
  });

  test('a learned offset that would put the KeyTime before the epoch is dropped: never a negative or NaN start', async () => {
    const local = DAY; // 1970-01-02, a dead RTC battery
    const { t, sent } = transport(answers(skewAnswer(-DAY), OK), { now: () => local });
    await t.invoke(getOne, { id: 'x' });
    for (const s of sent) {
      expect(Number.isSafeInteger(keyStart(s))).toBe(true);
      expect(keyStart(s)).toBeGreaterThanOrEqual(0);
    }
    expect(t.clockOffsetMs).toBe(0);
  });

  test('the bound is 7 days', () => {
    expect(MAX_CLOCK_OFFSET_MS).toBe(7 * DAY);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 3. secrets

const TOKEN = 'AgoGtok/en+with=padding-and-more-characters-0123456789';
const TEMP = { ...CREDS, sessionToken: TOKEN };

/** Every form a secret may come back in. */
const SECRET_FORMS: ReadonlyArray<readonly [string, (s: string) => string]> = [
  ['raw', (s) => s],
  ['percent-encoded (upper-case hex)', (s) => encodeRfc3986(s)],
  ['percent-encoded (lower-case hex)', (s) => encodeRfc3986(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
  [
    'percent-encoded (mixed-case hex)',
    (s) => encodeRfc3986(s).replace(/%([0-9A-F])([0-9A-F])/g, (_m, a: string, b: string) => `%${a}${b.toLowerCase()}`),
  ],
  ['encodeURIComponent', (s) => encodeURIComponent(s)],
  ['encoded twice', (s) => encodeURIComponent(encodeURIComponent(s))],
  ['JSON-escaped', (s) => JSON.stringify(s).slice(1, -1)],
];

/** Where a hostile answer puts a text: each gives the response (or failure) that carries `text`. */
const PLACES: ReadonlyArray<readonly [string, (text: string, init: RequestInit) => unknown, OperationSpec?]> = [
  [
    'the Message of a SignatureDoesNotMatch (the echoed HttpString)',
    (text) =>
      xml(
        `<Error><Code>SignatureDoesNotMatch</Code><Message>HttpString: get\\n/things/x\\n\\nhost=h&amp;x-ci-security-token=${text}\\n</Message></Error>`,
        403,
      ),
  ],
  [
    'another element of the error body (the excerpt)',
    (text) => xml(`<Error><Code>AccessDenied</Code><StringToSign>${text}</StringToSign></Error>`, 403),
  ],
  ['a response header', (text) => xml('<Error><Code>AccessDenied</Code></Error>', 403, { 'x-echo': text.replace(/[^\x20-\x7e]/g, '') })],
  ['the Code and RequestId', (text) => xml(`<Error><Code>C${text}</Code><RequestId>r${text}</RequestId></Error>`, 400)],
  ['a non-XML error page', (text) => new Response(`<html>proxy says ${text}</html>`, { status: 502 })],
  // the excerpt is cut at 1024 characters: the texts start 5 characters before the cut
  [
    'across the excerpt cut (a long body)',
    (text) => xml(`<Error><Code>X</Code><Pad>${'p'.repeat(1024 - 26 - 5)}${text}</Pad></Error>`, 400),
  ],
  ['a 2xx <Error> document', (text) => xml(`<Error><Code>AccessDenied</Code><Message>${text}</Message></Error>`, 200)],
  ['the excerpt of a 2xx that does not decode', (text) => xml(`<Response><Count>${text}</Count></Response>`, 200)],
  // the decoder cuts its excerpts at 200 characters: a secret across that cut cannot be recognised, so it is withheld
  ['across the cut of a decode excerpt', (text) => xml(`<Response><Count>${'9'.repeat(195)}${text}</Count></Response>`, 200)],
  ['the message of a fetch error', (text) => Promise.reject(new TypeError(`Headers.append: "${text}" is an invalid header value.`))],
  [
    'the cause of a fetch error',
    (text) =>
      Promise.reject(
        Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(`bad header ${text}`), { code: 'ERR_X' }) }),
      ),
  ],
  [
    'a fetch that throws synchronously',
    (text) => {
      throw new TypeError(`invalid header: ${text}`);
    },
  ],
  [
    'a body stream that errors',
    (text) =>
      new Response(
        new ReadableStream({
          start(c) {
            c.error(new Error(`socket said ${text}`));
          },
        }),
        { status: 200 },
      ),
  ],
];

/** Everything an error shows: message, stack, toString, util.inspect (hidden members, causes), JSON, $response. */
function dump(err: unknown): string {
  const e = err as CiServiceError;
  return [
    e.message,
    e.stack,
    String(e),
    inspect(e, { depth: 10, showHidden: true }),
    JSON.stringify(e),
    JSON.stringify(e.$response ?? {}),
  ].join('\n');
}

describe('3. secrets never leak: every form × every place', () => {
  const cases = SECRET_FORMS.flatMap(([form, write]) => PLACES.map(([place, answer, op]) => [form, place, write, answer, op] as const));

  test.each(cases)('the session token, the SecretKey and the signature written %s in %s', async (_form, _place, write, answer, op) => {
    // the hostile answer echoes the token, the key and the Authorization (its q-signature) it received
    const { t, sent } = transport(
      (_url, init) => answer(`${write(TOKEN)} ${write(CREDS.secretKey)} ${write(header({ url: '', init }, 'Authorization') ?? '')}`, init),
      {
        credentials: TEMP,
        maxAttempts: 1,
      },
    );
    const err = await rejection(t.invoke(op ?? getOne, { id: 'x' }));
    expect(CiError.isInstance(err)).toBe(true);
    const shown = dump(err);
    const signature = parseAuthorization(header(sent[0]!, 'Authorization'))!.signature;
    for (const secret of [TOKEN, CREDS.secretKey, signature]) {
      // not whole, and not its start either (a secret cut by an excerpt)
      for (const [, form] of SECRET_FORMS) expect(shown).not.toContain(form(secret).slice(0, 8));
    }
    // the text did arrive, redacted (a decode error may show no excerpt at all, or one withheld)
    if (!(err instanceof CiDecodeError)) expect(shown).toMatch(/\[reda/);
  });

  test('the redacted excerpt keeps its shape: cut at 1024 characters, the rest counted', async () => {
    const { t } = transport(() => xml(`<Error><Code>X</Code><Pad>${'p'.repeat(2000)}</Pad>${TOKEN}</Error>`, 400), {
      credentials: TEMP,
      maxAttempts: 1,
    });
    const err = (await rejection(t.invoke(getOne, { id: 'x' }))) as CiServiceError;
    expect(err.$response.bodyExcerpt).toMatch(/^<Error><Code>X<\/Code><Pad>p+… \(\d+ more characters\)$/);
    expect(err.$response.bodyExcerpt.length).toBeLessThan(1100);
  });

  test('an ordinary fetch error keeps its cause object (nothing to redact)', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const { t } = transport(() => Promise.reject(refused), { credentials: TEMP, maxAttempts: 1 });
    const err = (await rejection(t.invoke(getOne, { id: 'x' }))) as CiNetworkError;
    expect(err.cause).toBe(refused);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 4. what is signed is what is sent

const UNSENDABLE: ReadonlyArray<readonly [string, string]> = [
  ['CR', 'a\rb'],
  ['LF', 'a\nb'],
  ['TAB', 'a\tb'],
  ['NUL', 'a\0b'],
  ['a trailing newline', 'ab\n'],
  ['a trailing CRLF', 'ab\r\n'],
  ['a leading space', ' ab'],
  ['a trailing space', 'ab '],
  ['a percent-encoded LF (harmless: sent as is)', 'ab%0A'],
];

describe('4. credentials and headers fetch would not send as signed are refused before sending', () => {
  test.each(UNSENDABLE)('a session token with %s from a provider', async (label, token) => {
    const { t, sent } = transport(OK, { credentials: async () => ({ ...CREDS, sessionToken: token }) });
    const run = t.invoke(getOne, { id: 'x' });
    if (label.startsWith('a percent-encoded')) {
      await run;
      expect(header(sent[0]!, 'x-ci-security-token')).toBe(token);
      return;
    }
    const err = await rejection(run);
    expect(err).toBeInstanceOf(CiCredentialsError);
    expect((err as Error).message).toMatch(/sessionToken/);
    expect(dump(err)).not.toContain(token);
    expect(sent).toHaveLength(0);
  });

  test.each(UNSENDABLE.slice(0, -1))('a SecretId or SecretKey with %s given statically: refused at construction', (_label, value) => {
    for (const field of ['secretId', 'secretKey'] as const) {
      expect(() => new Transport({ endpoint: ENDPOINT, credentials: { ...CREDS, [field]: value.replace('ab', 'AKIDab') } })).toThrow(
        new RegExp(`credentials: ${field} (holds|has leading)`),
      );
    }
  });

  test.each(UNSENDABLE.slice(0, -1))('an extra header with %s: a CiValidationError at construction', (_label, value) => {
    expect(() => new Transport({ endpoint: ENDPOINT, credentials: CREDS, headers: { 'x-ci-extra': value } })).toThrow(
      /headers\.x-ci-extra/,
    );
  });

  test.each(['Authorization', 'host', 'Content-Type', 'content-md5', 'X-CI-Security-Token', 'Content-Length'])(
    'an extra header %s, which the transport sets and signs, is refused',
    (name) => {
      expect(() => new Transport({ endpoint: ENDPOINT, credentials: CREDS, headers: { [name]: 'v' } })).toThrow(/is set by the transport/);
    },
  );

  test('a provider answering an object that throws when read: a CiCredentialsError, nothing sent', async () => {
    const hostile = {
      get secretId(): string {
        throw new Error('boom');
      },
    };
    const { t, sent } = transport(OK, { credentials: async () => hostile as unknown as Credentials });
    const err = await rejection(t.invoke(getOne, { id: 'x' }));
    expect(err).toBeInstanceOf(CiCredentialsError);
    expect((err as Error).message).toBe('credentials provider: the credentials it returned could not be read');
    expect(sent).toHaveLength(0);
  });

  test('a bad header name, or a hook that is not a function, is refused', () => {
    expect(() => new Transport({ endpoint: ENDPOINT, credentials: CREDS, headers: { 'bad name': 'v' } })).toThrow(
      /is not a valid header name/,
    );
    for (const key of ['fetch', 'now', 'random'] as const) {
      expect(() => new Transport({ endpoint: ENDPOINT, credentials: CREDS, [key]: 42 as never })).toThrow(
        new RegExp(`${key} must be a function`),
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// 5. dot-segment path ids

const DOT_IDS = ['.', '..', '%2e', '%2E', '.%2e', '%2e.', '%2E%2E', '%2e%2E', '.%2E'];
const NOT_DOT_IDS = ['...', 'a..b', '.a', '..a', 'a.', '%2e%2e%2e', '%252e', '. ', ' ..'];

describe('5. path ids that are dot segments are refused (the URL path would be rewritten)', () => {
  test.each(DOT_IDS)('%j as a path id, alone or in a list: a CiValidationError naming the parameter, nothing sent', async (id) => {
    const { t, sent } = transport(OK);
    for (const [op, input, name] of [
      [getOne, { id }, 'id'],
      [cancel, { id }, 'id'],
      [getMany, { ids: [id] }, 'ids'],
      [getMany, { ids: ['a', id] }, 'ids'],
      [getMany, { ids: `a,${id}` }, 'ids'],
    ] as const) {
      const err = await rejection(t.invoke(op, input));
      expect(err).toBeInstanceOf(CiValidationError);
      expect((err as CiValidationError).issues).toContainEqual(
        expect.objectContaining({ path: `/${name}`, message: expect.stringMatching(/must not be '\.' or '\.\.'/) }),
      );
    }
    expect(sent).toHaveLength(0);
  });

  test.each(NOT_DOT_IDS)('%j is an id like any other: sent as one encoded segment, the path intact', async (id) => {
    const { t, sent } = transport(OK);
    await t.invoke(getOne, { id });
    expect(new URL(sent[0]!.url).pathname).toBe(`/things/${encodeRfc3986(id)}`);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 6. bad text

const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));
const INVALID_UTF8: ReadonlyArray<readonly [string, number[]]> = [
  ['a lone continuation byte', [0x80]],
  ['an overlong slash', [0xc0, 0xaf]],
  ['a truncated sequence', [0xe4, 0xb8]],
  ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ['0xFF', [0xff]],
  ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
];
const LONE_SURROGATES: ReadonlyArray<readonly [string, string]> = [
  ['a high surrogate alone', '\ud800'],
  ['a low surrogate alone', '\udc00'],
  ['one inside text', 'a\ud83db'],
  ['a reversed pair', '\ude00\ud83d'],
  ['a high surrogate at the end', 'clip\ud83d'],
];

describe('6. bad text is a typed error, never U+FFFD in silence', () => {
  test.each(INVALID_UTF8)('%s in a 2xx body: CiDecodeError', async (_label, bad) => {
    const { t } = transport(() => xml(bytes('<Response><Items>a', bad, 'b</Items></Response>')));
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toThrow(new CiDecodeError('The response body is not valid UTF-8'));
  });

  test.each(INVALID_UTF8)('%s in an error body: a CiServiceError that says so', async (_label, bad) => {
    const { t } = transport(() => xml(bytes('<Error><Code>InvalidArgument</Code><Message>bad ', bad, '</Message></Error>'), 400));
    const err = (await rejection(t.invoke(getOne, { id: 'x' }))) as CiServiceError;
    expect(err).toBeInstanceOf(CiServiceError);
    expect(err.code).toBe('InvalidArgument');
    expect(err.message).toMatch(/the response body is not valid UTF-8; undecodable bytes show as U\+FFFD/);
  });

  test('a character split across chunks decodes (the body is decoded whole, not chunk by chunk)', async () => {
    const whole = bytes('<Response><Items>中文😀</Items></Response>');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < whole.length; i += 1) c.enqueue(whole.slice(i, i + 1));
        c.close();
      },
    });
    const { t } = transport(() => new Response(stream, { status: 200 }));
    await expect(t.invoke(getOne, { id: 'x' })).resolves.toMatchObject({ Items: ['中文😀'] });
  });

  test.each(LONE_SURROGATES)('%s in a body string: a CiValidationError naming the member, nothing sent', async (_label, text) => {
    const { t, sent } = transport(OK);
    const err = await rejection(t.invoke(create, { Name: text }));
    expect(err).toBeInstanceOf(CiValidationError);
    expect((err as CiValidationError).issues).toEqual([
      { path: '/Name', message: 'holds a lone UTF-16 surrogate (not well-formed Unicode)' },
    ]);
    expect(sent).toHaveLength(0);
  });

  test.each(LONE_SURROGATES)('%s in a path or query parameter: a CiValidationError naming it', async (_label, text) => {
    const { t, sent } = transport(OK);
    for (const [input, path] of [
      [{ id: text }, '/id'],
      [{ id: 'x', queueId: text }, '/queueId'],
    ] as const) {
      const err = await rejection(t.invoke(getOne, input));
      expect((err as CiValidationError).issues).toEqual([{ path, message: 'holds a lone UTF-16 surrogate (not well-formed Unicode)' }]);
    }
    expect(sent).toHaveLength(0);
  });

  test('a well-formed pair is sent', async () => {
    const { t, sent } = transport(OK);
    await t.invoke(create, { Name: 'cat 😀' });
    expect(sent[0]!.init.body).toBe('<Request><Name>cat 😀</Name></Request>');
  });
});

// ---------------------------------------------------------------------------------------------------------
// 7. 2xx <Error> documents

const ERROR_DOC = '<Error><Code>AccessDenied</Code><Message>no access</Message><RequestId>NjQ4Yz</RequestId></Error>';
const ERROR_DOCS: ReadonlyArray<readonly [string, string]> = [
  ['bare', ERROR_DOC],
  ['with an XML declaration', `<?xml version="1.0" encoding="UTF-8"?>\n${ERROR_DOC}`],
  ['with a BOM', `\ufeff${ERROR_DOC}`],
  ['after a comment and whitespace', `\n  <!-- gateway -->\n${ERROR_DOC}\n`],
];

describe('7. a 2xx whose body is an <Error> document is a CiServiceError', () => {
  test.each(ERROR_DOCS)('%s, status 200 or 202, with or without a response shape', async (_label, body) => {
    for (const status of [200, 202]) {
      for (const op of [getOne, cancel]) {
        const { t } = transport(() => xml(body, status));
        const err = await rejection(t.invoke(op, { id: 'x' }));
        expect(err).toBeInstanceOf(CiServiceError);
        expect(err).toMatchObject({ code: 'AccessDenied', message: 'no access', requestId: 'NjQ4Yz', statusCode: status });
      }
    }
  });

  test('a retryable code in a 2xx <Error> is retried on an idempotent call', async () => {
    const { t, sent } = transport(answers(() => xml('<Error><Code>InternalError</Code></Error>', 200), OK));
    await t.invoke(getOne, { id: 'x' });
    expect(sent).toHaveLength(2);
  });

  test.each([
    ['another root', '<Errors><Code>X</Code></Errors>'],
    ['an unclosed <Error>', '<Error><Code>X</Code>'],
  ])('%s is still a CiDecodeError', async (_label, body) => {
    const { t } = transport(() => xml(body, 200));
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toBeInstanceOf(CiDecodeError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 8. network failures

const fetchError = (code: string, message = `${code} message`) =>
  Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });

const NETWORK: ReadonlyArray<readonly [code: string, message: RegExp, attempts: number]> = [
  ['ECONNREFUSED', new RegExp(`^Could not connect to ${HOST_PORT} \\(connection refused, ECONNREFUSED\\)$`), 3],
  ['ENOTFOUND', new RegExp(`^Could not connect to ${HOST_PORT} \\(host name not found, ENOTFOUND\\)$`), 3],
  ['EAI_AGAIN', /^Could not connect to .* \(host name lookup failed for now, EAI_AGAIN\)$/, 3],
  ['UND_ERR_CONNECT_TIMEOUT', /^Could not connect to .* \(connecting timed out, UND_ERR_CONNECT_TIMEOUT\)$/, 3],
  ['ECONNRESET', new RegExp(`^GET /things/x on ${HOST_PORT} failed: connection reset \\(ECONNRESET\\)$`), 3],
  ['CERT_HAS_EXPIRED', /^Could not connect to .* \(TLS certificate expired, CERT_HAS_EXPIRED\)$/, 1],
  ['ESOMETHINGNEW', /^GET \/things\/x on .* failed: fetch failed: ESOMETHINGNEW message$/, 3],
];

describe('8. network failures are said in our own words, the cause kept', () => {
  test.each(NETWORK)('%s', async (code, message, attempts) => {
    const thrown = fetchError(code);
    const { t, sent } = transport(() => Promise.reject(thrown));
    const err = (await rejection(t.invoke(getOne, { id: 'x' }))) as CiNetworkError;
    expect(err).toBeInstanceOf(CiNetworkError);
    expect(err.message).toMatch(message);
    expect(err.cause).toBe(thrown);
    expect(sent).toHaveLength(attempts);
  });

  test('a real fetch to a blocked port (127.0.0.1:1): our words, not "fetch failed", and no retry', async () => {
    let calls = 0;
    const t = new Transport({
      endpoint: 'http://127.0.0.1:1',
      credentials: CREDS,
      fetch: ((url: string, init: RequestInit) => (calls++, fetch(url, init))) as typeof fetch,
    });
    const err = (await rejection(t.invoke(getOne, { id: 'x' }))) as CiNetworkError;
    expect(err).toBeInstanceOf(CiNetworkError);
    expect(err.message).toBe('Could not connect to 127.0.0.1:1 (fetch refuses port 1, a port the Fetch standard blocks)');
    expect((err.cause as Error).message).toBe('fetch failed');
    expect(calls).toBe(1);
  });

  test('a real fetch to a closed port: connection refused, ECONNREFUSED', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    const t = new Transport({ endpoint: `http://127.0.0.1:${port}`, credentials: CREDS, maxAttempts: 1 });
    const err = (await rejection(t.invoke(getOne, { id: 'x' }))) as CiNetworkError;
    expect(err.message).toBe(`Could not connect to 127.0.0.1:${port} (connection refused, ECONNREFUSED)`);
    expect((err.cause as Error).message).toBe('fetch failed');
  });
});

// ---------------------------------------------------------------------------------------------------------
// 9. warnings

describe('9. warnings are bounded over a client’s life', () => {
  test(`at most ${MAX_WARNINGS_PER_CLIENT} distinct warnings, then one "suppressed" line, then nothing`, async () => {
    let call = 0;
    const lines: string[] = [];
    // each answer holds two elements the spec does not know, new ones every time, and one that repeats
    const { t } = transport(() => (call++, xml(`<Response><Items>a</Items><New${call}a/><New${call}b/><Same/></Response>`)), {
      validateResponses: 'warn',
      logger: { warn: (m) => lines.push(m) },
    });
    for (let i = 0; i < MAX_WARNINGS_PER_CLIENT; i++) await t.invoke(getOne, { id: 'x' });
    expect(lines).toHaveLength(MAX_WARNINGS_PER_CLIENT + 1);
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.at(-1)).toMatch(/further ones are suppressed/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 10. a fetch or body that does not keep its contract

describe('10. a fetch that gives no Response, a body that gives no bytes', () => {
  test.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', '<Response/>'],
    ['an object without headers', { status: 200 }],
  ])('fetch resolving with %s: CiNetworkError', async (_label, value) => {
    const { t } = transport(() => Promise.resolve(value));
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toThrow(new CiNetworkError('fetch resolved with something that is not a Response'));
  });

  test('a body stream that enqueues strings: CiDecodeError', async () => {
    const stream = new ReadableStream({
      start(c) {
        c.enqueue('<Response/>');
        c.close();
      },
    });
    const { t } = transport(() => new Response(stream as ReadableStream<Uint8Array>, { status: 200 }));
    await expect(t.invoke(getOne, { id: 'x' })).rejects.toThrow(/chunk that is not bytes/);
  });
});
