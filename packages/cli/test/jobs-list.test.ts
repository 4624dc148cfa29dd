import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS_DENIED_BODY, DOC_SAMPLE_BODY, jobId, pageXml, type JobFixture } from './fixtures';
import { BASE_ENV, QUEUE, SECRET_ID, SECRET_KEY, fakeFetch, runCli } from './helpers';

const LIST = ['jobs', 'list', '--queue-id', QUEUE];

const jobs = (from: number, n: number, extra: Partial<JobFixture> = {}): JobFixture[] =>
  Array.from({ length: n }, (_, i) => ({ id: jobId(from + i), ...extra }));

/** Three pages: 2 jobs, then 2, then 1, linked by NextToken tok-1 and tok-2. */
const THREE_PAGES = {
  '': { body: pageXml(jobs(1, 2), 'tok-1') },
  'tok-1': { body: pageXml(jobs(3, 2), 'tok-2') },
  'tok-2': { body: pageXml(jobs(5, 1), '') },
};

describe('ci-media jobs list: one page', () => {
  it('prints the doc sample as a table and sends the documented query', async () => {
    const { fetch, requests } = fakeFetch({ '': { body: DOC_SAMPLE_BODY } });
    const r = await runCli(LIST, { fetch });

    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(requests).toHaveLength(1);
    const req = requests[0]!;
    expect(req.method).toBe('GET');
    expect(req.url.origin).toBe('https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com');
    expect(req.url.pathname).toBe('/jobs');
    expect(Object.fromEntries(req.url.searchParams)).toEqual({ queueId: QUEUE, tag: 'Animation' });
    expect(req.headers.get('authorization')).toMatch(/^q-sign-algorithm=sha1&q-ak=AKIDtest/);
    expect(req.headers.get('user-agent')).toMatch(/^ci-media\//);

    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^JOB ID\s+STATE\s+CREATED\s+INPUT\s+OUTPUT$/);
    expect(lines[1]).toContain('je8f65004eb8511eaaed4f377124a303c');
    expect(lines[2]).toContain('je8f65004eb8511eaaed4f377124a303d');
    for (const line of lines.slice(1)) {
      expect(line).toMatch(/Submitted\s+2019-07-07T12:12:12\+0800\s+test\.mp4\s+test-trans\.gif$/);
    }
    // fitted widths: every column starts at the same offset on every line
    for (const col of ['STATE', 'CREATED', 'INPUT', 'OUTPUT']) {
      const at = lines[0]!.indexOf(col);
      expect(lines[1]!.slice(at - 2, at)).toBe('  ');
      expect(lines[1]![at]).not.toBe(' ');
    }
    expect(lines.every((l) => !l.endsWith(' '))).toBe(true);
    expect(r.stdout).not.toContain('NextToken');
    expect(r.stdout).not.toContain('CODE'); // no failed job, no Code column
  });

  it('maps every filter flag to its wire name', async () => {
    const { fetch, requests } = fakeFetch({ 'abc/def+=': { body: pageXml([]) } });
    const r = await runCli(
      // the flags are paired with their values, one pair per line
      // prettier-ignore
      [
        ...LIST,
        '--tag', 'animation',
        '--states', 'success,Failed',
        '--size', '50',
        '--order', 'asc',
        '--since', '2024-05-01T08:00:00+0800',
        '--until', '2024-05-02T00:00:00Z',
        '--next-token', 'abc/def+=',
      ],
      { fetch },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { url, rawUrl } = requests[0]!;
    expect(Object.fromEntries(url.searchParams)).toEqual({
      queueId: QUEUE,
      tag: 'Animation',
      orderByTime: 'Asc',
      nextToken: 'abc/def+=',
      size: '50',
      states: 'Success,Failed',
      startCreationTime: '2024-05-01T08:00:00+0800',
      // an ISO time is converted to a Date and sent in +0800
      endCreationTime: '2024-05-02T08:00:00+0800',
    });
    // '+' must travel as %2B, never as a literal '+' (a space in a query)
    expect(rawUrl).toContain('startCreationTime=2024-05-01T08%3A00%3A00%2B0800');
    expect(rawUrl).toContain('endCreationTime=2024-05-02T08%3A00%3A00%2B0800');
    expect(rawUrl).toContain('nextToken=abc%2Fdef%2B%3D');
    expect(rawUrl.split('?')[1]).not.toContain('+');
    expect(r.stdout).toBe('No jobs.\n');
  });

  it('accepts a date alone and an ISO offset for --since/--until', async () => {
    const { fetch, requests } = fakeFetch({ '': { body: pageXml([]) } });
    const r = await runCli([...LIST, '--since', '2024-05-01', '--until', '2024-05-01T23:30:00+08:00'], { fetch });
    expect(r.code).toBe(0);
    expect(requests[0]!.url.searchParams.get('startCreationTime')).toBe('2024-05-01T08:00:00+0800');
    expect(requests[0]!.url.searchParams.get('endCreationTime')).toBe('2024-05-01T23:30:00+0800');
  });

  it('prints the NextToken line after the table', async () => {
    const { fetch } = fakeFetch(THREE_PAGES);
    const r = await runCli(LIST, { fetch });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('NextToken: tok-1');
  });

  it('shows Code and Message of failed jobs', async () => {
    const { fetch } = fakeFetch({
      '': {
        body: pageXml([
          { id: jobId(1) },
          { id: jobId(2), state: 'Failed', code: 'InvalidInput', message: 'the input object does not exist' },
        ]),
      },
    });
    const r = await runCli(LIST, { fetch });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/OUTPUT\s+CODE\s+MESSAGE$/);
    expect(lines[1]).toMatch(/out\/video\.gif\s+-\s+-$/); // Success jobs show no code
    expect(lines[2]).toMatch(/Failed .*InvalidInput\s+the input object does not exist$/);
  });

  it('fits East Asian wide characters and escapes control characters from the service', async () => {
    // C0 controls cannot travel in XML 1.0 (the decoder refuses them); C1 controls (a terminal's CSI) and bidi
    // overrides can, and are escaped
    const { fetch } = fakeFetch({
      '': {
        body: pageXml([
          { id: jobId(1), input: '视频/输入.mp4' },
          { id: jobId(2), input: 'evil\u009b31mred\u0085\u202e.mp4' },
        ]),
      },
    });
    const r = await runCli(LIST, { fetch });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u009b');
    expect(r.stdout).not.toContain('\u202e');
    expect(r.stdout).toContain('evil\\x9b31mred\\x85\\u202e.mp4');
    const lines = r.stdout.trimEnd().split('\n');
    // the OUTPUT column starts at the same terminal cell on both rows: the CJK input counts 2 cells a character
    const cellsBefore = (line: string): number => {
      const at = line.indexOf('out/video.gif');
      return [...line.slice(0, at)].reduce((w, ch) => w + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0);
    };
    expect(cellsBefore(lines[1]!)).toBe(cellsBefore(lines[2]!));
  });

  it('--json prints one JSON document: the page', async () => {
    const { fetch } = fakeFetch(THREE_PAGES);
    const r = await runCli([...LIST, '--json'], { fetch });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { JobsDetail: { JobId: string; Input: { Object: string } }[]; NextToken: string };
    expect(doc.JobsDetail.map((j) => j.JobId)).toEqual([jobId(1), jobId(2)]);
    expect(doc.JobsDetail[0]!.Input.Object).toBe('in/video.mp4');
    expect(doc.NextToken).toBe('tok-1');
  });

  it('--json of the doc sample keeps every field, typed from the spec', async () => {
    const { fetch } = fakeFetch({ '': { body: DOC_SAMPLE_BODY } });
    const r = await runCli([...LIST, '--json'], { fetch });
    const doc = JSON.parse(r.stdout) as { JobsDetail: Record<string, unknown>[] };
    expect(doc.JobsDetail).toHaveLength(2);
    expect(doc.JobsDetail[0]).toMatchObject({
      JobId: 'je8f65004eb8511eaaed4f377124a303c',
      State: 'Submitted',
      Operation: { TemplateId: 't1460606b9752148c4ab182f55163ba7cd', Output: { Object: 'test-trans.gif' } },
    });
    expect(doc).not.toHaveProperty('$metadata');
  });

  it('--ndjson prints one job per line and the NextToken on stderr', async () => {
    const { fetch } = fakeFetch(THREE_PAGES);
    const r = await runCli([...LIST, '--ndjson'], { fetch });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { JobId: string }).JobId)).toEqual([jobId(1), jobId(2)]);
    expect(r.stderr).toBe('NextToken: tok-1\n');
  });

  it('routes response validation warnings to stderr, not the console', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // a job without its JobId: the default (lenient) mode warns about a missing required member
      const body = DOC_SAMPLE_BODY.replace(/<JobId>[^<]*<\/JobId>/, '');
      const { fetch } = fakeFetch({ '': { body } });
      const r = await runCli([...LIST, '--json'], { fetch });
      expect(r.code).toBe(0);
      expect(warn).not.toHaveBeenCalled();
      expect(r.stderr).toMatch(/^warning: \[cloud-infinite\] DescribeMediaJobs response does not match the spec/);
      expect(JSON.parse(r.stdout)).toHaveProperty('JobsDetail');
    } finally {
      warn.mockRestore();
    }
  });
});

describe('ci-media jobs list --all', () => {
  it('follows NextToken and streams each page under a header', async () => {
    const { fetch, requests } = fakeFetch(THREE_PAGES);
    const r = await runCli([...LIST, '--all', '--size', '2'], { fetch });
    expect(r.code).toBe(0);
    expect(requests.map((q) => q.url.searchParams.get('nextToken'))).toEqual([null, 'tok-1', 'tok-2']);
    expect(requests.every((q) => q.url.searchParams.get('size') === '2')).toBe(true);
    for (let i = 1; i <= 5; i++) expect(r.stdout).toContain(jobId(i));
    expect(r.stdout).toContain('— page 1 (2 jobs) —\nJOB ID');
    expect(r.stdout).toContain('\n\n— page 2 (2 jobs) —\n');
    expect(r.stdout).toContain('— page 3 (1 job) —');
    expect(r.stdout).not.toContain('NextToken');
    expect(r.stderr).toBe('fetched 5 jobs in 3 pages\n');
    // streaming: one stdout chunk per page, written as the pages arrive, the progress line last
    expect(r.chunks.map((c) => c.stream)).toEqual(['stdout', 'stdout', 'stdout', 'stderr']);
  });

  it('starts at --next-token', async () => {
    const { fetch, requests } = fakeFetch(THREE_PAGES);
    const r = await runCli([...LIST, '--all', '--next-token', 'tok-1'], { fetch });
    expect(r.code).toBe(0);
    expect(requests.map((q) => q.url.searchParams.get('nextToken'))).toEqual(['tok-1', 'tok-2']);
    expect(r.stdout).not.toContain(jobId(1));
    expect(r.stderr).toBe('fetched 3 jobs in 2 pages\n');
  });

  it('--json prints one document with every job', async () => {
    const { fetch } = fakeFetch(THREE_PAGES);
    const r = await runCli([...LIST, '--all', '--json'], { fetch });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { JobsDetail: { JobId: string }[] };
    expect(Object.keys(doc)).toEqual(['JobsDetail']);
    expect(doc.JobsDetail.map((j) => j.JobId)).toEqual([1, 2, 3, 4, 5].map(jobId));
    expect(r.stderr).toBe('fetched 5 jobs in 3 pages\n');
  });

  it('--json --ndjson streams one job per line', async () => {
    const { fetch } = fakeFetch(THREE_PAGES);
    const r = await runCli([...LIST, '--all', '--json', '--ndjson'], { fetch });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => (JSON.parse(l) as { JobId: string }).JobId)).toEqual([1, 2, 3, 4, 5].map(jobId));
    expect(r.chunks.filter((c) => c.stream === 'stdout')).toHaveLength(3);
  });

  it('an empty listing says so', async () => {
    const { fetch } = fakeFetch({ '': { body: '<Response/>' } });
    const r = await runCli([...LIST, '--all'], { fetch });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('— page 1 (0 jobs) —\n');
    expect(r.stderr).toBe('fetched 0 jobs in 1 page\n');
  });

  it('a failure mid-listing keeps the pages printed and tells where to resume', async () => {
    const { fetch } = fakeFetch({
      '': THREE_PAGES[''],
      'tok-1': { status: 403, body: ACCESS_DENIED_BODY },
    });
    const r = await runCli([...LIST, '--all'], { fetch });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(jobId(2));
    expect(r.stderr).toBe(
      'fetched 2 jobs in 1 page before the error; resume with --next-token tok-1\n' +
        'error: AccessDenied: Access Denied. (request id NWQ3YmM1ZjBfOTgwMzBhXzQ5ZTZfMjQ****, HTTP 403)\n',
    );
  });

  it('a table keeps the same columns at the same places on every page', async () => {
    const { fetch } = fakeFetch({
      // page 1: short names, no failure; page 2: a failed job and a longer input name
      '': { body: pageXml(jobs(1, 2, { input: 'a.mp4', output: 'a.gif' }), 'tok-1') },
      'tok-1': {
        body: pageXml([
          { id: jobId(3), input: 'b.mp4', output: 'b.gif' },
          { id: jobId(4), state: 'Failed', code: 'InvalidInput', message: 'input object not found', input: 'videos/much-longer-name.mp4' },
        ]),
      },
    });
    const r = await runCli([...LIST, '--all'], { fetch });
    expect(r.code).toBe(0);
    const [page1, page2] = r.stdout.split('\n\n').map((p) => p.trimEnd().split('\n'));
    // the same header on both pages, with every column, CODE and MESSAGE included
    expect(page1![1]).toMatch(/^JOB ID\s+STATE\s+CREATED\s+INPUT\s+OUTPUT\s+CODE\s+MESSAGE$/);
    expect(page2![1]).toBe(page1![1]);
    // the columns of a row that fits start where the header says, on both pages
    const header = page1![1]!;
    for (const row of [page1![2]!, page1![3]!, page2![2]!]) {
      for (const col of ['STATE', 'CREATED', 'INPUT', 'OUTPUT']) expect(row.slice(header.indexOf(col) - 2, header.indexOf(col))).toBe('  ');
      expect(row).toMatch(/ {2}- +-$/); // no Code, no Message
    }
    // a longer value is printed whole: nothing is cut
    expect(page2![3]).toContain('videos/much-longer-name.mp4');
    expect(page2![3]).toContain('InvalidInput');
    expect(page2![3]).toMatch(/input object not found$/);
  });

  it('shows progress on stderr only when it is a terminal, or when asked; never on stdout', async () => {
    const quiet = await runCli([...LIST, '--all', '--ndjson'], { fetch: fakeFetch(THREE_PAGES).fetch });
    expect(quiet.stderr).toBe('fetched 5 jobs in 3 pages\n');
    for (const options of [
      { argv: [] as string[], stderrIsTTY: true },
      { argv: ['--progress'], stderrIsTTY: false },
    ]) {
      const r = await runCli([...LIST, '--all', '--ndjson', ...options.argv], {
        fetch: fakeFetch(THREE_PAGES).fetch,
        stderrIsTTY: options.stderrIsTTY,
      });
      expect(r.code).toBe(0);
      expect(r.stderr.startsWith('\r\x1b[Klisting jobs: waiting for page 1…')).toBe(true);
      const redraws = r.stderr.split('\r\x1b[K');
      expect(redraws.at(-2)).toMatch(/^listing jobs: 5 jobs in 3 pages(, [\d,]+ jobs\/s)?$/);
      expect(redraws.at(-1)).toBe('fetched 5 jobs in 3 pages\n');
      expect(r.stdout).not.toContain('\x1b');
      expect(r.stdout.trimEnd().split('\n')).toHaveLength(5);
    }
    const off = await runCli([...LIST, '--all', '--ndjson', '--no-progress'], { fetch: fakeFetch(THREE_PAGES).fetch, stderrIsTTY: true });
    expect(off.stderr).toBe('fetched 5 jobs in 3 pages\n');
  });

  it('--json failing mid-listing says nothing was printed, and resumes where the listing started', async () => {
    const failing = { 'tok-1': THREE_PAGES['tok-1'], 'tok-2': { status: 403, body: ACCESS_DENIED_BODY } };
    const r = await runCli([...LIST, '--all', '--json', '--next-token', 'tok-1'], { fetch: fakeFetch(failing).fetch });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(
      'fetched 2 jobs in 1 page before the error; nothing was printed (--json prints at the end; --ndjson streams); resume with --next-token tok-1',
    );
  });

  it('a repeated NextToken stops the listing instead of looping', async () => {
    const { fetch, requests } = fakeFetch({ '': { body: pageXml(jobs(1, 1), 'again') }, again: { body: pageXml(jobs(2, 1), 'again') } });
    const r = await runCli([...LIST, '--all', '--ndjson'], { fetch });
    expect(r.code).toBe(1);
    expect(requests).toHaveLength(2);
    expect(r.stderr).toMatch(/^fetched 2 jobs in 2 pages before the error\nerror: .*NextToken "again" twice/);
  });
});

describe('ci-media jobs list: connection settings', () => {
  it('takes bucket and region from the flags before the environment', async () => {
    const { fetch, requests } = fakeFetch({ '': { body: DOC_SAMPLE_BODY } });
    const r = await runCli([...LIST, '--bucket', 'other-1250000001', '--region', 'ap-guangzhou'], { fetch });
    expect(r.code).toBe(0);
    expect(requests[0]!.url.host).toBe('other-1250000001.ci.ap-guangzhou.myqcloud.com');
  });

  it('--endpoint makes bucket and region optional', async () => {
    const { fetch, requests } = fakeFetch({ '': { body: DOC_SAMPLE_BODY } });
    const env = { TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY };
    const r = await runCli([...LIST, '--endpoint', 'http://127.0.0.1:9000/'], { fetch, env });
    expect(r.code).toBe(0);
    expect(requests[0]!.rawUrl).toMatch(/^http:\/\/127\.0\.0\.1:9000\/jobs\?queueId=/);
  });

  it('CI_ENDPOINT does the same', async () => {
    const { fetch, requests } = fakeFetch({ '': { body: DOC_SAMPLE_BODY } });
    const env = { TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY, CI_ENDPOINT: 'http://localhost:8080' };
    const r = await runCli(LIST, { fetch, env });
    expect(r.code).toBe(0);
    expect(requests[0]!.url.origin).toBe('http://localhost:8080');
  });

  it('sends the session token of temporary credentials', async () => {
    const { fetch, requests } = fakeFetch({ '': { body: DOC_SAMPLE_BODY } });
    const r = await runCli(LIST, { fetch, env: { ...BASE_ENV, TENCENTCLOUD_SESSION_TOKEN: 'session-token-xyz' } });
    expect(r.code).toBe(0);
    expect(requests[0]!.headers.get('x-ci-security-token')).toBe('session-token-xyz');
    expect(r.stdout + r.stderr).not.toContain('session-token-xyz');
  });
});

describe('ci-media jobs list: errors', () => {
  it('a service error prints code, message, request id and status; exit 1; no secret', async () => {
    const { fetch } = fakeFetch({
      '': { status: 403, body: ACCESS_DENIED_BODY, headers: { 'x-ci-request-id': 'NWQ3YmM1ZjBfOTgwMzBhXzQ5ZTZfMjQ****' } },
    });
    const r = await runCli(LIST, { fetch, env: { ...BASE_ENV, TENCENTCLOUD_SESSION_TOKEN: 'tok-secret' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: AccessDenied: Access Denied. (request id NWQ3YmM1ZjBfOTgwMzBhXzQ5ZTZfMjQ****, HTTP 403)\n');
    for (const secret of [SECRET_KEY, 'tok-secret']) expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('a non-XML error body still gives status and request id', async () => {
    const { fetch } = fakeFetch({ '': { status: 404, body: '<html>not found</html>', headers: { 'x-ci-request-id': 'rid-9' } } });
    const r = await runCli(LIST, { fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Http404: .* \(request id rid-9, HTTP 404\)\n$/);
  });

  it('missing credentials: a clear error, exit 1, nothing sent', async () => {
    const { fetch, requests } = fakeFetch({ '': { body: DOC_SAMPLE_BODY } });
    const r = await runCli(LIST, { fetch, env: { CI_BUCKET: 'examplebucket-1250000000', CI_REGION: 'ap-beijing' } });
    expect(r.code).toBe(1);
    expect(requests).toHaveLength(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: No credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/);
  });

  it('a network failure prints its message, exit 1', async () => {
    const fetch = (async () => {
      throw Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    }) as typeof globalThis.fetch;
    const r = await runCli([...LIST, '--endpoint', 'http://127.0.0.1:1'], { fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: Could not connect to 127.0.0.1:1 (connection refused, ECONNREFUSED)\n');
  });

  const usage: [string, string[], RegExp][] = [
    ['missing --queue-id', ['jobs', 'list'], /required option '--queue-id <id>' not specified/],
    ['an empty --queue-id', ['jobs', 'list', '--queue-id', ' '], /--queue-id must not be empty/],
    ['a bad --since', [...LIST, '--since', 'yesterday'], /option '--since <time>' argument 'yesterday' is invalid/],
    [
      'an impossible date',
      [...LIST, '--since', '2024-02-30'],
      /'--since <time>' argument '2024-02-30' is invalid\. there is no such date: 2024-02-30 \(February 2024 has 29 days\)/,
    ],
    [
      'an impossible date in the CI form',
      [...LIST, '--until', '2024-02-30T00:00:00+0800'],
      /'--until <time>' argument .* is invalid\. there is no such date: 2024-02-30/,
    ],
    ['--since after --until', [...LIST, '--since', '2024-05-02', '--until', '2024-05-01'], /--since is later than --until/],
    ['a bad --size', [...LIST, '--size', '101'], /'--size <n>' argument '101' is invalid\. expected an integer from 1 to 100/],
    ['a bad --states', [...LIST, '--states', 'Success,Done'], /expected one of All, Submitted, Running/],
    ['a bad --order', [...LIST, '--order', 'up'], /expected one of Desc, Asc/],
    ['a bad --tag', [...LIST, '--tag', 'Transcode'], /expected one of Animation/],
    ['an unknown option', [...LIST, '--colour'], /unknown option '--colour'/],
    ['an unknown command', ['workflows'], /unknown command 'workflows'/],
    ['no command', [], /Usage: ci-media/],
  ];
  it.each(usage)('%s is a usage error: exit 2, nothing sent', async (_name, argv, message) => {
    const { fetch, requests } = fakeFetch({ '': { body: DOC_SAMPLE_BODY } });
    const r = await runCli(argv, { fetch });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(requests).toHaveLength(0);
  });

  it('missing bucket and region is a usage error naming both and the alternative', async () => {
    const { fetch, requests } = fakeFetch({});
    const r = await runCli(LIST, { fetch, env: { TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY } });
    expect(r.code).toBe(2);
    expect(requests).toHaveLength(0);
    expect(r.stderr).toBe(
      'error: missing --bucket (or CI_BUCKET) and --region (or CI_REGION); or give --endpoint (or CI_ENDPOINT)\n(add --help for usage)\n',
    );
  });

  it('an invalid bucket or endpoint is a usage error naming the flag', async () => {
    const bad = await runCli([...LIST, '--bucket', 'NoAppId'], { fetch: fakeFetch({}).fetch });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --bucket must be BucketName-APPID/);
    const badEndpoint = await runCli([...LIST, '--endpoint', 'ftp://x'], { fetch: fakeFetch({}).fetch });
    expect(badEndpoint.code).toBe(2);
    expect(badEndpoint.stderr).toMatch(/^error: --endpoint must be an http\(s\) URL/);
    const withPassword = await runCli([...LIST, '--endpoint', 'http://user:hunter2@127.0.0.1:9000'], { fetch: fakeFetch({}).fetch });
    expect(withPassword.code).toBe(2);
    expect(withPassword.stderr).toMatch(/^error: --endpoint must not contain a user name or password/);
    expect(withPassword.stderr).not.toContain('hunter2');
  });
});

describe('ci-media help and version', () => {
  it('--help lists the jobs group, exit 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: ci-media \[options\] \[command\]/);
    expect(r.stdout).toContain('jobs');
  });

  it('jobs list --help documents the flags and environment variables', async () => {
    const r = await runCli(['jobs', 'list', '--help']);
    expect(r.code).toBe(0);
    for (const text of [
      '--queue-id',
      '--states',
      '--since',
      '--all',
      '--ndjson',
      '--endpoint',
      'CI_BUCKET',
      'CI_ENDPOINT',
      'TENCENTCLOUD_SECRET_KEY',
      '--progress',
      '--no-progress',
    ]) {
      expect(r.stdout).toContain(text);
    }
    // the one option without which nothing is sent says so
    expect(r.stdout).toMatch(/^ {2}--queue-id <id> +required: the queue whose jobs are listed$/m);
  });

  it('help jobs works too', async () => {
    const r = await runCli(['help', 'jobs']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('list');
  });

  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version);
  });
});
