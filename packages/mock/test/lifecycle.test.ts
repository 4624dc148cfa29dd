/**
 * The job state machine with each progression mode, through the real client: the default (afterMs, on the
 * service clock) with cancel, immediate, afterPolls, manual with service.advance, failures from the input key,
 * waitForMediaJob to Success and Failed, paused queues.
 */
import { CiJobFailedError, type CreateMediaJobsInput, type MediaJob } from '@cloud-infinite/client';
import { formatCiTime } from '@cloud-infinite/runtime';
import {
  DEFAULT_JOB_PROGRESSION,
  DEMO_BUCKET,
  DEMO_QUEUE_ID,
  DEMO_REGION,
  FakeCiService,
  startFakeCi,
  type FakeCiOptions,
  type RunningFakeCi,
} from '../src';
import { FAST_POLL, clientOf, rejectionOf, serviceErrorOf } from './helpers';

const NOW = Date.UTC(2024, 4, 6, 3, 12, 9);
const job = (object: string, queueId?: string): CreateMediaJobsInput => ({
  Tag: 'Animation',
  Input: { Object: object },
  Operation: {
    Animation: { Container: { Format: 'gif' }, Video: { Codec: 'gif', Width: '480', Fps: '15' }, TimeInterval: { Duration: '6' } },
    Output: { Region: DEMO_REGION, Bucket: DEMO_BUCKET, Object: 'out/${ext}/clip.${ext}' },
  },
  ...(queueId ? { QueueId: queueId } : {}),
});

const started: RunningFakeCi[] = [];
afterAll(() => Promise.all(started.map((c) => c.close())));
async function fake(options: FakeCiOptions) {
  const ci = await startFakeCi({ now: () => NOW, ...options });
  started.push(ci);
  // the client signs by the fake's clock (2024): it corrects at most 7 days of skew on its own
  const client = clientOf(ci.url, { now: options.now ?? (() => NOW) });
  const create = async (object: string, queueId?: string) => (await client.createMediaJobs(job(object, queueId))).JobsDetail[0]!;
  const read = async (jobId: string) => (await client.describeMediaJob({ jobIds: [jobId] })).JobsDetail[0]!;
  return { ci, client, create, read };
}

function expectSuccess(j: MediaJob, startTime = '2024-05-06T11:12:09+0800'): void {
  expect(j).toMatchObject({ State: 'Success', Progress: '100', Code: 'Success', Message: 'Success' });
  expect(j.StartTime).toBe(startTime);
  expect(j.EndTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0800$/);
  const file = j.Operation!.MediaResult!.OutputFile!;
  expect(file).toMatchObject({ Bucket: DEMO_BUCKET, Region: DEMO_REGION, ObjectName: ['out/gif/clip.gif'] });
  expect(file.Md5Info![0]!.Md5).toMatch(/^[0-9a-f]{32}$/);
  expect(j.Operation!.MediaInfo!.Format).toMatchObject({ FormatName: 'gif', Duration: '6.000000' });
  expect(j.Operation!.MediaInfo!.Stream!.Video![0]).toMatchObject({ Width: '480', CodecName: 'gif' });
}

/** CI's time format at `ms` (+0800). */
const at = (ms: number) => formatCiTime(new Date(ms), 480);

describe('the default progression: { afterMs: 300 } on the service clock', () => {
  /** A fake on a clock the test moves, with the default progression. */
  async function clocked(options: FakeCiOptions = {}) {
    const clock = { ms: NOW };
    const ci = await startFakeCi({ now: () => clock.ms, ...options });
    started.push(ci);
    // the client signs by the same clock (it corrects at most 7 days of skew on its own)
    const client = clientOf(ci.url, { now: () => clock.ms });
    const create = async (object: string, queueId?: string) => (await client.createMediaJobs(job(object, queueId))).JobsDetail[0]!;
    const read = async (jobId: string) => (await client.describeMediaJob({ jobIds: [jobId] })).JobsDetail[0]!;
    return { ci, client, clock, create, read };
  }

  test('is 300 ms Submitted, then 300 ms Running, then the outcome; reads do not move a job', async () => {
    expect(new FakeCiService().jobs.progression).toEqual({ afterMs: 300 });
    expect(DEFAULT_JOB_PROGRESSION).toEqual({ afterMs: 300 });
    const { clock, create, read } = await clocked();
    const { JobId, State } = await create('videos/cat.mp4');
    expect(State).toBe('Submitted');
    for (let i = 0; i < 5; i++) expect((await read(JobId)).State).toBe('Submitted');
    clock.ms = NOW + 299;
    expect(await read(JobId)).toMatchObject({ State: 'Submitted', StartTime: '' });
    clock.ms = NOW + 300;
    expect(await read(JobId)).toMatchObject({ State: 'Running', Progress: '50', StartTime: at(NOW + 300), EndTime: '' });
    clock.ms = NOW + 599;
    expect((await read(JobId)).State).toBe('Running');
    clock.ms = NOW + 600;
    const done = await read(JobId);
    expectSuccess(done, at(NOW + 300));
    expect(done.EndTime).toBe(at(NOW + 600));
  });

  test('a job first read long after it ended shows the times it moved, not the time of the read', async () => {
    const { clock, create, read } = await clocked();
    const { JobId } = await create('videos/FAIL-me.mp4');
    clock.ms = NOW + 3_600_000;
    expect(await read(JobId)).toMatchObject({
      State: 'Failed',
      Code: 'InvalidInput',
      StartTime: at(NOW + 300),
      EndTime: at(NOW + 600),
    });
  });

  test('a job just created can be canceled (the cancel does not finish it); waiting for it then says Cancel', async () => {
    const { client, clock, create, read } = await clocked();
    const { JobId } = await create('videos/cat.mp4');
    clock.ms = NOW + 100;
    await client.cancelMediaJob({ jobId: JobId });
    clock.ms = NOW + 10_000;
    expect(await read(JobId)).toMatchObject({ State: 'Cancel', EndTime: at(NOW + 100) });
    const err = await rejectionOf(client.waitForMediaJob(JobId, FAST_POLL));
    expect(err).toMatchObject({ name: 'CiJobFailedError', state: 'Cancel' });
  });

  test('once Running (300 ms on), a job can no longer be canceled', async () => {
    const { client, clock, create } = await clocked();
    const { JobId } = await create('videos/cat.mp4');
    clock.ms = NOW + 300;
    const err = await serviceErrorOf(client.cancelMediaJob({ jobId: JobId }));
    expect([err.statusCode, err.code]).toEqual([400, 'InvalidArgument']);
    expect(err.message).toContain('is Running and can not be canceled');
  });

  test('{ afterMs: n } sets the time of each state; a listing shows the states of now', async () => {
    const { client, clock, create } = await clocked({ jobProgression: { afterMs: 5_000 } });
    await create('a.mp4');
    clock.ms = NOW + 1_000;
    await create('fail-b.mp4');
    const states = async () =>
      (await client.describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation', orderByTime: 'Asc' })).JobsDetail.map((j) => j.State);
    expect(await states()).toEqual(['Submitted', 'Submitted']);
    clock.ms = NOW + 5_000;
    expect(await states()).toEqual(['Running', 'Submitted']);
    clock.ms = NOW + 10_999;
    expect(await states()).toEqual(['Success', 'Running']);
    clock.ms = NOW + 11_000;
    expect(await states()).toEqual(['Success', 'Failed']);
  });

  test('advance() still works, and restarts the time in the new state', async () => {
    const { ci, clock, create, read } = await clocked();
    const { JobId } = await create('a.mp4');
    clock.ms = NOW + 100;
    expect(ci.service.advance(JobId)[0]).toMatchObject({ State: 'Running', StartTime: at(NOW + 100) });
    clock.ms = NOW + 399;
    expect((await read(JobId)).State).toBe('Running');
    clock.ms = NOW + 400;
    expect((await read(JobId)).State).toBe('Success');
  });

  test('with the real clock, waitForMediaJob sees Submitted, Running and Success within about 600 ms', async () => {
    const ci = await startFakeCi();
    started.push(ci);
    const client = clientOf(ci.url);
    const { JobId } = (await client.createMediaJobs(job('a.mp4'))).JobsDetail[0]!;
    const polls: string[] = [];
    const began = Date.now();
    const done = await client.waitForMediaJob(JobId, {
      minDelayMs: 20,
      maxDelayMs: 40,
      maxWaitSeconds: 10,
      onPoll: (j) => polls.push(j.State),
    });
    expect(done.State).toBe('Success');
    expect(Date.now() - began).toBeGreaterThanOrEqual(590);
    expect([...new Set(polls)]).toEqual(['Submitted', 'Running', 'Success']);
  });
});

describe("jobProgression 'immediate'", () => {
  test('the create answer says Submitted; the first read says Success with MediaResult and MediaInfo', async () => {
    const { create, read } = await fake({ jobProgression: 'immediate' });
    const submitted = await create('videos/cat.mp4');
    expect(submitted.State).toBe('Submitted');
    expect(submitted.Operation!.MediaResult).toBeUndefined();
    expectSuccess(await read(submitted.JobId));
  });

  test('so a job can never be canceled: the cancel reads it, which finishes it', async () => {
    const { client, create, read } = await fake({ jobProgression: 'immediate' });
    const { JobId } = await create('videos/cat.mp4');
    const err = await serviceErrorOf(client.cancelMediaJob({ jobId: JobId }));
    expect([err.statusCode, err.code]).toEqual([400, 'InvalidArgument']);
    expect((await read(JobId)).State).toBe('Success');
  });

  test('an input key containing "fail" (any case) ends Failed with Code InvalidInput', async () => {
    const { create, read } = await fake({ jobProgression: 'immediate' });
    const failed = await read((await create('videos/FAIL-me.mp4')).JobId);
    expect(failed).toMatchObject({ State: 'Failed', Code: 'InvalidInput', Message: 'The input file is not a video.' });
    expect(failed.Operation!.MediaResult).toBeUndefined();
    expect(failed.EndTime).not.toBe('');
  });

  test('jobOutcome decides how jobs end', async () => {
    const { create, read } = await fake({
      jobProgression: 'immediate',
      jobOutcome: (j) =>
        j.Input?.Object?.endsWith('.txt')
          ? { state: 'Failed', code: 'InputFormatNotSupport', message: 'Not a video.' }
          : { state: 'Success' },
    });
    expect(await read((await create('notes.txt')).JobId)).toMatchObject({
      State: 'Failed',
      Code: 'InputFormatNotSupport',
      Message: 'Not a video.',
    });
    expect((await read((await create('fail.mp4')).JobId)).State).toBe('Success');
  });

  test('waitForMediaJob returns the Success job after one poll', async () => {
    const { client, create } = await fake({ jobProgression: 'immediate' });
    const polls: string[] = [];
    const done = await client.waitForMediaJob((await create('a.mp4')).JobId, { ...FAST_POLL, onPoll: (j) => polls.push(j.State) });
    expectSuccess(done);
    expect(polls).toEqual(['Success']);
  });

  test('waitForMediaJob throws CiJobFailedError for a failing input', async () => {
    const { client, create } = await fake({ jobProgression: 'immediate' });
    const err = await rejectionOf(client.waitForMediaJob((await create('fail.mp4')).JobId, FAST_POLL));
    expect(err).toBeInstanceOf(CiJobFailedError);
    expect(err).toMatchObject({ state: 'Failed', code: 'InvalidInput', jobMessage: 'The input file is not a video.' });
  });
});

describe('jobProgression { afterPolls }', () => {
  test.each([1, 2, 3])('afterPolls %i: each of Submitted and Running is seen by exactly n reads', async (n) => {
    const { create, read } = await fake({ jobProgression: { afterPolls: n } });
    const { JobId } = await create('a.mp4');
    const states: string[] = [];
    for (let i = 0; i < 2 * n + 2; i++) states.push((await read(JobId)).State);
    expect(states).toEqual([...Array(n).fill('Submitted'), ...Array(n).fill('Running'), 'Success', 'Success']);
  });

  test('a DescribeMediaJobs page counts as a read of every job in it', async () => {
    const { client, create, read } = await fake({ jobProgression: { afterPolls: 1 } });
    const a = await create('a.mp4');
    const b = await create('fail-b.mp4');
    const list = async () =>
      (await client.describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation', orderByTime: 'Asc' })).JobsDetail.map((j) => j.State);
    expect(await list()).toEqual(['Submitted', 'Submitted']);
    expect(await list()).toEqual(['Running', 'Running']);
    expect(await list()).toEqual(['Success', 'Failed']);
    expect((await read(a.JobId)).StartTime).toBe('2024-05-06T11:12:09+0800');
    expect((await read(b.JobId)).Code).toBe('InvalidInput');
  });

  test('a filtered listing shows a job in the state it matched; the state moves after the read', async () => {
    const { client, create } = await fake({ jobProgression: { afterPolls: 1 } });
    const { JobId } = await create('a.mp4');
    const running = () => client.describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation', states: ['Submitted'] });
    expect((await running()).JobsDetail.map((j) => [j.JobId, j.State])).toEqual([[JobId, 'Submitted']]);
    expect((await running()).JobsDetail).toEqual([]);
  });

  test('waitForMediaJob polls through Submitted and Running to Success', async () => {
    const { client, create } = await fake({ jobProgression: { afterPolls: 2 } });
    const polls: string[] = [];
    const done = await client.waitForMediaJob((await create('a.mp4')).JobId, { ...FAST_POLL, onPoll: (j) => polls.push(j.State) });
    expect(done.State).toBe('Success');
    expect(polls).toEqual(['Submitted', 'Submitted', 'Running', 'Running', 'Success']);
  });

  test('waitForMediaJob polls to Failed and throws CiJobFailedError', async () => {
    const { client, create } = await fake({ jobProgression: { afterPolls: 1 } });
    const polls: string[] = [];
    const err = await rejectionOf(
      client.waitForMediaJob((await create('uploads/will-fail.mov')).JobId, { ...FAST_POLL, onPoll: (j) => polls.push(j.State) }),
    );
    expect(err).toBeInstanceOf(CiJobFailedError);
    expect(polls).toEqual(['Submitted', 'Running', 'Failed']);
  });

  test('seeded jobs are history: reads do not move them', async () => {
    const { client, ci } = await fake({ jobs: 40, seed: 3, jobProgression: { afterPolls: 1 } });
    const before = ci.service.store.listJobs().jobs.map((j) => j.State);
    for (let i = 0; i < 3; i++) await client.describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation', size: 100 });
    expect(ci.service.store.listJobs().jobs.map((j) => j.State)).toEqual(before);
    expect(before).toContain('Running');
  });
});

describe("jobProgression 'manual' and service.advance", () => {
  test('jobs stay Submitted until advanced; advance() moves every created job one step', async () => {
    const { ci, create, read } = await fake({ jobProgression: 'manual' });
    const a = await create('a.mp4');
    const b = await create('fail-b.mp4');
    for (let i = 0; i < 3; i++) expect((await read(a.JobId)).State).toBe('Submitted');
    expect(ci.service.advance().map((j) => j.State)).toEqual(['Running', 'Running']);
    expect(ci.service.advance().map((j) => j.State)).toEqual(['Success', 'Failed']);
    expect(ci.service.advance()).toEqual([]);
    expectSuccess(await read(a.JobId));
    expect((await read(b.JobId)).State).toBe('Failed');
  });

  test('advance(jobId) moves one job; advance(jobId, state) jumps; a finished job is unchanged or refused', async () => {
    const { ci, create, read } = await fake({ jobProgression: 'manual' });
    const a = await create('a.mp4');
    const b = await create('b.mp4');
    expect(ci.service.advance(a.JobId)[0]!.State).toBe('Running');
    expect((await read(b.JobId)).State).toBe('Submitted');
    const [failed] = ci.service.advance(b.JobId, 'Failed');
    expect(failed).toMatchObject({ State: 'Failed', Code: 'InternalError', Message: 'Internal error, please retry.' });
    expect(ci.service.advance(b.JobId)[0]!.State).toBe('Failed'); // finished: unchanged
    expect(() => ci.service.advance(b.JobId, 'Success')).toThrow(RangeError);
    expect(() => ci.service.advance(a.JobId, 'Submitted')).toThrow(RangeError);
    expect(() => ci.service.advance('jnope')).toThrow(RangeError);
    expect(ci.service.advance(a.JobId, 'Pause')[0]!.State).toBe('Pause');
    expect(ci.service.advance(a.JobId)[0]!.State).toBe('Running');
  });

  test('advance works on seeded jobs by id, with template parameters for the result', async () => {
    const { ci, read } = await fake({ jobs: 60, seed: 9, jobProgression: 'manual' });
    const running = ci.service.store.listJobs({ states: ['Running'] }).jobs[0]!;
    ci.service.advance(running.JobId);
    const done = await read(running.JobId);
    expect(done.State).toBe(/fail/i.test(running.Input!.Object!) ? 'Failed' : 'Success');
    if (done.State === 'Success') expect(done.Operation!.MediaResult!.OutputFile!.ObjectName).toEqual([running.Operation!.Output!.Object]);
  });

  test('the clock drives StartTime and EndTime', async () => {
    let clock = NOW;
    const ci = await startFakeCi({ jobProgression: 'manual', now: () => clock });
    started.push(ci);
    const client = clientOf(ci.url, { now: () => clock });
    const { JobId } = (await client.createMediaJobs(job('a.mp4'))).JobsDetail[0]!;
    clock += 61_000;
    ci.service.advance(JobId);
    clock += 3_600_000;
    ci.service.advance(JobId);
    const [j] = (await client.describeMediaJob({ jobIds: [JobId] })).JobsDetail;
    expect([j!.CreationTime, j!.StartTime, j!.EndTime]).toEqual([
      '2024-05-06T11:12:09+0800',
      '2024-05-06T11:13:10+0800',
      '2024-05-06T12:13:10+0800',
    ]);
  });
});

describe('paused queues', () => {
  test('{ afterMs }: a job in a Paused queue stays Submitted; resuming the queue starts its Submitted time anew', async () => {
    let clock = NOW;
    const ci = await startFakeCi({ now: () => clock });
    started.push(ci);
    const client = clientOf(ci.url, { now: () => clock });
    const paused = ci.service.store.listQueues().find((q) => q.State === 'Paused')!;
    const { JobId } = (await client.createMediaJobs(job('a.mp4', paused.QueueId))).JobsDetail[0]!;
    const state = async () => (await client.describeMediaJob({ jobIds: [JobId] })).JobsDetail[0]!.State;
    clock = NOW + 10_000;
    expect(await state()).toBe('Submitted');
    await client.updateMediaQueue({ queueId: paused.QueueId, Name: paused.Name!, State: 'Active' });
    clock = NOW + 10_299;
    expect(await state()).toBe('Submitted');
    clock = NOW + 10_300;
    expect(await state()).toBe('Running');
    clock = NOW + 10_600;
    expect(await state()).toBe('Success');
  });

  test('a job created in a Paused queue stays Submitted (immediate and afterPolls) until the queue is Active again', async () => {
    for (const jobProgression of ['immediate', { afterPolls: 1 }] as const) {
      const { ci, client, create, read } = await fake({ jobProgression });
      const paused = ci.service.store.listQueues().find((q) => q.State === 'Paused')!;
      const { JobId } = await create('a.mp4', paused.QueueId);
      for (let i = 0; i < 3; i++) expect((await read(JobId)).State).toBe('Submitted');
      expect(ci.service.advance()).toEqual([]); // advance() skips it too
      await client.updateMediaQueue({ queueId: paused.QueueId, Name: paused.Name!, State: 'Active' });
      const states = [];
      for (let i = 0; i < 3; i++) states.push((await read(JobId)).State);
      expect(states).toEqual(jobProgression === 'immediate' ? ['Success', 'Success', 'Success'] : ['Submitted', 'Running', 'Success']);
    }
  });

  test('pausing a queue holds new jobs; a Submitted job in it can still be canceled', async () => {
    const { client, create, read } = await fake({ jobProgression: 'immediate' });
    await client.updateMediaQueue({ queueId: DEMO_QUEUE_ID, Name: 'default', State: 'Paused' });
    const { JobId } = await create('a.mp4');
    expect((await read(JobId)).State).toBe('Submitted');
    await client.cancelMediaJob({ jobId: JobId });
    await client.updateMediaQueue({ queueId: DEMO_QUEUE_ID, Name: 'default', State: 'Active' });
    expect((await read(JobId)).State).toBe('Cancel');
    const err = await rejectionOf(client.waitForMediaJob(JobId, FAST_POLL));
    expect(err).toMatchObject({ name: 'CiJobFailedError', state: 'Cancel' });
  });
});

test.each([
  { afterPolls: 0 },
  { afterPolls: 1.5 },
  { afterMs: 0 },
  { afterMs: -1 },
  { afterMs: 2.5 },
  { afterMs: 86_400_001 },
  { afterMs: 1, afterPolls: 1 },
  'later',
])('a bad jobProgression %j is refused at construction', (jobProgression) => {
  expect(() => new FakeCiService({ jobProgression: jobProgression as 'manual' })).toThrow(RangeError);
});
