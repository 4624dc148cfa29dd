/** The seeder: deterministic, realistic, and every job fits the spec. */
import { CI_TIME_PATTERN, decodeDocument, encodeXml } from '@cloud-infinite/runtime';
import { responseValidators } from '@cloud-infinite/codegen/oracle';
import { shapes } from '@cloud-infinite/client';
import { DEMO_BUCKET, DEMO_QUEUE_ID, DEMO_REGION, FakeCiService, FakeCiStore, generateJobs, seedJobs } from '../src';

const NOW = Date.UTC(2024, 4, 6, 3, 12, 9);

test('the same seed gives the same jobs; another seed other jobs', () => {
  const a = generateJobs({ count: 120, seed: 5, now: NOW });
  expect(generateJobs({ count: 120, seed: 5, now: () => NOW })).toEqual(a);
  expect(generateJobs({ count: 120, seed: 6, now: NOW })).not.toEqual(a);
  const s1 = new FakeCiService({ jobs: 50, seed: 11, now: () => NOW });
  const s2 = new FakeCiService({ jobs: 50, seed: 11, now: () => NOW });
  expect(s1.store.listJobs()).toEqual(s2.store.listJobs());
});

test('seeded jobs are realistic Animation jobs', () => {
  const jobs = generateJobs({ count: 400, seed: 1, now: NOW });
  const states = new Map<string, number>();
  for (const j of jobs) states.set(j.State, (states.get(j.State) ?? 0) + 1);
  for (const s of ['Submitted', 'Running', 'Success', 'Failed', 'Cancel']) expect(states.get(s)).toBeGreaterThan(10);
  expect(states.get('Success')).toBeGreaterThan(150);

  for (const j of jobs) {
    expect(j.JobId).toMatch(/^j[0-9a-f]{32}$/);
    expect(j.Tag).toBe('Animation');
    expect(j.QueueId).toBe(DEMO_QUEUE_ID);
    expect(j.CreationTime).toMatch(CI_TIME_PATTERN);
    expect(j.CreationTime).toMatch(/\+0800$/);
    const created = Date.parse(j.CreationTime!.replace(/(\d{2})(\d{2})$/, '$1:$2'));
    expect(created).toBeLessThanOrEqual(NOW);
    expect(created).toBeGreaterThan(NOW - 7 * 86_400_000);
    expect(j.Input!.Object).toMatch(/^(videos\/clip-\d{4}\.mp4|uploads\/2024 夏天\/clip-\d{4}\.mov)$/);
    const op = j.Operation!;
    expect(op.Output).toEqual({
      Region: DEMO_REGION,
      Bucket: DEMO_BUCKET,
      Object: expect.stringMatching(/^animations\/clip-\d{4}-[0-9a-f]{8}\.(gif|webp)$/),
    });
    expect(Boolean(op.TemplateId) !== Boolean(op.Animation)).toBe(true);
    if (op.TemplateId) expect(op.TemplateId).toMatch(/^t1[0-9a-f]{32}$/);
    if (op.Animation) {
      expect(['gif', 'hgif', 'webp']).toContain(op.Animation.Container.Format);
      expect(op.Animation.Video!.Codec).toBe(op.Animation.Container.Format === 'webp' ? 'webp' : 'gif');
    }
    if (j.State === 'Failed') {
      expect(j.Code).not.toBe('Success');
      expect(j.Message).toBeTruthy();
    } else {
      expect(j.Code).toBe('Success');
    }
    if (j.State === 'Success') {
      expect(op.MediaResult!.OutputFile!.ObjectName).toEqual([op.Output!.Object]);
      expect(op.MediaInfo!.Stream!.Video).toHaveLength(1);
      expect(j.Progress).toBe('100');
    } else {
      expect(op.MediaResult).toBeUndefined();
    }
    if (j.State === 'Submitted') expect(j.StartTime).toBe('');
    if (['Submitted', 'Running'].includes(j.State)) {
      expect(j.EndTime).toBe('');
      expect(created).toBeGreaterThanOrEqual(NOW - 1_800_000);
    }
  }
  expect(jobs.some((j) => j.Operation!.TemplateId)).toBe(true);
  expect(jobs.some((j) => j.Operation!.Animation)).toBe(true);
  expect(jobs.some((j) => j.Workflow?.length)).toBe(true);
  // several jobs share an input object (so inputObject filters return several)
  expect(new Set(jobs.map((j) => j.Input!.Object)).size).toBeLessThan(jobs.length / 2);
});

test('every seeded job round-trips through the spec shapes and validates', () => {
  const jobs = generateJobs({ count: 200, seed: 3, now: NOW });
  const xml = encodeXml({ JobsDetail: jobs }, shapes.documents.DescribeMediaJobsResponse);
  const decoded = decodeDocument(xml, shapes.documents.DescribeMediaJobsResponse);
  expect(decoded.value).toEqual({ JobsDetail: jobs });
  // nothing the spec lacks, nothing missing (what strict mode requires), and the spec's schema agrees
  expect(decoded.issues).toEqual([]);
  const validate = responseValidators()('DescribeMediaJobsResponse');
  expect(validate.errors ?? []).toEqual([]);
  expect(validate(decoded.value)).toBe(true);
});

test('seedJobs adds to a store; the store refuses duplicates and jobs outside the spec', () => {
  const store = new FakeCiStore();
  const jobs = seedJobs(store, { count: 10, seed: 2, queueId: 'pabc', now: NOW });
  expect(store.jobCount).toBe(10);
  expect(store.getJob(jobs[3]!.JobId)).toEqual(jobs[3]);
  expect(jobs.every((j) => j.QueueId === 'pabc')).toBe(true);
  expect(() => store.addJob(jobs[0]!)).toThrow(/JobId/);
  expect(() => store.addJob({ ...jobs[0]!, JobId: 'jnew', CreationTime: 'yesterday' })).toThrow(/CreationTime/);
  expect(() => store.addJob({ ...jobs[0]!, JobId: 'jnew2', Bogus: 'x' } as never)).toThrow(/Bogus/);
  // copies in and out
  const copy = store.getJob(jobs[0]!.JobId)!;
  copy.State = 'Cancel';
  expect(store.getJob(jobs[0]!.JobId)!.State).toBe(jobs[0]!.State);
});
