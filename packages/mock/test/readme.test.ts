/**
 * What packages/mock/README.md says that no other test checks: its code excerpts are the files they name, its
 * table of behaviours lists the operations that have one, and the defaults, ids, copies and filters it describes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CiMediaClient, type CreateMediaJobsInput } from '@cloud-infinite/client';
import { DEMO_BUCKET, DEMO_CREDENTIALS, DEMO_QUEUE_ID, DEMO_REGION, FakeCiService, generateJobs, type FakeExchange } from '../src';
import { BEHAVIOURS } from '../src/behaviour';
import { errorCode, rejectionOf, serviceErrorOf, signedRequest, xmlHeaders } from './helpers';

const repo = resolve(__dirname, '../../..');
const readme = readFileSync(resolve(__dirname, '../README.md'), 'utf8');
const NOW = Date.UTC(2024, 4, 6, 3, 12, 9);

/** A client of `service`, in-process. */
function clientOf(service: FakeCiService): CiMediaClient {
  const fetchToService = (async (url: string, init: RequestInit) => {
    const headers: Record<string, string> = { host: new URL(url).host };
    for (const [k, v] of Object.entries((init.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = v;
    const res = await service.handle({
      method: String(init.method),
      url,
      headers,
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
    });
    return new Response(res.body === '' ? null : res.body, { status: res.status, headers: res.headers });
  }) as unknown as typeof fetch;
  return new CiMediaClient({ endpoint: 'http://127.0.0.1:9000', credentials: DEMO_CREDENTIALS, fetch: fetchToService, maxAttempts: 1 });
}

const job = (over: Partial<CreateMediaJobsInput['Operation']['Output']> = {}, templateId?: string): CreateMediaJobsInput => ({
  Tag: 'Animation',
  Input: { Object: 'a.mp4' },
  Operation: {
    ...(templateId ? { TemplateId: templateId } : { Animation: { Container: { Format: 'gif' } } }),
    Output: { Region: DEMO_REGION, Bucket: DEMO_BUCKET, Object: 'a.gif', ...over },
  },
});

describe('the README', () => {
  test('each code block that names a file is an excerpt of it, line for line', () => {
    const blocks = [...readme.matchAll(/```ts\n\/\/ (\S+)\n([\s\S]*?)```/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const [, file, body] of blocks) {
      const text = readFileSync(join(repo, file!), 'utf8');
      expect([file, text.includes(body!)]).toEqual([file, true]);
    }
  });

  test('its table of behaviours lists exactly the operations that have one', () => {
    const section = readme.slice(readme.indexOf('The behaviour of the operations that have one'), readme.indexOf('### DescribeMediaJobs'));
    const listed = [...section.matchAll(/^\| (\w+) \|/gm)].map((m) => m[1]).filter((name) => name !== 'operation');
    expect(listed.sort()).toEqual(Object.keys(BEHAVIOURS).sort());
  });
});

describe('defaults and state', () => {
  test('the default queue first, then 2 seeded ones (the second Paused), QueueIds p + 32 hex; 2 Official templates; no job', () => {
    const service = new FakeCiService({ now: () => NOW });
    const queues = service.store.listQueues();
    expect(queues.map((q) => [q.QueueId === DEMO_QUEUE_ID, q.Name === 'default', q.State])).toEqual([
      [true, true, 'Active'],
      [false, false, 'Active'],
      [false, false, 'Paused'],
    ]);
    for (const q of queues) expect(q.QueueId).toMatch(/^p[0-9a-f]{32}$/);
    expect(service.store.listTemplates().map((t) => [t.Name, t.Category])).toEqual([
      ['Official-GIF', 'Official'],
      ['Official-WebP', 'Official'],
    ]);
    expect(service.store.jobCount).toBe(0);
    expect(new FakeCiService({ jobs: 5, now: () => NOW }).store.listTemplates().filter((t) => t.Category === 'Custom')).toHaveLength(3);
  });

  test('bucket and region are the BucketId of new templates and the Input of new jobs', async () => {
    const service = new FakeCiService({ bucket: 'other-1250000001', region: 'ap-shanghai', verifySignature: false });
    const client = clientOf(service);
    const { Template } = await client.createMediaTemplate({ Tag: 'Animation', Name: 'n', Container: { Format: 'gif' } });
    expect(Template.BucketId).toBe('other-1250000001');
    const created = await client.createMediaJobs(job());
    expect(created.JobsDetail[0]!.Input).toMatchObject({ BucketId: 'other-1250000001', Region: 'ap-shanghai' });
  });

  test('values in and out of the store are copies', () => {
    const service = new FakeCiService({ jobs: 3, now: () => NOW });
    const [first] = service.store.listJobs().jobs;
    first!.State = 'Changed';
    expect(service.store.getJob(first!.JobId)!.State).not.toBe('Changed');
    const queue = service.store.getQueue(DEMO_QUEUE_ID)!;
    queue.Name = 'changed';
    expect(service.store.getQueue(DEMO_QUEUE_ID)!.Name).toBe('default');
  });

  test('onExchange reports status 0 when nothing was answered (a reset)', async () => {
    const exchanges: FakeExchange[] = [];
    const service = new FakeCiService({ faults: [{ fault: 'reset' }], onExchange: (e) => exchanges.push(e) });
    await rejectionOf(service.handle(signedRequest({ path: '/queue' })));
    expect(exchanges.map((e) => [e.operationId, e.response.status, e.fault])).toEqual([['DescribeMediaQueues', 0, 'reset']]);
  });

  test('the main entry never loads msw: only the msw entry of the build imports it', () => {
    const dist = resolve(__dirname, '../dist');
    const importers = readdirSync(dist)
      .filter((f) => /\.(c?js|mjs)$/.test(f) && /\b(?:require\(|from\s*)["']msw["']/.test(readFileSync(join(dist, f), 'utf8')))
      .sort();
    expect(importers).toEqual(['msw.js', 'msw.mjs']);
  });
});

describe('filters and refusals the README describes', () => {
  test('DescribeMediaQueues state All lists both states; DescribeMediaTemplates tag All lists every tag, Transcode none', async () => {
    const client = clientOf(new FakeCiService({ queues: 4, jobs: 3, verifySignature: false }));
    const all = await client.describeMediaQueues({ state: 'All' });
    expect(new Set(all.QueueList.map((q) => q.State))).toEqual(new Set(['Active', 'Paused']));
    expect(all.TotalCount).toBe(5);
    expect((await client.describeMediaTemplates({ tag: 'All' })).TotalCount).toBe(3);
    expect((await client.describeMediaTemplates({ tag: 'Transcode' })).TemplateList).toEqual([]);
  });

  test('a job made from a deleted template keeps its id and name', async () => {
    const service = new FakeCiService({ verifySignature: false });
    const client = clientOf(service);
    const { Template } = await client.createMediaTemplate({ Tag: 'Animation', Name: 'gone-soon', Container: { Format: 'gif' } });
    const { JobId } = (await client.createMediaJobs(job({}, Template.TemplateId))).JobsDetail[0]!;
    await client.deleteMediaTemplate({ templateId: Template.TemplateId! });
    const [kept] = (await client.describeMediaJob({ jobIds: [JobId] })).JobsDetail;
    expect(kept!.Operation).toMatchObject({ TemplateId: Template.TemplateId, TemplateName: 'gone-soon' });
  });

  test.each(['Region', 'Bucket', 'Object'] as const)('CreateMediaJobs with an empty Output.%s is a 400 InvalidArgument', async (key) => {
    const err = await serviceErrorOf(clientOf(new FakeCiService({ verifySignature: false })).createMediaJobs(job({ [key]: '' })));
    expect([err.statusCode, err.code]).toEqual([400, 'InvalidArgument']);
    expect(err.message).toContain(`Operation.Output.${key} must not be empty`);
  });

  test('UpdateMediaQueue with a blank Name is a 400 InvalidArgument', async () => {
    const body = '<Request><Name> </Name><State>Active</State></Request>';
    const service = new FakeCiService();
    const res = await service.handle(signedRequest({ method: 'PUT', path: `/queue/${DEMO_QUEUE_ID}`, body, headers: xmlHeaders(body) }));
    expect([res.status, errorCode(res.body)]).toEqual([400, 'InvalidArgument']);
    expect(res.body).toContain('Name must not be empty');
  });
});

describe('job notifications, as the README describes them', () => {
  test('by default: 4 attempts, 100, 200 then 400 ms apart, each failure recorded; seeded jobs notify through their queue', async () => {
    const service = new FakeCiService({ verifySignature: false, jobProgression: 'manual' });
    service.store.updateQueue(DEMO_QUEUE_ID, (q) => ({
      ...q,
      NotifyConfig: { State: 'On', Type: 'Url', Url: 'http://127.0.0.1:1/closed', Event: 'WorkflowFinish, TaskFinish' },
    }));
    const job = service.store.addJob({ ...generateJobs({ count: 1, seed: 9 })[0]!, State: 'Running' }); // history, as seeded jobs are
    service.advance(job.JobId, 'Success');
    const d = await service.waitForNotification(job.JobId);
    expect([d.state, d.source, d.format, d.contentType]).toEqual(['failed', 'NotifyConfig', 'XML', 'application/xml']);
    const starts = d.attempts.map((a) => a.startedAt);
    expect(starts).toHaveLength(4);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    [100, 200, 400].forEach((min, i) => expect(gaps[i]).toBeGreaterThanOrEqual(min - 2));
  });
});
