/**
 * Job notifications of the fake service: jobs created over real HTTP with a CallBack to a local server, in XML
 * and JSON, read back through parseJobNotification to the same job; the queue's NotifyConfig; `CallBack: no`;
 * retries with backoff; loopback-only destinations, redirects never followed; MSW mode records without sending;
 * the JSON form of many jobs decodes to what the XML form does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createNotificationHandler,
  parseJobNotification,
  type CreateMediaJobsInput,
  type JobNotification,
  type MediaJob,
} from '@cloud-infinite/client';
import { setupServer } from 'msw/node';
import {
  DEMO_BUCKET,
  DEMO_QUEUE_ID,
  DEMO_REGION,
  FakeCiService,
  encodeJobNotification,
  generateJobs,
  isLoopbackUrl,
  MAX_BACKOFF_MS,
  MAX_DELIVERIES_IN_FLIGHT,
  MAX_DELIVERIES_QUEUED,
  NotificationOutbox,
  startFakeCi,
  type FakeCiOptions,
  type NotificationDelivery,
  type RunningFakeCi,
} from '../src';
import { createCiHandlers } from '../src/msw';
import { clientOf } from './helpers';

const animationJob = (object: string, extra: Partial<CreateMediaJobsInput> = {}): CreateMediaJobsInput => ({
  Tag: 'Animation',
  Input: { Object: object },
  Operation: {
    Animation: { Container: { Format: 'gif' }, Video: { Codec: 'gif', Width: '480', Fps: '15' }, TimeInterval: { Duration: '6' } },
    Output: { Region: DEMO_REGION, Bucket: DEMO_BUCKET, Object: 'out/clip.gif' },
  },
  ...extra,
});

interface Received {
  readonly method: string;
  readonly url: string;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** A local receiver that records raw requests and answers with `statuses` in turn (then 200). */
async function receiver(statuses: number[] = [], redirectTo?: string) {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const status = statuses.shift() ?? 200;
      res.writeHead(status, redirectTo && status >= 300 && status < 400 ? { location: redirectTo } : {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function fake(options: FakeCiOptions = {}) {
  const ci: RunningFakeCi = await startFakeCi({ jobProgression: { afterMs: 20 }, ...options });
  closers.push(() => ci.close());
  return { ci, client: clientOf(ci.url) };
}

describe('the fake delivers a notification when a job ends (real HTTP)', () => {
  test.each(['XML', 'JSON'] as const)(
    'CallBack to a local server in %s: the delivered body parses to the same job',
    async (format) => {
      const rx = await receiver();
      const { ci, client } = await fake();
      const created = (
        await client.createMediaJobs(animationJob('videos/a.mp4', { CallBack: `${rx.url}/ci?token=s3cret`, CallBackFormat: format }))
      ).JobsDetail[0]!;
      // nobody polls: the job ends on the service's timer and the notification goes out
      const delivery = await ci.service.waitForNotification(created.JobId);
      expect(delivery).toMatchObject({
        state: 'delivered',
        source: 'CallBack',
        format,
        jobId: created.JobId,
        url: `${rx.url}/ci?token=s3cret`,
      });
      expect(delivery.attempts).toHaveLength(1);
      expect(delivery.attempts[0]!.status).toBe(200);

      expect(rx.received).toHaveLength(1);
      const got = rx.received[0]!;
      expect([got.method, got.url]).toEqual(['POST', '/ci?token=s3cret']);
      expect(got.contentType).toBe(format === 'JSON' ? 'application/json' : 'application/xml');
      expect(got.body.trimStart().startsWith(format === 'JSON' ? '{' : '<')).toBe(true);

      const notification = parseJobNotification(got.body, { contentType: got.contentType });
      const described = (await client.describeMediaJob({ jobIds: [created.JobId] })).JobsDetail[0]!;
      expect(notification.EventName).toBe('TaskFinish');
      expect(notification.JobsDetail).toHaveLength(1);
      // the JSON form leaves empty leaves out (CI's sample drops <Message/> and <ObjectPrefix/>)
      expect(notification.JobsDetail[0]).toEqual(format === 'JSON' ? withoutEmptyLeaves(described) : described);
      expect(described.State).toBe('Success');
      expect(notification).toEqual(format === 'JSON' ? withoutEmptyLeaves(delivery.notification) : delivery.notification);
    },
    15_000,
  );

  test('through createNotificationHandler: a failed job, both formats, the token checked', async () => {
    const seen: Array<{ job: MediaJob; format: string }> = [];
    const errors: unknown[] = [];
    let bothSeen!: () => void;
    const called = new Promise<void>((resolve) => (bothSeen = resolve));
    const handler = createNotificationHandler(
      (n, ctx) => {
        seen.push({ job: n.JobsDetail[0]!, format: ctx.format });
        if (seen.length === 2) bothSeen();
      },
      { token: 'tok-1', onError: (e) => errors.push(e) },
    );
    const server = createServer((req, res) => void handler.node(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=tok-1`;
    const { ci, client } = await fake();
    const ids: string[] = [];
    for (const format of ['XML', 'JSON'] as const) {
      const res = await client.createMediaJobs(animationJob('videos/fail-this.mp4', { CallBack: base, CallBackFormat: format }));
      ids.push(res.JobsDetail[0]!.JobId);
    }
    await Promise.all(ids.map((id) => ci.service.waitForNotification(id)));
    await called; // the handler calls back after answering
    expect(errors).toEqual([]);
    expect(seen.map((s) => [s.job.JobId, s.job.State, s.job.Code, s.format])).toEqual([
      [ids[0], 'Failed', 'InvalidInput', 'XML'],
      [ids[1], 'Failed', 'InvalidInput', 'JSON'],
    ]);
  }, 15_000);
});

describe('where a notification goes', () => {
  const setQueue = async (client: ReturnType<typeof clientOf>, url: string, extra: Record<string, string> = {}) =>
    client.updateMediaQueue({
      queueId: DEMO_QUEUE_ID,
      Name: 'default',
      State: 'Active',
      NotifyConfig: { State: 'On', Type: 'Url', Url: url, Event: 'TaskFinish', ResultFormat: 'JSON', ...extra },
    });

  test("the queue's NotifyConfig when the job has no CallBack; its ResultFormat, unless the job's CallBackFormat says otherwise", async () => {
    const rx = await receiver();
    const { ci, client } = await fake({ jobProgression: 'manual' });
    await setQueue(client, `${rx.url}/queue`);
    const a = (await client.createMediaJobs(animationJob('videos/a.mp4'))).JobsDetail[0]!;
    const b = (await client.createMediaJobs(animationJob('videos/b.mp4', { CallBackFormat: 'XML' }))).JobsDetail[0]!;
    ci.service.advance(undefined, 'Success');
    const [da, db] = await Promise.all([ci.service.waitForNotification(a.JobId), ci.service.waitForNotification(b.JobId)]);
    expect([da.source, da.format, da.state]).toEqual(['NotifyConfig', 'JSON', 'delivered']);
    expect([db.source, db.format, db.state]).toEqual(['NotifyConfig', 'XML', 'delivered']);
    expect(rx.received.map((r) => r.url)).toEqual(['/queue', '/queue']);
  });

  test("CallBack 'no' turns the queue's off; a canceled job and a queue not subscribed to TaskFinish notify nobody", async () => {
    const rx = await receiver();
    const { ci, client } = await fake({ jobProgression: 'manual' });
    await setQueue(client, `${rx.url}/queue`);
    const silent = (await client.createMediaJobs(animationJob('videos/a.mp4', { CallBack: 'no' }))).JobsDetail[0]!;
    const canceled = (await client.createMediaJobs(animationJob('videos/b.mp4'))).JobsDetail[0]!;
    await client.cancelMediaJob({ jobId: canceled.JobId });
    ci.service.advance(silent.JobId, 'Success');
    await setQueue(client, `${rx.url}/queue`, { Event: 'WorkflowFinish' });
    const unsubscribed = (await client.createMediaJobs(animationJob('videos/c.mp4'))).JobsDetail[0]!;
    ci.service.advance(unsubscribed.JobId, 'Success');
    // a job that does notify, to know the others had their chance
    const loud = (await client.createMediaJobs(animationJob('videos/d.mp4', { CallBack: `${rx.url}/job` }))).JobsDetail[0]!;
    ci.service.advance(loud.JobId, 'Success');
    await ci.service.waitForNotification(loud.JobId);
    expect(ci.service.notifications.map((d) => d.jobId)).toEqual([loud.JobId]);
    expect(rx.received.map((r) => r.url)).toEqual(['/job']);
  });

  test('retries with backoff until a 2xx; fails after the last attempt', async () => {
    const rx = await receiver([500, 503]);
    const { ci, client } = await fake({ jobProgression: 'manual', notifications: { attempts: 3, backoffMs: 10 } });
    const ok = (await client.createMediaJobs(animationJob('videos/a.mp4', { CallBack: `${rx.url}/x` }))).JobsDetail[0]!;
    ci.service.advance(ok.JobId, 'Success');
    const delivered = await ci.service.waitForNotification(ok.JobId);
    expect(delivered.state).toBe('delivered');
    expect(delivered.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    // the second retry waited at least twice the first's backoff
    const [a0, a1, a2] = delivered.attempts;
    expect(a1!.startedAt - a0!.startedAt).toBeGreaterThanOrEqual(10);
    expect(a2!.startedAt - a1!.startedAt).toBeGreaterThanOrEqual(20);

    const down = (await client.createMediaJobs(animationJob('videos/b.mp4', { CallBack: 'http://127.0.0.1:1/closed' }))).JobsDetail[0]!;
    ci.service.advance(down.JobId, 'Success');
    const failed = await ci.service.waitForNotification(down.JobId);
    expect(failed.state).toBe('failed');
    expect(failed.attempts).toHaveLength(3);
    expect(failed.attempts.every((a) => a.status === undefined && typeof a.error === 'string')).toBe(true);
    expect(failed.reason).toMatch(/^3 attempts failed/);
  });

  test('a redirect is not followed (a loopback receiver cannot bounce the fake to another host)', async () => {
    const elsewhere = await receiver();
    const rx = await receiver([302, 302], `${elsewhere.url}/stolen`);
    const { ci, client } = await fake({ jobProgression: 'manual', notifications: { attempts: 2, backoffMs: 1 } });
    const job = (await client.createMediaJobs(animationJob('videos/a.mp4', { CallBack: `${rx.url}/r` }))).JobsDetail[0]!;
    ci.service.advance(job.JobId, 'Success');
    const d = await ci.service.waitForNotification(job.JobId);
    expect(d.state).toBe('failed');
    expect(d.attempts.map((a) => a.status)).toEqual([302, 302]);
    expect(elsewhere.received).toEqual([]);
  });
});

describe('loopback only, unless allowed explicitly', () => {
  test.each([
    ['http://localhost:8080/x', true],
    ['http://LOCALHOST/x', true],
    ['http://127.0.0.1/x', true],
    ['http://127.255.0.9:1/x', true],
    ['http://0x7f.1/x', true], // the URL parser normalises it to 127.0.0.1
    ['http://2130706433/x', true],
    ['http://[::1]:9/x', true],
    ['http://[0:0:0:0:0:0:0:1]/x', true],
    ['http://[::ffff:127.0.0.1]/x', true],
    ['http://127.0.0.1.nip.io/x', false],
    ['http://localhost.example.com/x', false],
    ['http://0.0.0.0/x', false],
    ['http://10.0.0.1/x', false],
    ['http://[::ffff:8.8.8.8]/x', false],
    ['http://[::2]/x', false],
    ['http://example.com/x', false],
  ])('%s is loopback: %s', (url, loopback) => {
    expect(isLoopbackUrl(new URL(url))).toBe(loopback);
  });

  test('another host is refused, unsent, unless allowHosts names it; other schemes and user info are refused', async () => {
    const sent: string[] = [];
    const fetchSpy: typeof fetch = async (input) => {
      sent.push(String(input));
      return new Response(null, { status: 204 });
    };
    const service = new FakeCiService({
      jobProgression: 'manual',
      verifySignature: false,
      notifications: { fetch: fetchSpy, allowHosts: ['Hooks.Internal'] },
    });
    const { client } = { client: inProcessClient(service) };
    const urls = [
      'https://example.com/hook',
      'https://hooks.internal/hook',
      'ftp://127.0.0.1/x',
      'http://user:pw@127.0.0.1/x',
      'not a url',
    ];
    for (const url of urls) {
      const job = (await client.createMediaJobs(animationJob('videos/a.mp4', { CallBack: url }))).JobsDetail[0]!;
      service.advance(job.JobId, 'Success');
    }
    const all = await service.notificationsSettled();
    expect(all.map((d) => d.state)).toEqual(['refused', 'delivered', 'refused', 'refused', 'refused']);
    expect(all[0]!.reason).toContain('example.com is not a loopback host');
    expect(sent).toEqual(['https://hooks.internal/hook']);
  });

  test('TDMQ and Kafka callbacks are recorded as unsupported, never sent', async () => {
    const service = new FakeCiService({ jobProgression: 'manual', verifySignature: false });
    const client = inProcessClient(service);
    const job = (await client.createMediaJobs(animationJob('videos/a.mp4', { CallBack: 'http://127.0.0.1:1/', CallBackType: 'TDMQ' })))
      .JobsDetail[0]!;
    service.advance(job.JobId, 'Success');
    expect((await service.waitForNotification(job.JobId)).state).toBe('unsupported');
  });
});

describe('MSW mode records without sending', () => {
  const msw = setupServer();
  beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => msw.close());

  test('the handlers expose the delivery (state recorded) and send nothing', async () => {
    const rx = await receiver();
    const handlers = createCiHandlers({ baseUrl: 'http://ci.test', jobProgression: 'manual' });
    msw.use(...handlers);
    const client = clientOf('http://ci.test');
    const job = (await client.createMediaJobs(animationJob('videos/a.mp4', { CallBack: `${rx.url}/hook`, CallBackFormat: 'JSON' })))
      .JobsDetail[0]!;
    handlers.service.advance(job.JobId, 'Success');
    const d = await handlers.service.waitForNotification(job.JobId);
    expect([d.state, d.format, d.attempts.length]).toEqual(['recorded', 'JSON', 0]);
    expect(parseJobNotification(d.body).JobsDetail[0]!.JobId).toBe(job.JobId);
    expect(rx.received).toEqual([]);
  });
});

describe('the JSON form', () => {
  test("is CI's: no root, strings, a single element not an array, empty leaves left out", () => {
    const [job] = generateJobs({ count: 1, seed: 3 });
    const json = JSON.parse(encodeJobNotification({ ...job!, Message: '' }, 'JSON')) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['EventName', 'JobsDetail']);
    const detail = json.JobsDetail as Record<string, unknown>;
    expect(Array.isArray(detail)).toBe(false);
    expect(detail.JobId).toBe(job!.JobId);
    expect('Message' in detail).toBe(false);
    const leaves: unknown[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
      else leaves.push(v);
    };
    walk(json);
    expect(leaves.length).toBeGreaterThan(10);
    expect(leaves.every((v) => typeof v === 'string' && v !== '')).toBe(true);
  });

  test('decodes to what the XML form decodes to, for 300 generated jobs of every state', () => {
    const jobs = generateJobs({ count: 300, seed: 11 });
    expect(new Set(jobs.map((j) => j.State)).size).toBeGreaterThanOrEqual(4);
    for (const job of jobs) {
      const fromXml: JobNotification = parseJobNotification(encodeJobNotification(job, 'XML'));
      const fromJson: JobNotification = parseJobNotification(encodeJobNotification(job, 'JSON'));
      expect(fromJson).toEqual(withoutEmptyLeaves(fromXml));
      expect(fromXml.JobsDetail[0]!.JobId).toBe(job.JobId);
    }
  });
});

describe('waiting and closing', () => {
  test('waitForNotification times out with a RangeError; close() rejects waiters and stops deliveries', async () => {
    const service = new FakeCiService({ jobProgression: 'manual', verifySignature: false });
    await expect(service.waitForNotification('j-none', { timeoutMs: 20 })).rejects.toThrow(RangeError);
    const waiting = service.waitForNotification(undefined, { timeoutMs: 5_000 });
    service.close();
    await expect(waiting).rejects.toThrow('closed');
    const open = new FakeCiService({ jobProgression: 'manual', verifySignature: false });
    const aborted = new AbortController();
    const byAbort = open.waitForNotification('x', { signal: aborted.signal });
    aborted.abort(new Error('stop'));
    await expect(byAbort).rejects.toThrow('stop');
  });

  test('a delivery in flight fails when the service closes', async () => {
    let calls = 0;
    const hanging: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        calls++;
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      });
    const service = new FakeCiService({ jobProgression: 'manual', verifySignature: false, notifications: { fetch: hanging } });
    const client = inProcessClient(service);
    const job = (await client.createMediaJobs(animationJob('videos/a.mp4', { CallBack: 'http://127.0.0.1:9/h' }))).JobsDetail[0]!;
    service.advance(job.JobId, 'Success');
    expect(service.notifications[0]!.state).toBe('pending');
    service.close();
    const [d] = (await service.notificationsSettled()) as NotificationDelivery[];
    expect(calls).toBe(1);
    expect([d!.state, d!.reason]).toEqual(['failed', 'the fake CI service was closed']);
  });
});

describe('bounds of the outbox', () => {
  /** A service whose deliveries go to `send`, with an in-process client; jobs move only when told. */
  const outboxed = (notifications: NonNullable<FakeCiOptions['notifications']>) => {
    const service = new FakeCiService({ jobProgression: 'manual', verifySignature: false, notifications });
    closers.push(async () => service.close());
    return { service, client: inProcessClient(service) };
  };
  const jobWithCallBack = async (client: ReturnType<typeof clientOf>, url = 'http://127.0.0.1:9/h') =>
    (await client.createMediaJobs(animationJob('videos/a.mp4', { CallBack: url }))).JobsDetail[0]!.JobId;

  test('each attempt is bounded by timeoutMs: a receiver that never answers fails the attempt, then the delivery', async () => {
    const hanging: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const { service, client } = outboxed({ fetch: hanging, attempts: 2, backoffMs: 0, timeoutMs: 30 });
    const id = await jobWithCallBack(client);
    service.advance(id, 'Success');
    const d = await service.waitForNotification(id, { timeoutMs: 5_000 });
    expect(d.state).toBe('failed');
    expect(d.attempts.map((a) => a.error)).toStrictEqual(['no answer within 30 ms', 'no answer within 30 ms']);
    expect(d.attempts.every((a) => a.durationMs >= 25)).toBe(true);
    expect(d.reason).toBe('2 attempts failed; the last: no answer within 30 ms');
  });

  test('a waiter whose predicate throws is rejected with it; the other waiters still resolve, and nothing is re-sent', async () => {
    let sent = 0;
    const ok: typeof fetch = async () => (sent++, new Response(null, { status: 204 }));
    const { service, client } = outboxed({ fetch: ok });
    const id = await jobWithCallBack(client);
    const boom = new Error('predicate failed');
    const throwing = service.waitForNotification(() => {
      throw boom;
    });
    const byId = service.waitForNotification(id);
    const any = service.waitForNotification();
    service.advance(id, 'Success');
    await expect(throwing).rejects.toBe(boom);
    expect((await byId).state).toBe('delivered');
    expect((await any).jobId).toBe(id);
    await service.notificationsSettled();
    expect(sent).toBe(1);
    // a throwing predicate also rejects when it meets a delivery already settled
    await expect(
      service.waitForNotification(() => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });

  test('waitForNotification after close rejects at once, with no timer left', async () => {
    const { service } = outboxed({});
    service.close();
    const started = Date.now();
    await expect(service.waitForNotification('j-x', { timeoutMs: 60_000 })).rejects.toThrow('closed');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test('allowHosts as a function decides for every host, loopback included; a list adds to loopback', async () => {
    const sentTo: string[] = [];
    const ok: typeof fetch = async (url) => (sentTo.push(String(url)), new Response(null, { status: 200 }));
    const veto = outboxed({ fetch: ok, allowHosts: (url) => url.port === '8443' });
    const loop = await jobWithCallBack(veto.client, 'http://127.0.0.1:9/h');
    const other = await jobWithCallBack(veto.client, 'http://hooks.example.com:8443/h');
    veto.service.advance(undefined, 'Success');
    const [dl, doth] = await Promise.all([veto.service.waitForNotification(loop), veto.service.waitForNotification(other)]);
    expect([dl.state, dl.reason]).toStrictEqual(['refused', '127.0.0.1:9 is not allowed by notifications.allowHosts']);
    expect(doth.state).toBe('delivered');
    expect(sentTo).toStrictEqual(['http://hooks.example.com:8443/h']);

    const throwing = outboxed({
      fetch: ok,
      allowHosts: () => {
        throw new Error('no');
      },
    });
    const id = await jobWithCallBack(throwing.client, 'http://127.0.0.1:9/h');
    throwing.service.advance(id, 'Success');
    expect((await throwing.service.waitForNotification(id)).state).toBe('refused');
  });

  test(`at most ${MAX_DELIVERIES_IN_FLIGHT} deliveries are in flight; the others wait their turn, in order`, async () => {
    let inFlight = 0;
    let most = 0;
    const started: string[] = [];
    const slow: typeof fetch = async (url) => {
      started.push(new URL(String(url)).pathname);
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 15));
      inFlight--;
      return new Response(null, { status: 200 });
    };
    const { service, client } = outboxed({ fetch: slow });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await jobWithCallBack(client, `http://127.0.0.1:9/${i}`));
    service.advance(undefined, 'Success');
    const all = await service.notificationsSettled();
    expect(all.map((d) => d.state)).toStrictEqual(Array(20).fill('delivered'));
    expect(most).toBe(MAX_DELIVERIES_IN_FLIGHT);
    expect(started).toStrictEqual(ids.map((_, i) => `/${i}`));
  });

  test('a delivery waiting out its backoff holds no slot: a 9th delivery goes out while 8 failing ones wait', async () => {
    const started: Array<{ path: string; at: number }> = [];
    const send: typeof fetch = async (url) => {
      const path = new URL(String(url)).pathname;
      started.push({ path, at: Date.now() });
      return new Response(null, { status: path.startsWith('/bad') ? 500 : 200 });
    };
    const { service, client } = outboxed({ fetch: send, attempts: 2, backoffMs: 400 });
    const ids: string[] = [];
    for (let i = 0; i < MAX_DELIVERIES_IN_FLIGHT; i++) ids.push(await jobWithCallBack(client, `http://127.0.0.1:9/bad${i}`));
    const good = await jobWithCallBack(client, 'http://127.0.0.1:9/good');
    service.advance(undefined, 'Success');
    const delivered = await service.waitForNotification(good, { timeoutMs: 5_000 });
    expect(delivered.state).toBe('delivered');
    // the healthy receiver's delivery went out before any failing one's second attempt
    const retries = started.filter((s) => s.path.startsWith('/bad')).slice(MAX_DELIVERIES_IN_FLIGHT);
    expect(retries).toStrictEqual([]);
    const all = await service.notificationsSettled();
    expect(all.filter((d) => d.jobId !== good).map((d) => [d.state, d.attempts.length])).toStrictEqual(ids.map(() => ['failed', 2]));
  });

  test(`at most ${MAX_DELIVERIES_QUEUED} deliveries wait for a slot; one more is recorded as failed, unsent`, async () => {
    const hanging: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const outbox = new NotificationOutbox({ fetch: hanging, maxRecords: 20_000 });
    closers.push(async () => outbox.close());
    const [template] = generateJobs({ count: 1, seed: 5 });
    const total = MAX_DELIVERIES_IN_FLIGHT + MAX_DELIVERIES_QUEUED + 1;
    for (let i = 0; i < total; i++) {
      const job = { ...template!, JobId: `j${String(i).padStart(32, '0')}`, State: 'Success' as const };
      outbox.watch(job.JobId, { CallBack: `http://127.0.0.1:9/${i}` });
      outbox.jobEnded(job, undefined);
    }
    const states = outbox.deliveries.map((d) => d.state);
    expect(states.filter((st) => st === 'pending')).toHaveLength(MAX_DELIVERIES_IN_FLIGHT + MAX_DELIVERIES_QUEUED);
    const last = outbox.deliveries.at(-1)!;
    expect([last.state, last.reason, last.attempts]).toStrictEqual([
      'failed',
      `${MAX_DELIVERIES_QUEUED} deliveries were already waiting to be sent`,
      [],
    ]);
    outbox.close();
    const settled = await outbox.settled();
    expect(settled.every((d) => d.state === 'failed')).toBe(true);
  });

  test('maxRecords keeps the newest deliveries; a dropped one still reaches its waiter', async () => {
    const ok: typeof fetch = async () => new Response(null, { status: 200 });
    const { service, client } = outboxed({ fetch: ok, maxRecords: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await jobWithCallBack(client, `http://127.0.0.1:9/${i}`));
    const first = service.waitForNotification(ids[0]);
    service.advance(undefined, 'Success');
    expect((await first).state).toBe('delivered');
    const kept = await service.notificationsSettled();
    expect(kept.map((d) => d.jobId)).toStrictEqual(ids.slice(2));
    expect(kept.map((d) => d.id)).toStrictEqual([3, 4, 5]);
  });

  test.each([
    ['attempts', 0],
    ['attempts', 11],
    ['backoffMs', MAX_BACKOFF_MS + 1],
    ['backoffMs', -1],
    ['timeoutMs', 0],
    ['maxRecords', 0],
    ['maxRecords', 1.5],
  ])('notifications.%s %p is refused with a RangeError', (name, value) => {
    expect(() => new FakeCiService({ verifySignature: false, notifications: { [name]: value } })).toThrow(
      new RegExp(`^notifications\\.${name} must be an integer from`),
    );
  });

  test(`the backoff doubles up to ${MAX_BACKOFF_MS} ms, never more`, async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    try {
      const starts: number[] = [];
      const failing: typeof fetch = async () => (starts.push(Date.now()), new Response(null, { status: 500 }));
      const { service, client } = outboxed({ fetch: failing, attempts: 4, backoffMs: 40_000 });
      const id = await jobWithCallBack(client);
      service.advance(id, 'Success');
      const settled = service.waitForNotification(id, { timeoutMs: 3_600_000 });
      for (let i = 0; i < 3; i++) await jest.advanceTimersByTimeAsync(MAX_BACKOFF_MS);
      const d = await settled;
      expect(d.attempts).toHaveLength(4);
      expect(starts.slice(1).map((t, i) => t - starts[i]!)).toStrictEqual([40_000, MAX_BACKOFF_MS, MAX_BACKOFF_MS]);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('jobs that end on the real clock', () => {
  test('a jobOutcome rule that throws on the timer is answered to the next request as a 500, never thrown; other jobs go on', async () => {
    let throwing = true;
    let ruleCalled!: () => void;
    const calledOnTimer = new Promise<void>((resolve) => (ruleCalled = resolve));
    const service = new FakeCiService({
      verifySignature: false,
      jobProgression: { afterMs: 5 },
      jobOutcome: (job) => {
        if (job.Input?.Object !== 'videos/bad.mp4') return { state: 'Success' };
        ruleCalled();
        if (throwing) throw new Error('rule broke');
        return { state: 'Success' };
      },
    });
    closers.push(async () => service.close());
    const client = inProcessClient(service, { maxAttempts: 1 });
    const bad = (await client.createMediaJobs(animationJob('videos/bad.mp4'))).JobsDetail[0]!.JobId;
    await calledOnTimer; // the timer fired twice: Submitted → Running, then the rule (no request in between)
    const error = await client.describeMediaJob({ jobIds: [bad] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'CiServiceError', statusCode: 500, code: 'InternalError' });
    expect((error as Error).message).toContain('failed moving jobs on its timer: rule broke');
    // the job that breaks the rule does not hold back the others (a request that meets it is a 500: try again)
    const retried = async <T>(call: () => Promise<T>): Promise<T> => {
      for (let i = 0; ; i++) {
        try {
          return await call();
        } catch (e) {
          if (i >= 50) throw e;
          await new Promise((r) => setTimeout(r, 2));
        }
      }
    };
    const good = (await retried(() => client.createMediaJobs(animationJob('videos/good.mp4')))).JobsDetail[0]!.JobId;
    // read from the store: while the rule throws, every request that meets the bad job due is a 500
    const stateOf = async (id: string) => {
      for (let i = 0; i < 200 && service.store.getJob(id)?.State !== 'Success'; i++) await new Promise((r) => setTimeout(r, 10));
      return service.store.getJob(id)?.State;
    };
    expect(await stateOf(good)).toBe('Success');
    expect(service.store.getJob(bad)?.State).toBe('Running');
    throwing = false;
    expect(await stateOf(bad)).toBe('Success');
    // a failure the timer met while the rule threw is still answered once, then the job reads as it is
    expect((await retried(() => client.describeMediaJob({ jobIds: [bad] }))).JobsDetail[0]!.State).toBe('Success');
  });

  test('an outcome XML cannot carry is a RangeError naming the rule, answered as a 500; later answers are not poisoned', async () => {
    const service = new FakeCiService({
      verifySignature: false,
      jobProgression: 'immediate',
      jobOutcome: () => ({ state: 'Failed', code: 'X', message: 'bad\u0001text' }),
    });
    closers.push(async () => service.close());
    const client = inProcessClient(service, { maxAttempts: 1 });
    const error = await client.createMediaJobs(animationJob('videos/a.mp4')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ statusCode: 500, code: 'InternalError' });
    expect((error as Error).message).toMatch(/jobOutcome returned a message for j[0-9a-f]{32} that is not text XML can carry/);
    // every job the store holds still encodes: a listing answers
    const page = await client.describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation' });
    expect(page.JobsDetail.every((j) => !(j.Message ?? '').includes('\u0001'))).toBe(true);
  });
});

/** A copy without the empty-string leaves (which the JSON form leaves out). */
function withoutEmptyLeaves<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutEmptyLeaves) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== '') out[k] = withoutEmptyLeaves(v);
  return out as T;
}

/** A client whose requests go straight to `service.handle` (no sockets). */
function inProcessClient(service: FakeCiService, config: Parameters<typeof clientOf>[1] = {}) {
  const fetchToService: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k] = v));
    headers.host ??= new URL(request.url).host;
    const res = await service.handle({
      method: request.method,
      url: request.url,
      headers,
      body: request.method === 'GET' ? '' : await request.text(),
    });
    return new Response(res.body === '' ? null : res.body, { status: res.status, headers: res.headers });
  };
  return clientOf('http://ci.test', { fetch: fetchToService, ...config });
}
