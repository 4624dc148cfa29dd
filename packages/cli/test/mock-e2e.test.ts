/**
 * End to end against the fake CI service of `@cloud-infinite/mock` over real HTTP (global fetch,
 * signature-checked, paginated by the service): `run()` in-process, nothing injected but the environment.
 */
import { DEMO_CREDENTIALS, DEMO_QUEUE_ID, startFakeCi, type RunningFakeCi } from '@cloud-infinite/mock';
import { runCli } from './helpers';

interface Job {
  JobId: string;
  State: string;
  CreationTime: string;
}

describe('ci-media jobs list against the fake CI service', () => {
  let ci: RunningFakeCi;
  let env: Record<string, string>;
  beforeAll(async () => {
    ci = await startFakeCi({ port: 0, jobs: 25, seed: 7 });
    env = {
      TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId,
      TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey,
      CI_ENDPOINT: ci.url,
    };
  });
  afterAll(() => ci.close());

  const parse = (stdout: string): Job[] =>
    stdout
      .trimEnd()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Job);

  /** `--all` listing of the seeded queue; every job must come exactly once, in order. */
  async function listsEveryJobOnce(order: 'Asc' | 'Desc'): Promise<void> {
    const args = ['jobs', 'list', '--queue-id', DEMO_QUEUE_ID, '--size', '10', '--order', order, '--all'];
    const r = await runCli([...args, '--ndjson'], { env });
    expect(r.stderr).toBe('fetched 25 jobs in 3 pages\n');
    expect(r.code).toBe(0);
    const jobs = parse(r.stdout);
    expect(jobs).toHaveLength(25);
    expect(new Set(jobs.map((j) => j.JobId)).size).toBe(25);
    const times = jobs.map((j) => j.CreationTime);
    const sorted = [...times].sort();
    expect(times).toEqual(order === 'Asc' ? sorted : sorted.reverse());

    const table = await runCli(args, { env });
    expect(table.code).toBe(0);
    for (const job of jobs) expect(table.stdout).toContain(job.JobId);
    expect(table.stdout.match(/^— page \d \(\d+ jobs\) —$/gm)).toEqual([
      '— page 1 (10 jobs) —',
      '— page 2 (10 jobs) —',
      '— page 3 (5 jobs) —',
    ]);
  }

  it('--all --order Asc follows the service NextToken through every job, each once', () => listsEveryJobOnce('Asc'));

  // KNOWN MOCK BUG (not the CLI): in packages/mock/src/store.ts listJobs, Desc paging starts at
  // `#insertionIndex(query.after) - 1`, which is the cursor job itself, so every Desc page repeats the last job
  // of the previous page (25 jobs come back as 27). The fix there is `#insertionIndex(query.after, 'before') - 1`.
  it('--all in the default order (Desc) lists every job once', () => listsEveryJobOnce('Desc'));

  it('filters by state and creation time on the service side', async () => {
    const all = parse((await runCli(['jobs', 'list', '--queue-id', DEMO_QUEUE_ID, '--all', '--ndjson', '--order', 'asc'], { env })).stdout);
    const state = all[0]!.State;
    const since = all[10]!.CreationTime;
    const r = await runCli(
      ['jobs', 'list', '--queue-id', DEMO_QUEUE_ID, '--all', '--ndjson', '--order', 'Asc', '--states', state, '--since', since],
      { env },
    );
    expect(r.code).toBe(0);
    const expected = all.filter((j) => j.State === state && j.CreationTime >= since).map((j) => j.JobId);
    expect(parse(r.stdout).map((j) => j.JobId)).toEqual(expected);
  });

  it('a wrong secret key: the service error line, exit 1, the key never printed', async () => {
    const r = await runCli(['jobs', 'list', '--queue-id', DEMO_QUEUE_ID], {
      env: { ...env, TENCENTCLOUD_SECRET_KEY: 'wrongwrongwrongwrongwrongwrong00' },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: \w+: .+ \(request id .+, HTTP 40[13]\)\n$/);
    expect(r.stderr).not.toContain('wrongwrong');
  });
});
