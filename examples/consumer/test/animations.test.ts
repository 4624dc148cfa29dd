/**
 * The consumer's functions against the fake CI service over real HTTP (`startFakeCi`): real signing, real
 * paging, jobs that move Submitted → Running → Success|Failed as they are polled. Offline.
 */
import { CiMediaClient, CiServiceError } from '@cloud-infinite/client';
import { DEMO_BUCKET, DEMO_CREDENTIALS, DEMO_QUEUE_ID, DEMO_REGION, startFakeCi, type RunningFakeCi } from '@cloud-infinite/mock';
import { convertVideos, settleQueue } from '../src';

/** Poll every 1..5 ms instead of the client's 1..15 s. */
const FAST = { minDelayMs: 1, maxDelayMs: 5, maxWaitSeconds: 10 };
const OUTPUT = { bucket: DEMO_BUCKET, region: DEMO_REGION, prefix: 'gifs/' };

let ci: RunningFakeCi;
let client: CiMediaClient;
let templateId: string;

beforeEach(async () => {
  // each job moves one state per read: Submitted, then Running, then Success (or Failed for a key containing "fail")
  ci = await startFakeCi({ jobProgression: { afterPolls: 1 } });
  client = new CiMediaClient({ endpoint: ci.url, credentials: DEMO_CREDENTIALS, retryBaseDelayMs: 1 });
  const { Template } = await client.createMediaTemplate({
    Tag: 'Animation',
    Name: 'gif-480',
    Container: { Format: 'gif' },
    Video: { Codec: 'gif', Width: '480' },
  });
  templateId = Template.TemplateId!;
});
afterEach(() => ci.close());

test('convertVideos reports each job: the GIF of a good video, the error of a bad one', async () => {
  const report = await convertVideos(client, ['videos/cat.mp4', 'videos/fail-corrupt.mp4', 'uploads/2024 夏天/dog.mov'], {
    templateId,
    output: OUTPUT,
    wait: FAST,
  });
  expect(report.succeeded.map((o) => [o.input, o.output])).toEqual([
    ['videos/cat.mp4', 'gifs/cat.gif'],
    ['uploads/2024 夏天/dog.mov', 'gifs/dog.gif'],
  ]);
  expect(report.failed).toEqual([
    expect.objectContaining({
      input: 'videos/fail-corrupt.mp4',
      state: 'Failed',
      code: 'InvalidInput',
      message: 'The input file is not a video.',
    }),
  ]);
});

test('settleQueue lists the pending jobs of a queue and waits for them', async () => {
  for (const key of ['a.mp4', 'b.mp4', 'fail-c.mp4']) {
    await client.createMediaJobs({
      Tag: 'Animation',
      Input: { Object: key },
      Operation: { TemplateId: templateId, Output: { Bucket: DEMO_BUCKET, Region: DEMO_REGION, Object: `${key}.gif` } },
    });
  }
  const report = await settleQueue(client, DEMO_QUEUE_ID, FAST);
  expect(report.succeeded.map((o) => o.input).sort()).toEqual(['a.mp4', 'b.mp4']);
  expect(report.failed.map((o) => [o.input, o.code])).toEqual([['fail-c.mp4', 'InvalidInput']]);
  // nothing is left pending
  expect((await settleQueue(client, DEMO_QUEUE_ID, FAST)).succeeded).toEqual([]);
});

test('a canceled job is not pending; waiting for it ends in Cancel', async () => {
  const [first] = (
    await client.createMediaJobs({
      Tag: 'Animation',
      Input: { Object: 'x.mp4' },
      Operation: { TemplateId: templateId, Output: { Bucket: DEMO_BUCKET, Region: DEMO_REGION, Object: 'x.gif' } },
    })
  ).JobsDetail;
  await client.cancelMediaJob({ jobId: first!.JobId });
  const report = await settleQueue(client, DEMO_QUEUE_ID, FAST);
  expect(report).toEqual({ succeeded: [], failed: [] }); // a canceled job is not pending any more
  await expect(client.waitForMediaJob(first!.JobId, FAST)).rejects.toMatchObject({ state: 'Cancel' });
});

test('503s while polling are retried by the client; the report is unchanged', async () => {
  ci.service.injectFault({ operation: 'DescribeMediaJob', fault: '503', times: 2 });
  const report = await convertVideos(client, ['videos/cat.mp4'], { templateId, output: OUTPUT, wait: FAST });
  expect(report.succeeded).toHaveLength(1);
  expect(ci.service.faultCounts).toEqual([2]);
});

test('a refused submission surfaces as the client error (an unknown template)', async () => {
  const err = await convertVideos(client, ['a.mp4'], { templateId: 't1nope', output: OUTPUT, wait: FAST }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CiServiceError);
  expect(err).toMatchObject({ statusCode: 400, code: 'ResourceNotFound' });
});
