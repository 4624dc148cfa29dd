/**
 * End to end against the stateful fake CI service of `@cloud-infinite/mock` over real HTTP (signature-checked):
 * templates created, changed and deleted, jobs created from them and followed with list, get, wait and
 * cancel, a queue paused — every command through `run()` in-process with nothing injected but the
 * environment (and stdin).
 */
import { DEMO_BUCKET, DEMO_CREDENTIALS, DEMO_QUEUE_ID, DEMO_REGION, startFakeCi, type RunningFakeCi } from '@cloud-infinite/mock';
import { runCli, type RunResult } from './helpers';

interface Job {
  JobId: string;
  State: string;
  Code?: string;
  Message?: string;
  QueueId?: string;
  Input?: { Object: string };
  Operation?: { TemplateId?: string; Output?: { Bucket: string; Region: string; Object: string } };
}

describe('ci-media against the fake CI service: the job lifecycle', () => {
  let ci: RunningFakeCi;
  let env: Record<string, string>;
  beforeAll(async () => {
    // a created job read twice (listed or got) in a state moves one step: Submitted → Running → Success|Failed
    ci = await startFakeCi({ port: 0, seed: 11, jobProgression: { afterPolls: 2 } });
    env = {
      TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId,
      TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey,
      CI_ENDPOINT: ci.url,
      // the default output bucket and region of `jobs create`
      CI_BUCKET: DEMO_BUCKET,
      CI_REGION: DEMO_REGION,
    };
  });
  afterAll(() => ci.close());

  const cli = (argv: readonly string[], stdin?: string): Promise<RunResult> => runCli(argv, stdin === undefined ? { env } : { env, stdin });
  const ok = (r: RunResult): RunResult => {
    if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
    return r;
  };

  let templateId: string;

  it('templates create, list, update', async () => {
    const created = ok(
      await cli(['templates', 'create', '--name', 'e2e-gif', '--format', 'gif', '--width', '480', '--fps', '10', '--json']),
    );
    templateId = (JSON.parse(created.stdout) as { Template: { TemplateId: string } }).Template.TemplateId;
    expect(templateId).toMatch(/^t/);

    const listed = ok(await cli(['templates', 'list', '--ids', templateId, '--json']));
    expect(JSON.parse(listed.stdout)).toMatchObject({
      TemplateList: [{ TemplateId: templateId, Name: 'e2e-gif', TransTpl: { Video: { Width: '480', Fps: '10' } } }],
    });

    // read-modify-write: only the frame rate changes
    ok(await cli(['templates', 'update', templateId, '--fps', '15']));
    const after = ok(await cli(['templates', 'list', '--ids', templateId, '--json']));
    expect(JSON.parse(after.stdout)).toMatchObject({
      TemplateList: [{ Name: 'e2e-gif', TransTpl: { Container: { Format: 'gif' }, Video: { Codec: 'gif', Width: '480', Fps: '15' } } }],
    });
    const table = ok(await cli(['templates', 'list', '--all']));
    expect(table.stdout).toMatch(new RegExp(`^${templateId}\\s+e2e-gif\\s+`, 'm'));
  });

  it('jobs create from the template, then list, get and wait until Success', async () => {
    const created = ok(
      await cli([
        'jobs',
        'create',
        '--template-id',
        templateId,
        '--input-object',
        'in/e2e.mp4',
        '--output-object',
        'out/e2e.gif',
        '--queue-id',
        DEMO_QUEUE_ID,
        '--json',
      ]),
    );
    const job = (JSON.parse(created.stdout) as { JobsDetail: Job[] }).JobsDetail[0]!;
    expect(job).toMatchObject({
      State: 'Submitted',
      QueueId: DEMO_QUEUE_ID,
      Input: { Object: 'in/e2e.mp4' },
      Operation: { TemplateId: templateId, Output: { Bucket: DEMO_BUCKET, Region: DEMO_REGION, Object: 'out/e2e.gif' } },
    });

    const listed = ok(await cli(['jobs', 'list', '--queue-id', DEMO_QUEUE_ID, '--all', '--ndjson']));
    expect(
      listed.stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as Job).JobId),
    ).toContain(job.JobId);

    // the listing was the first read, this is the second: answered Submitted, then the job starts running
    const got = ok(await cli(['jobs', 'get', job.JobId]));
    expect(got.stdout).toMatch(new RegExp(`^${job.JobId}\\s+Submitted\\s`, 'm'));

    const waited = ok(await cli(['jobs', 'wait', job.JobId, '--interval-ms', '10', '--json']));
    expect(JSON.parse(waited.stdout)).toMatchObject({ JobId: job.JobId, State: 'Success' });
    expect(
      waited.stderr
        .trimEnd()
        .split('\n')
        .map((l) => l.split(' ')[1]),
    ).toEqual(['Running', 'Running', 'Success']);
  });

  it('a job that fails: jobs wait exits 1 with its Code and Message', async () => {
    const body = {
      Input: { Object: 'in/fail-e2e.mp4' },
      Operation: { Animation: { Container: { Format: 'webp' } }, Output: { Object: 'out/fail.webp' } },
    };
    const created = ok(await cli(['jobs', 'create', '--input', '-', '--json'], JSON.stringify(body)));
    const id = (JSON.parse(created.stdout) as { JobsDetail: Job[] }).JobsDetail[0]!.JobId;
    const waited = await cli(['jobs', 'wait', id, '--interval-ms', '10']);
    expect(waited.code).toBe(1);
    expect(waited.stdout).toMatch(new RegExp(`^${id}\\s+Failed\\s`, 'm'));
    expect(waited.stderr.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^error: job ${id} ended Failed: InvalidInput: .+`));
  });

  it('jobs cancel: the job ends Cancel; get shows it, wait exits 1, a second cancel is harmless', async () => {
    const created = ok(
      await cli(['jobs', 'create', '--template-id', templateId, '--input-object', 'in/c.mp4', '--output-object', 'out/c.gif', '--json']),
    );
    const id = (JSON.parse(created.stdout) as { JobsDetail: Job[] }).JobsDetail[0]!.JobId;
    expect(ok(await cli(['jobs', 'cancel', id])).stdout).toBe(`Cancelled job ${id}.\n`);
    expect(ok(await cli(['jobs', 'get', id])).stdout).toMatch(new RegExp(`^${id}\\s+Cancel\\s`, 'm'));
    const waited = await cli(['jobs', 'wait', id]);
    expect(waited.code).toBe(1);
    expect(waited.stderr.trimEnd().split('\n').at(-1)).toBe(`error: job ${id} ended Cancel`);
    ok(await cli(['jobs', 'cancel', id]));
  });

  it('jobs get with an id that does not exist: exit 1; cancel of it: the service error', async () => {
    const missing = `j${'0'.repeat(31)}1`;
    const got = await cli(['jobs', 'get', missing]);
    expect(got.code).toBe(1);
    expect(got.stderr).toBe(`error: no such job: ${missing}\n`);
    const cancelled = await cli(['jobs', 'cancel', missing]);
    expect(cancelled.code).toBe(1);
    expect(cancelled.stderr).toMatch(/^error: ResourceNotFound: .+ \(request id .+, HTTP 400\)\n$/);
  });

  it('queues list and update: pause the default queue and see it paused', async () => {
    const listed = ok(await cli(['queues', 'list', '--json']));
    const queues = (JSON.parse(listed.stdout) as { QueueList: { QueueId: string; Name: string; State: string }[] }).QueueList;
    const queue = queues.find((q) => q.QueueId === DEMO_QUEUE_ID);
    expect(queue).toBeDefined();

    ok(await cli(['queues', 'update', DEMO_QUEUE_ID, '--state', 'Paused']));
    const paused = ok(await cli(['queues', 'list', '--state', 'Paused', '--all', '--json']));
    const after = (JSON.parse(paused.stdout) as { QueueList: { QueueId: string; Name: string; State: string }[] }).QueueList;
    expect(after.find((q) => q.QueueId === DEMO_QUEUE_ID)).toMatchObject({ Name: queue!.Name, State: 'Paused' });

    ok(await cli(['queues', 'update', DEMO_QUEUE_ID, '--state', 'Active']));
    const byId = await cli(['queues', 'list', '--queue-ids', `${DEMO_QUEUE_ID},pnope`]);
    expect(byId.code).toBe(1);
    expect(byId.stdout).toMatch(new RegExp(`^${DEMO_QUEUE_ID}\\s+.*\\s+Active`, 'm'));
    expect(byId.stderr).toBe('error: no such queue: pnope\n');
  });

  it('templates delete: gone afterwards', async () => {
    expect(ok(await cli(['templates', 'delete', templateId])).stdout).toBe(`Deleted template ${templateId}.\n`);
    const listed = await cli(['templates', 'list', '--ids', templateId]);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toBe(`error: no such template: ${templateId}\n`);
  });
});
