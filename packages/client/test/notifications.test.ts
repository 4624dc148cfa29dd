/**
 * Job notifications: parseJobNotification on the documented samples (XML and JSON) and hostile bodies, and the
 * receiver for Node's http and fetch-style servers, attacked with huge, truncated, mistyped and unauthorised bodies.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CiDecodeError } from '@cloud-infinite/runtime';
import {
  createNotificationHandler,
  parseJobNotification,
  redactToken,
  type JobNotification,
  type NotificationContext,
  type NotificationHandlerOptions,
} from '../src';
import { loadRecordings } from './contract/recordings';

const recordings = loadRecordings().filter((r) => r.operationId === 'JobNotification');
const XML = recordings.find((r) => r.name === 'doc-sample')!.request.body;
const JSON_BODY = recordings.find((r) => r.name === 'doc-sample-json')!.request.body;

describe('parseJobNotification', () => {
  test('the documented XML sample: the typed job, as the list calls decode it', () => {
    const n = parseJobNotification(XML, { contentType: 'application/xml' });
    expect(n.EventName).toBe('TaskFinish');
    expect(n.JobsDetail).toHaveLength(1);
    const job = n.JobsDetail[0]!;
    expect(job).toMatchObject({ JobId: 'j682b9662f84611ecb8546d80f2baf56f', State: 'Success', Tag: 'Animation', Message: '' });
    expect(job.Operation!.MediaResult!.OutputFile!.ObjectName).toStrictEqual(['output/animation.gif']);
    expect(job.Operation!.MediaInfo!.Stream!.Video![0]!.Width).toBe('1280');
    // <Audio/> and <Subtitle/> of a GIF are no streams
    expect(job.Operation!.MediaInfo!.Stream).not.toHaveProperty('Audio');
    expect(job.Operation!.MediaInfo!.Stream).not.toHaveProperty('Subtitle');
  });

  test('the documented JSON sample: the same typed job (JobsDetail an object there, an array here)', () => {
    const json = parseJobNotification(JSON_BODY, { contentType: 'application/json' });
    const xml = parseJobNotification(XML);
    const strip = (n: JobNotification) => {
      const job = structuredClone(n.JobsDetail[0]!) as unknown as Record<string, unknown> & { Input?: Record<string, unknown> };
      delete job.Workflow;
      delete job.Message;
      delete job.Input?.CosHeaders;
      const file = (job.Operation as { MediaResult: { OutputFile: Record<string, unknown> } }).MediaResult.OutputFile;
      delete file.ObjectPrefix;
      return job;
    };
    // the JSON sample is of a workflow-started job and leaves out empty elements; the rest is the same job
    expect(strip(json)).toStrictEqual(strip(xml));
    expect(json.JobsDetail[0]!.Input!.CosHeaders).toHaveLength(4);
    expect(json.JobsDetail[0]!.Workflow).toStrictEqual([
      {
        Name: 'Animation_1581665960537',
        RunId: 'ic90edd59f84f11ec9d4f525400a3c59f',
        WorkflowId: 'web6ac56c1ef54dbfa44d7f4103203be9',
        WorkflowName: 'workflow-test',
      },
    ]);
  });

  test('the format: the content type decides, else the first character; bytes are UTF-8', () => {
    expect(parseJobNotification(JSON_BODY).JobsDetail).toHaveLength(1);
    expect(parseJobNotification(`\ufeff  ${XML}`, { contentType: 'text/plain; charset=utf-8' }).JobsDetail).toHaveLength(1);
    expect(parseJobNotification(new TextEncoder().encode(XML), { contentType: 'text/xml' }).JobsDetail).toHaveLength(1);
    expect(
      parseJobNotification('{"JobsDetail":{"JobId":"j1","State":"Success","Tag":"Animation","Operation":{"JobLevel":0}}}').JobsDetail[0],
    ).toStrictEqual({
      JobId: 'j1',
      State: 'Success',
      Tag: 'Animation',
      Operation: { JobLevel: '0' },
    });
  });

  test.each<[string, string | Uint8Array, string | undefined]>([
    ['JSON where XML is declared', JSON_BODY, 'application/xml'],
    ['XML where JSON is declared', XML, 'application/json'],
    ['an HTML page', '<html><body>hi</body></html>', 'text/html'],
    ['a form', 'a=1', 'application/x-www-form-urlencoded'],
    ['truncated XML', XML.slice(0, 300), undefined],
    ['truncated JSON', JSON_BODY.slice(0, 300), undefined],
    ['another document', '<Error><Code>AccessDenied</Code></Error>', undefined],
    ['invalid UTF-8', new Uint8Array([0x3c, 0x52, 0xff, 0xfe, 0x3e]), undefined],
    ['empty', '', undefined],
    [
      'a value the spec cannot convert',
      '<Response><JobsDetail><JobId>j</JobId><State>Success</State><Tag>Animation</Tag><Operation><MediaInfo>text</MediaInfo></Operation></JobsDetail></Response>',
      undefined,
    ],
  ])('%s is a CiDecodeError', (_label, body, contentType) => {
    expect(() => parseJobNotification(body, { contentType })).toThrow(CiDecodeError);
  });

  test('a body larger than maxBytes is refused, as text or bytes', () => {
    const big = XML.replace('This is my Animation job.', 'x'.repeat(2000));
    expect(() => parseJobNotification(big, { maxBytes: 1000 })).toThrow(/larger than 1000 bytes/);
    expect(() => parseJobNotification(new TextEncoder().encode(big), { maxBytes: 1000 })).toThrow(/larger than 1000 bytes/);
  });
});

// ------------------------------------------------------------------------------------------- the receiver

interface Received {
  readonly notifications: JobNotification[];
  readonly contexts: NotificationContext[];
  readonly errors: Array<{ error: unknown; status: number; url: string }>;
}

function receiver(options: NotificationHandlerOptions = {}, onNotification?: () => void) {
  const got: Received = { notifications: [], contexts: [], errors: [] };
  const handler = createNotificationHandler(
    (n, context) => {
      got.notifications.push(n);
      got.contexts.push(context);
      onNotification?.();
    },
    { ...options, onError: (error, ctx) => got.errors.push({ error, ...ctx }) },
  );
  return { handler, got };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe.each(['node', 'fetch'] as const)('createNotificationHandler (%s)', (kind) => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  /** Sends one request to the handler the way `kind` serves it; resolves with the status and body. */
  async function send(
    handler: ReturnType<typeof createNotificationHandler>,
    init: {
      method?: string;
      path?: string;
      body?: string | Uint8Array;
      contentType?: string;
      chunks?: Uint8Array[];
      stallMs?: number;
      /** Send a Content-Length header (the body's own length). */
      declareLength?: boolean;
    },
  ): Promise<{ status: number; text: string }> {
    const method = init.method ?? 'POST';
    const path = init.path ?? '/ci/callback';
    if (kind === 'fetch') {
      const headers: Record<string, string> = {};
      if (init.contentType) headers['content-type'] = init.contentType;
      if (init.declareLength) headers['content-length'] = String(Buffer.byteLength(init.body ?? ''));
      let body: BodyInit | undefined = init.body as BodyInit | undefined;
      if (init.chunks || init.stallMs) {
        const chunks = init.chunks ?? [];
        body = new ReadableStream<Uint8Array>({
          async start(c) {
            for (const chunk of chunks) c.enqueue(chunk);
            if (init.stallMs) await new Promise((r) => setTimeout(r, init.stallMs));
            c.close();
          },
        });
      }
      const res = await handler(new Request(`http://receiver.test${path}`, { method, headers, body, duplex: 'half' } as RequestInit));
      return { status: res.status, text: await res.text() };
    }
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          method,
          headers: {
            ...(init.contentType ? { 'content-type': init.contentType } : {}),
            ...(init.declareLength ? { 'content-length': String(Buffer.byteLength(init.body ?? '')) } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      const write = async () => {
        if (init.body !== undefined) req.write(init.body);
        for (const chunk of init.chunks ?? []) req.write(chunk);
        if (init.stallMs) await new Promise((r) => setTimeout(r, init.stallMs));
        req.end();
      };
      void write();
    });
  }

  test('a declared Content-Length over maxBodyBytes is refused before the body is read; an undeclared one while reading', async () => {
    const { handler, got } = receiver({ maxBodyBytes: 1000 });
    const declared = await send(handler, { body: 'x'.repeat(5000), contentType: 'application/xml', declareLength: true });
    expect(declared).toStrictEqual({ status: 413, text: 'The notification (5000 bytes) is larger than 1000 bytes\n' });
    const streamed = await send(handler, {
      chunks: [new Uint8Array(800).fill(60), new Uint8Array(800).fill(60)],
      contentType: 'application/xml',
    });
    expect(streamed).toStrictEqual({ status: 413, text: 'The notification is larger than 1000 bytes\n' });
    expect(got.errors.map((e) => (e as { status: number }).status)).toStrictEqual([413, 413]);
  });

  test('a notification is answered 200 at once, without waiting for onNotification, then handed over typed', async () => {
    // onNotification does not finish until the test has the answers: a handler that waited for it would hang here
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const notifications: JobNotification[] = [];
    const errors: unknown[] = [];
    const handler = createNotificationHandler(
      async (n) => {
        notifications.push(n);
        await gate;
      },
      { onError: (e) => errors.push(e) },
    );
    expect(await send(handler, { body: XML, contentType: 'application/xml' })).toStrictEqual({ status: 200, text: '' });
    expect((await send(handler, { body: JSON_BODY, contentType: 'application/json' })).status).toBe(200);
    release();
    await settle();
    expect(notifications.map((n) => n.JobsDetail[0]!.JobId)).toStrictEqual([
      'j682b9662f84611ecb8546d80f2baf56f',
      'j682b9662f84611ecb8546d80f2baf56f',
    ]);
    expect(errors).toStrictEqual([]);
  });

  test.each<[string, Parameters<typeof send>[1], number, NotificationHandlerOptions]>([
    ['a GET', { method: 'GET' }, 405, {}],
    [
      'a huge body (declared)',
      { body: 'x'.repeat(5000), contentType: 'application/xml', declareLength: true },
      413,
      { maxBodyBytes: 1000 },
    ],
    [
      'a huge body (streamed, no length)',
      { chunks: [new Uint8Array(800).fill(60), new Uint8Array(800).fill(60)], contentType: 'application/xml' },
      413,
      { maxBodyBytes: 1000 },
    ],
    ['a truncated body', { body: XML.slice(0, XML.length / 2), contentType: 'application/xml' }, 400, {}],
    ['a wrong content type', { body: XML, contentType: 'text/html' }, 415, {}],
    ['JSON where XML was asked for (content type)', { body: JSON_BODY, contentType: 'application/json' }, 415, { expect: 'XML' }],
    ['JSON where XML was asked for (body)', { body: JSON_BODY, contentType: 'text/plain' }, 400, { expect: 'XML' }],
    ['JSON under an XML content type', { body: JSON_BODY, contentType: 'application/xml' }, 400, {}],
    ['garbage', { body: '\u0000\u0001 not a notification', contentType: 'text/plain' }, 400, {}],
    ['an empty body', { body: '', contentType: 'application/xml' }, 400, {}],
    ['no token where one is required', { body: XML, contentType: 'application/xml' }, 401, { token: 's3cret' }],
    ['a wrong token', { body: XML, contentType: 'application/xml', path: '/ci/callback?token=guess' }, 401, { token: 's3cret' }],
    ['the token and more', { body: XML, contentType: 'application/xml', path: '/ci/callback?token=s3cretguess' }, 401, { token: 's3cret' }],
    ['a prefix of the token', { body: XML, contentType: 'application/xml', path: '/ci/callback?token=s3c' }, 401, { token: 's3cret' }],
    ['an empty JSON object', { body: '{}', contentType: 'application/json' }, 400, {}],
    ['an empty <Response/>', { body: '<Response/>', contentType: 'application/xml' }, 400, {}],
    ['an Error document as JSON', { body: '{"Error":{"Code":"x","Message":"guess"}}', contentType: 'application/json' }, 400, {}],
    [
      "a workflow's notification (another event, no job)",
      { body: '{"EventName":"WorkflowFinish","WorkflowExecution":{"RunId":"r1"}}', contentType: 'application/json' },
      400,
      {},
    ],
    [
      'a body that stalls',
      { chunks: [new TextEncoder().encode(XML.slice(0, 100))], stallMs: 400, contentType: 'application/xml' },
      408,
      { bodyTimeoutMs: 100 },
    ],
  ])('%s is refused, reported, and nothing is handed over', async (_label, init, status, options) => {
    const { handler, got } = receiver(options);
    const res = await send(handler, init);
    expect(res.status).toBe(status);
    await settle();
    expect(got.notifications).toStrictEqual([]);
    expect(got.errors).toHaveLength(1);
    expect(got.errors[0]!.status).toBe(status);
    // the token never shows in what is reported
    expect(JSON.stringify(got.errors[0]!.url)).not.toContain('guess');
  });

  test('the right token is accepted; the reported URL never shows it', async () => {
    const { handler, got } = receiver({ token: 's3cret' });
    expect((await send(handler, { body: XML, contentType: 'application/xml', path: '/ci/callback?job=1&token=s3cret' })).status).toBe(200);
    await settle();
    expect(got.notifications).toHaveLength(1);
    expect(got.contexts.map((c) => c.url)).toStrictEqual(['/ci/callback?job=1&token=***']);
  });

  test('the token as written or percent-decoded (a + in it, an encoded name); both hidden in what is reported', async () => {
    const { handler, got } = receiver({ token: 'a+b/c=' });
    for (const path of ['/ci?token=a+b/c=', '/ci?token=a%2Bb%2Fc%3D', '/ci?tok%65n=a%2Bb%2Fc%3D&x=1']) {
      expect([path, (await send(handler, { body: XML, contentType: 'application/xml', path })).status]).toStrictEqual([path, 200]);
    }
    await settle();
    expect(got.contexts.map((c) => c.url)).toStrictEqual(['/ci?token=***', '/ci?token=***', '/ci?tok%65n=***&x=1']);
    expect(got.errors).toStrictEqual([]);
  });

  test('a failing onNotification (or onError) never reaches the server', async () => {
    const errors: unknown[] = [];
    const handler = createNotificationHandler(
      async () => {
        throw new Error('user code failed');
      },
      {
        onError: (e) => {
          errors.push(e);
          throw new Error('onError failed too');
        },
      },
    );
    expect((await send(handler, { body: XML, contentType: 'application/xml' })).status).toBe(200);
    await settle();
    expect(errors).toStrictEqual([new Error('user code failed')]);
    // and the server still answers
    expect((await send(handler, { method: 'PUT' })).status).toBe(405);
  });
});

describe('createNotificationHandler: how it is called, and its options', () => {
  test.each([
    ['Workers (request, env, ctx)', [{ SECRET: 'x' }, { waitUntil: () => undefined }]],
    ['Bun (request, server)', [{ port: 3000, stop: () => undefined }]],
    ['Deno (request, info)', [{ remoteAddr: { hostname: '127.0.0.1' } }]],
    ['Next.js (request, { params })', [{ params: {} }]],
  ])('the fetch form under %s: a Response, and nothing written to the other arguments', async (_label, extra) => {
    const { handler, got } = receiver();
    const others = extra.map((e) => ({ ...e }));
    const call = handler as unknown as (...args: unknown[]) => Promise<Response>;
    const res = await call(
      new Request('http://receiver.test/ci', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: XML }),
      ...others,
    );
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(others).toStrictEqual(extra.map((e) => ({ ...e })));
    await settle();
    expect(got.notifications).toHaveLength(1);
    expect(got.errors).toStrictEqual([]);
  });

  test('a platform context with waitUntil (Workers ctx) is given a promise that settles when onNotification has', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let finished = false;
    const handler = createNotificationHandler(async () => {
      await gate;
      finished = true;
    });
    const kept: Promise<void>[] = [];
    const ctx = {
      waitUntil(p: Promise<void>) {
        expect(this).toBe(ctx);
        kept.push(p);
      },
    };
    const res = await handler(
      new Request('http://receiver.test/ci', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: XML }),
      {},
      ctx,
    );
    expect(res.status).toBe(200);
    expect(kept).toHaveLength(1);
    let keptSettled = false;
    void kept[0]!.then(() => (keptSettled = true));
    await settle();
    expect([finished, keptSettled]).toStrictEqual([false, false]);
    release();
    await kept[0];
    expect(finished).toBe(true);
  });

  test('the waitUntil option is used in both forms, and one that throws goes to onError', async () => {
    const kept: Promise<void>[] = [];
    const { handler, got } = receiver({ waitUntil: (p) => void kept.push(p) });
    await handler(new Request('http://receiver.test/ci', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: XML }));
    expect(kept).toHaveLength(1);
    await kept[0];
    expect(got.notifications).toHaveLength(1);
    const boom = new Error('no waitUntil here');
    const throwing = receiver({
      waitUntil: () => {
        throw boom;
      },
    });
    const res = await throwing.handler(
      new Request('http://receiver.test/ci', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: XML }),
    );
    expect(res.status).toBe(200);
    await settle();
    expect(throwing.got.notifications).toHaveLength(1);
    expect(throwing.got.errors).toStrictEqual([{ error: boom, status: 200, url: '/ci' }]);
  });

  test("a fetch Request whose body the server already read is a 500 (not the sender's fault), reported", async () => {
    const { handler, got } = receiver();
    const request = new Request('http://receiver.test/ci', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: XML });
    await request.text();
    const res = await handler(request);
    expect([res.status, await res.text()]).toStrictEqual([500, 'The request body was already read before the notification handler ran\n']);
    expect(got.errors.map((e) => (e as { status: number }).status)).toStrictEqual([500]);
    expect(got.notifications).toStrictEqual([]);
  });

  /** A Node request a body parser has read already, and a response that records what it is told. */
  function consumed(body: unknown, contentType = 'application/xml') {
    const req = { method: 'POST', url: '/ci', headers: { 'content-type': contentType }, readableEnded: true, body, on: () => req };
    const res = { statusCode: 0, text: '', headersSent: false, setHeader: () => undefined, end: (t?: string) => void (res.text = t ?? '') };
    return { req, res };
  }

  test('after a body parser that kept the raw body (express.raw(), express.text()): the notification, at once', async () => {
    for (const body of [XML, new TextEncoder().encode(XML), Buffer.from(XML)]) {
      const { handler, got } = receiver();
      const { req, res } = consumed(body);
      handler(req, res);
      expect(res.statusCode).toBe(200);
      await settle();
      expect(got.notifications.map((n) => n.JobsDetail[0]!.JobId)).toStrictEqual(['j682b9662f84611ecb8546d80f2baf56f']);
    }
  });

  test('after a body parser that kept only a parsed object (express.json()): a 500 that says what to do, at once', () => {
    const { handler, got } = receiver();
    const { req, res } = consumed({ EventName: 'TaskFinish' }, 'application/json');
    handler(req, res);
    expect(res.statusCode).toBe(500);
    expect(res.text).toContain('mount the handler before body parsers');
    expect(got.errors.map((e) => e.status)).toStrictEqual([500]);
  });

  test.each([
    ['maxBodyBytes NaN', { maxBodyBytes: Number.NaN }, RangeError],
    ['maxBodyBytes 0', { maxBodyBytes: 0 }, RangeError],
    ['bodyTimeoutMs NaN', { bodyTimeoutMs: Number.NaN }, RangeError],
    ['bodyTimeoutMs 1.5', { bodyTimeoutMs: 1.5 }, RangeError],
    ['token undefined (an unset variable)', { token: undefined }, TypeError],
    ['token empty', { token: '' }, TypeError],
    ['tokenParameter empty', { tokenParameter: '' }, TypeError],
  ])('%s is refused when the handler is made', (_label, options, type) => {
    expect(() => createNotificationHandler(() => undefined, options as NotificationHandlerOptions)).toThrow(type);
  });
});

describe('redactToken', () => {
  test.each([
    ['/ci?token=abc', '/ci?token=***'],
    ['/ci?a=1&token=abc&b=2', '/ci?a=1&token=***&b=2'],
    ['/ci?tok%65n=abc', '/ci?tok%65n=***'],
    ['/ci?token=abc&token=def', '/ci?token=***&token=***'],
    ['/ci?tokenx=abc', '/ci?tokenx=abc'],
    ['/ci?token', '/ci?token=***'],
    ['/ci?token=abc#frag', '/ci?token=***'],
    ['/ci', '/ci'],
  ])('%s → %s', (url, redacted) => {
    expect(redactToken(url)).toBe(redacted);
  });
});

describe('parseJobNotification refuses documents without a job', () => {
  test.each(['{}', '<Response/>', '<Response><EventName>TaskFinish</EventName></Response>', '{"Error":{"Code":"x"}}', '{"foo":1}'])(
    '%s',
    (body) => {
      expect(() => parseJobNotification(body)).toThrow(CiDecodeError);
      expect(() => parseJobNotification(body)).toThrow(/no JobsDetail/);
    },
  );
});
