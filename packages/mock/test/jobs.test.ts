/**
 * CreateMediaJobs, DescribeMediaJob and CancelMediaJob through the real client (strict response validation)
 * against the HTTP fake, and the documented errors — with signed raw requests for the bodies the client
 * refuses to send.
 */
import { CiValidationError, type CreateMediaJobsInput } from '@cloud-infinite/client';
import { DEMO_BUCKET, DEMO_QUEUE_ID, DEMO_REGION, officialTemplates, startFakeCi, type RunningFakeCi } from '../src';
import { clientOf, errorCode, rejectionOf, serviceErrorOf, signedFetch, xmlHeaders, type RawRequest } from './helpers';

const NOW = Date.UTC(2024, 4, 6, 3, 12, 9); // 2024-05-06T11:12:09+0800
const OUTPUT = { Region: DEMO_REGION, Bucket: DEMO_BUCKET, Object: 'out/clip.${ext}' };
const INLINE: CreateMediaJobsInput = {
  Tag: 'Animation',
  Input: { Object: 'videos/clip.mp4' },
  Operation: {
    Animation: {
      Container: { Format: 'webp' },
      Video: { Codec: 'webp', Width: '320', Fps: '12', Quality: '80' },
      TimeInterval: { Start: '0', Duration: '4' },
    },
    Output: OUTPUT,
    UserData: 'order-42',
    JobLevel: '1',
  },
};

let ci: RunningFakeCi;
let clock = NOW;
beforeAll(async () => {
  ci = await startFakeCi({ jobs: 20, seed: 5, now: () => clock, jobProgression: 'manual' });
});
afterAll(() => ci.close());
const client = () => clientOf(ci.url, { now: () => clock }); // the fake's clock (2024): more skew than the client corrects
/** A signed raw request, signed by the service's clock (the fake's clock is in 2024). */
const raw = (req: RawRequest) => {
  const t = Math.floor(clock / 1000);
  return signedFetch(ci.url, { keyTime: `${t - 1};${t + 899}`, ...req });
};

describe('CreateMediaJobs', () => {
  test('an inline Animation job: Submitted, j + 32 hex, CreationTime from the service clock, the default queue, Operation as given', async () => {
    const out = await client().createMediaJobs(INLINE);
    expect(out.JobsDetail).toHaveLength(1);
    const job = out.JobsDetail[0]!;
    expect(job.JobId).toMatch(/^j[0-9a-f]{32}$/);
    expect(job).toMatchObject({
      Code: 'Success',
      Message: 'Success',
      Tag: 'Animation',
      State: 'Submitted',
      Progress: '0',
      CreationTime: '2024-05-06T11:12:09+0800',
      StartTime: '',
      EndTime: '',
      QueueId: DEMO_QUEUE_ID,
      Input: { Object: 'videos/clip.mp4' },
      Operation: INLINE.Operation,
    });
    expect(out.$metadata.attempts).toBe(1);
    const [stored] = (await client().describeMediaJob({ jobIds: [job.JobId] })).JobsDetail;
    expect(stored).toEqual(job);
  });

  test('a TemplateId job records TemplateId and TemplateName (the template wins over an inline Animation)', async () => {
    const official = officialTemplates()[0]!;
    const out = await client().createMediaJobs({
      Tag: 'Animation',
      Input: { Object: 'in.mp4' },
      Operation: { TemplateId: official.TemplateId, Animation: { Container: { Format: 'webp' } }, Output: OUTPUT },
      QueueId: DEMO_QUEUE_ID,
      CallBack: 'no',
    });
    expect(out.JobsDetail[0]!.Operation).toEqual({ TemplateId: official.TemplateId, TemplateName: 'Official-GIF', Output: OUTPUT });
  });

  test('jobs created in the same second list in creation order (JobIds sort by creation)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await client().createMediaJobs({ ...INLINE, Input: { Object: `same-second-${i}.mp4` } })).JobsDetail[0]!.JobId);
    const page = await client().describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation', orderByTime: 'Asc', size: 100 });
    const listed = page.JobsDetail.map((j) => j.JobId).filter((id) => ids.includes(id));
    expect(listed).toEqual(ids);
  });

  test('a created job appears in DescribeMediaJobs of its queue, filterable by inputObject', async () => {
    const { JobsDetail } = await client().createMediaJobs({ ...INLINE, Input: { Object: 'uploads/2024 夏天/猫.mp4' } });
    const page = await client().describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation', inputObject: 'uploads/2024 夏天/猫.mp4' });
    expect(page.JobsDetail.map((j) => j.JobId)).toEqual([JobsDetail[0]!.JobId]);
  });

  test.each([
    ['an unknown TemplateId', { TemplateId: 't1' + '0'.repeat(32) }, 'ResourceNotFound', 'does not exist'],
    [
      'Width below 128',
      { Animation: { Container: { Format: 'gif' as const }, Video: { Codec: 'gif' as const, Width: '100' } } },
      'InvalidArgument',
      'Video.Width',
    ],
    [
      'Fps above 60',
      { Animation: { Container: { Format: 'gif' as const }, Video: { Codec: 'gif' as const, Fps: '61' } } },
      'InvalidArgument',
      'Video.Fps',
    ],
    [
      'Quality 100',
      { Animation: { Container: { Format: 'webp' as const }, Video: { Codec: 'webp' as const, Quality: '100' } } },
      'InvalidArgument',
      'Video.Quality',
    ],
    [
      'a negative Start',
      { Animation: { Container: { Format: 'gif' as const }, TimeInterval: { Start: '-1' } } },
      'InvalidArgument',
      'TimeInterval.Start',
    ],
  ])('%s is a 400 %s', async (_label, operation, code, text) => {
    const err = await serviceErrorOf(client().createMediaJobs({ ...INLINE, Operation: { ...operation, Output: OUTPUT } }));
    expect([err.statusCode, err.code]).toEqual([400, code]);
    expect(err.message).toContain(text);
  });

  test('an unknown QueueId is a 400 ResourceNotFound; nothing is created', async () => {
    const before = ci.service.store.jobCount;
    const err = await serviceErrorOf(client().createMediaJobs({ ...INLINE, QueueId: 'p' + 'f'.repeat(32) }));
    expect([err.statusCode, err.code]).toEqual([400, 'ResourceNotFound']);
    expect(ci.service.store.jobCount).toBe(before);
  });

  test('the client refuses what the spec refuses before sending (no TemplateId nor Animation)', async () => {
    const err = await rejectionOf(client().createMediaJobs({ Tag: 'Animation', Input: { Object: 'x' }, Operation: { Output: OUTPUT } }));
    expect(err).toBeInstanceOf(CiValidationError);
  });
});

describe('CreateMediaJobs: bodies the client would not send (signed raw requests)', () => {
  const post = (body: string, headers: Record<string, string> = xmlHeaders(body)) => raw({ method: 'POST', path: '/jobs', body, headers });
  const valid = `<Request><Tag>Animation</Tag><Input><Object>a.mp4</Object></Input><Operation><TemplateId>${officialTemplates()[1]!.TemplateId}</TemplateId><Output><Region>ap-beijing</Region><Bucket>${DEMO_BUCKET}</Bucket><Object>a.webp</Object></Output></Operation></Request>`;

  test('a valid body with its Content-MD5 is accepted; without Content-MD5 too', async () => {
    expect((await post(valid)).status).toBe(200);
    expect((await post(valid, { 'content-type': 'application/xml' })).status).toBe(200);
  });

  test.each([
    ['no body', 'MissingContent', '', ''],
    ['not XML', 'InvalidContent', 'Tag=Animation', ''],
    ['not well-formed', 'InvalidContent', '<Request><Tag>Animation</Request>', ''],
    ['another root', 'InvalidContent', '<Response><Tag>Animation</Tag></Response>', 'got &lt;Response&gt;'],
    ['no Tag', 'InvalidArgument', valid.replace('<Tag>Animation</Tag>', ''), '/Tag is required'],
    ['Tag Transcode', 'InvalidArgument', valid.replace('<Tag>Animation</Tag>', '<Tag>Transcode</Tag>'), '/Tag'],
    ['no Input', 'InvalidArgument', valid.replace('<Input><Object>a.mp4</Object></Input>', ''), '/Input is required'],
    ['an empty Input.Object', 'InvalidArgument', valid.replace('<Object>a.mp4</Object>', '<Object></Object>'), 'Input.Object'],
    ['no Output', 'InvalidArgument', valid.replace(/<Output>.*<\/Output>/, ''), '/Operation/Output is required'],
    ['a JobLevel outside 0|1|2', 'InvalidArgument', valid.replace('</Output>', '</Output><JobLevel>3</JobLevel>'), 'JobLevel'],
    [
      'a CallBackFormat outside XML|JSON',
      'InvalidArgument',
      valid.replace('</Request>', '<CallBackFormat>YAML</CallBackFormat></Request>'),
      'CallBackFormat',
    ],
    [
      'UserData with a control character',
      'InvalidArgument',
      valid.replace('</Output>', '</Output><UserData>a&#9;b</UserData>'),
      'UserData',
    ],
    ['a misspelt element', 'InvalidArgument', valid.replace('<Tag>', '<Tags>x</Tags><Tag>'), 'Tags'],
  ])('%s: 400 %s', async (_label, code, body, text) => {
    const res = await post(body, body ? xmlHeaders(body) : {});
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(code);
    expect(res.body).toContain(text);
  });

  test('a wrong Content-MD5 is a 400 InvalidDigest', async () => {
    const res = await post(valid, { ...xmlHeaders(valid), 'content-md5': xmlHeaders(`${valid} `)['content-md5']! });
    expect([res.status, errorCode(res.body)]).toEqual([400, 'InvalidDigest']);
  });
});

describe('DescribeMediaJob', () => {
  test('several ids: found ones in the order asked, each once; unknown ones in NonExistJobIds', async () => {
    const [a, b] = ci.service.store.listJobs({ limit: 2 }).jobs;
    const out = await client().describeMediaJob({ jobIds: [b!.JobId, 'jnope1', a!.JobId, b!.JobId, 'jnope2'] });
    expect(out.JobsDetail.map((j) => j.JobId)).toEqual([b!.JobId, a!.JobId]);
    expect(out.NonExistJobIds).toEqual(['jnope1', 'jnope2']);
  });

  test('every id unknown: still a 200, with NonExistJobIds only', async () => {
    const res = await raw({ path: '/jobs/jnope1,jnope2' });
    expect(res.status).toBe(200);
    expect(res.body).not.toContain('<JobsDetail>');
    const out = await client().describeMediaJob({ jobIds: ['jnope1'] });
    expect(out).toEqual({ JobsDetail: [], NonExistJobIds: ['jnope1'] });
  });

  test('an empty id in the list is a 400 InvalidArgument; a query parameter too', async () => {
    expect(errorCode((await raw({ path: '/jobs/a,,b' })).body)).toBe('InvalidArgument');
    expect(errorCode((await raw({ path: '/jobs/a', query: [['size', '1']] })).body)).toBe('InvalidArgument');
  });
});

describe('CancelMediaJob', () => {
  const create = async () => (await client().createMediaJobs(INLINE)).JobsDetail[0]!.JobId;

  test('a Submitted job: empty 200, then State Cancel with an EndTime; a second cancel answers 200 again', async () => {
    const jobId = await create();
    clock += 5000;
    const res = await client().cancelMediaJob({ jobId });
    expect(res).toEqual({});
    expect(res.$metadata.statusCode).toBe(200);
    const [job] = (await client().describeMediaJob({ jobIds: [jobId] })).JobsDetail;
    expect(job).toMatchObject({ State: 'Cancel', EndTime: '2024-05-06T11:12:14+0800', StartTime: '' });
    await expect(client().cancelMediaJob({ jobId })).resolves.toEqual({});
  });

  test('the raw answer is an empty 200 without a content-type', async () => {
    const jobId = await create();
    const res = await raw({ method: 'PUT', path: `/jobs/${jobId}`, query: [['cancel', undefined]] });
    expect([res.status, res.body, res.headers['content-type'], res.headers['content-length']]).toEqual([200, '', undefined, '0']);
  });

  test.each(['Running', 'Success', 'Failed'] as const)('a %s job can not be canceled: 400 InvalidArgument', async (state) => {
    const jobId = await create();
    ci.service.advance(jobId, state);
    const err = await serviceErrorOf(client().cancelMediaJob({ jobId }));
    expect([err.statusCode, err.code]).toEqual([400, 'InvalidArgument']);
    expect(err.message).toContain('can not be canceled');
    expect(ci.service.store.getJob(jobId)!.State).toBe(state);
  });

  test('an unknown job is a 400 ResourceNotFound, not retried', async () => {
    const err = await serviceErrorOf(client().cancelMediaJob({ jobId: 'j' + '0'.repeat(32) }));
    expect([err.statusCode, err.code]).toEqual([400, 'ResourceNotFound']);
  });

  test('without the ?cancel flag: 400 InvalidArgument', async () => {
    const jobId = await create();
    const res = await raw({ method: 'PUT', path: `/jobs/${jobId}` });
    expect([res.status, errorCode(res.body)]).toEqual([400, 'InvalidArgument']);
  });
});
