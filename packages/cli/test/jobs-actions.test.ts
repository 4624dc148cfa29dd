/**
 * `ci-media jobs create|get|cancel|wait` in-process against a recording fake fetch: the request sent
 * (compared with the recorded bodies of specs/recordings), the output, the exit codes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCESS_DENIED_BODY, jobId, jobXml } from './fixtures';
import { BASE_ENV, QUEUE, routeFetch, runCli, type FakeResponse, type RecordedRequest } from './helpers';
import { normalizeXml, recording } from './recordings';

const TEMPLATE = 't1460606b9752148c4ab182f55163ba7cd';
const ENDPOINT = 'https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com';

/** The inline-animation recording's body as `--input` JSON (every leaf a string, as in the spec). */
const INLINE_BODY = {
  Tag: 'Animation',
  Input: { Object: 'test.mp4' },
  Operation: {
    Animation: {
      Container: { Format: 'gif' },
      Video: { Codec: 'gif', Width: '1280', Height: '', Fps: '15', AnimateOnlyKeepKeyFrame: 'true' },
      TimeInterval: { Start: '0', Duration: '60' },
    },
    Output: { Region: 'ap-beijing', Bucket: 'abc-1250000000', Object: 'test-trans.gif' },
  },
  QueueId: QUEUE,
  CallBack: 'https://www.callback.com',
};

function only(requests: readonly RecordedRequest[]): RecordedRequest {
  expect(requests).toHaveLength(1);
  return requests[0]!;
}

describe('ci-media jobs create', () => {
  const templateRec = recording('CreateMediaJobs', 'template-id');
  const inlineRec = recording('CreateMediaJobs', 'inline-animation');

  it('builds the recorded template-id body from flags and prints the job', async () => {
    const { fetch, requests } = routeFetch(() => templateRec.response);
    const r = await runCli(
      // the flags are paired with their values, one pair per line
      // prettier-ignore
      [
        'jobs', 'create',
        '--template-id', TEMPLATE,
        '--input-object', 'test.mp4',
        '--output-object', 'test-trans.gif',
        '--output-bucket', 'abc-1250000000',
        '--output-region', 'ap-beijing',
        '--queue-id', QUEUE,
        '--callback', 'https://www.callback.com',
      ],
      { fetch },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const req = only(requests);
    expect(req.method).toBe('POST');
    expect(req.url.href).toBe(`${ENDPOINT}/jobs`);
    expect(req.headers.get('content-type')).toBe('application/xml');
    expect(req.body).toBe(normalizeXml(templateRec.requestBody));
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^JOB ID\s+STATE\s+CREATED\s+INPUT\s+OUTPUT$/);
    expect(lines[1]).toMatch(/^je8f65004eb8511eaaed4f377124a303c\s+Submitted\s+2019-07-07T12:12:12\+0800\s+test\.mp4\s+test-trans\.gif$/);
  });

  it('builds the recorded inline-animation body from the animation flags', async () => {
    const { fetch, requests } = routeFetch(() => inlineRec.response);
    const r = await runCli(
      // the flags are paired with their values, one pair per line
      // prettier-ignore
      [
        'jobs', 'create',
        '--format', 'GIF',
        '--width', '1280',
        '--fps', '15',
        '--key-frames-only',
        '--start', '0',
        '--duration', '60',
        '--input-object', 'test.mp4',
        '--output-object', 'test-trans.gif',
        '--output-bucket', 'abc-1250000000',
        '--queue-id', QUEUE,
        '--callback', 'https://www.callback.com',
      ],
      { fetch },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // the recording sends an empty <Height></Height> (keep the aspect ratio); the flags just leave it out;
    // the codec follows --format; the output region defaults to CI_REGION
    expect(only(requests).body).toBe(normalizeXml(inlineRec.requestBody).replace('<Height></Height>', ''));
    expect(r.stdout).toContain('jabcxxxxfeipplsdfwe');
  });

  it('--input - reads the body from stdin: the recorded body, byte for byte; --json prints the result', async () => {
    const { fetch, requests } = routeFetch(() => inlineRec.response);
    const r = await runCli(['jobs', 'create', '--input', '-', '--json'], { fetch, stdin: JSON.stringify(INLINE_BODY, null, 2) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(only(requests).body).toBe(normalizeXml(inlineRec.requestBody));
    const doc = JSON.parse(r.stdout) as {
      JobsDetail: { JobId: string; State: string; Operation: { Animation: { Video: { Height: string } } } }[];
    };
    expect(doc.JobsDetail).toHaveLength(1);
    expect(doc.JobsDetail[0]).toMatchObject({ JobId: 'jabcxxxxfeipplsdfwe', State: 'Submitted' });
    expect(doc.JobsDetail[0]!.Operation.Animation.Video.Height).toBe('');
  });

  describe('--input file.json', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ci-media-test-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const write = (name: string, content: string): string => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };

    it('reads the body from the file (a UTF-8 BOM is fine)', async () => {
      const file = write('job.json', `\uFEFF${JSON.stringify(INLINE_BODY)}`);
      const { fetch, requests } = routeFetch(() => inlineRec.response);
      const r = await runCli(['jobs', 'create', '--input', file], { fetch });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(only(requests).body).toBe(normalizeXml(inlineRec.requestBody));
    });

    it('flags override the members of the file; --template-id replaces its inline Animation', async () => {
      const file = write('base.json', JSON.stringify(INLINE_BODY));
      const { fetch, requests } = routeFetch(() => templateRec.response);
      const r = await runCli(
        [
          'jobs',
          'create',
          '--input',
          file,
          '--input-object',
          'other.mp4',
          '--template-id',
          TEMPLATE,
          '--job-level',
          '2',
          '--user-data',
          'batch 7',
        ],
        { fetch },
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const body = only(requests).body!;
      expect(body).toContain('<Input><Object>other.mp4</Object></Input>');
      expect(body).toContain(`<Operation><TemplateId>${TEMPLATE}</TemplateId><Output>`);
      expect(body).not.toContain('<Animation>');
      expect(body).toContain('<UserData>batch 7</UserData><JobLevel>2</JobLevel></Operation>');
      // the rest of the file is kept, including its output bucket (not replaced by the default)
      expect(body).toContain('<Bucket>abc-1250000000</Bucket>');
      expect(body).toContain(`<QueueId>${QUEUE}</QueueId><CallBack>https://www.callback.com</CallBack>`);
    });

    it('animation flags change the inline Animation of the file, keeping the rest of it', async () => {
      const file = write('anim.json', JSON.stringify(INLINE_BODY));
      const { fetch, requests } = routeFetch(() => inlineRec.response);
      const r = await runCli(['jobs', 'create', '--input', file, '--format', 'webp', '--quality', '80'], { fetch });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(only(requests).body).toContain(
        '<Animation><Container><Format>webp</Format></Container><Video><Codec>webp</Codec><Width>1280</Width><Height></Height>' +
          '<Fps>15</Fps><AnimateOnlyKeepKeyFrame>true</AnimateOnlyKeepKeyFrame><Quality>80</Quality></Video>',
      );
    });

    it('a missing file, a directory: usage errors, nothing sent', async () => {
      const { fetch, requests } = routeFetch(() => templateRec.response);
      const missing = await runCli(['jobs', 'create', '--input', join(dir, 'nope.json')], { fetch });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain(`error: --input ${join(dir, 'nope.json')}: no such file`);
      const directory = await runCli(['jobs', 'create', '--input', dir], { fetch });
      expect(directory.code).toBe(2);
      expect(directory.stderr).toContain('is a directory');
      expect(requests).toHaveLength(0);
    });
  });

  it('bad --input documents: a clear error each, exit 2, nothing sent', async () => {
    const { fetch, requests } = routeFetch(() => templateRec.response);
    const cases: [stdin: string, message: string][] = [
      ['{"Tag": "Animation",', '--input - (standard input): not valid JSON ('],
      ['', '--input - (standard input): empty; expected a JSON object with the members of the CreateMediaJobs body'],
      [
        '[{"Tag": "Animation"}]',
        'expected a JSON object with the members of the CreateMediaJobs body (Tag, Input, Operation, QueueId, QueueType, CallBack, CallBackFormat, CallBackType, CallBackMqConfig, CallBackKafkaConfig), got an array',
      ],
      ['"Animation"', 'got a string'],
      ['null', 'got null'],
      ['{"Tag": "Animation", "Foo": 1}', 'unknown member "Foo"; the CreateMediaJobs body has Tag, Input'],
      ['{"tag": "Animation"}', 'unknown member "tag" (did you mean "Tag"?)'],
      ['{"__proto__": {"polluted": true}}', 'unknown member "__proto__"'],
    ];
    for (const [stdin, message] of cases) {
      const r = await runCli(['jobs', 'create', '--input', '-'], { fetch, stdin });
      expect(r.stderr).toContain(message);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.code).toBe(2);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(requests).toHaveLength(0);
  });

  it('a body the spec refuses: the client validation issues, one per line, exit 1, nothing sent', async () => {
    const { fetch, requests } = routeFetch(() => templateRec.response);
    const body = { ...INLINE_BODY, Input: { Object: 'a.mp4', Bucket: 'x' }, Operation: { ...INLINE_BODY.Operation, JobLevel: 3 } };
    const r = await runCli(['jobs', 'create', '--input', '-'], { fetch, stdin: JSON.stringify(body) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('error: Invalid CreateMediaJobs input');
    expect(lines.slice(1)).toEqual(
      expect.arrayContaining(['  /Input: must NOT have additional properties (Bucket)', '  /Operation/JobLevel: must be string']),
    );
    expect(lines.slice(1).every((l) => l.startsWith('  /'))).toBe(true);
    expect(requests).toHaveLength(0);
  });

  it('--input - without a standard input (embedded use) is a usage error', async () => {
    const r = await runCli(['jobs', 'create', '--input', '-']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --input - (standard input): standard input is not available here');
  });

  it('usage errors: missing flags, template and inline parameters together, bad values; nothing sent', async () => {
    const { fetch, requests } = routeFetch(() => templateRec.response);
    const cases: [string[], string][] = [
      [['jobs', 'create'], 'error: missing --input-object, --output-object, --template-id or --format (or give the body with --input)'],
      [
        ['jobs', 'create', '--template-id', TEMPLATE, '--input-object', 'a', '--output-object', 'b', '--width', '480'],
        'give --template-id or animation flags',
      ],
      [['jobs', 'create', '--format', 'png'], "option '--format <format>' argument 'png' is invalid. expected one of gif, hgif, webp"],
      [['jobs', 'create', '--format', 'gif', '--width', '64'], 'expected an integer from 128 to 4096'],
      [['jobs', 'create', '--format', 'gif', '--fps', '61'], 'expected a frame rate above 0, at most 60'],
      [['jobs', 'create', '--job-level', '3'], 'expected one of 0, 1, 2'],
      [
        ['jobs', 'create', '--format', 'gif', '--quality', '80', '--input-object', 'a', '--output-object', 'b'],
        '--quality applies to webp only (the container is gif)',
      ],
      [['jobs', 'create', '--template-id', ' ', '--input-object', 'a', '--output-object', 'b'], '--template-id must not be empty'],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv, { fetch });
      expect(r.stderr).toContain(message);
      expect(r.code).toBe(2);
    }
    expect(requests).toHaveLength(0);
  });

  it('the output bucket and region default to --bucket/--region; with only --endpoint they must be given', async () => {
    const { fetch, requests } = routeFetch(() => templateRec.response);
    const args = ['jobs', 'create', '--template-id', TEMPLATE, '--input-object', 'a.mp4', '--output-object', 'a.gif'];
    const r = await runCli([...args, '--bucket', 'other-1250000001', '--region', 'ap-shanghai'], { fetch });
    expect(r.code).toBe(0);
    expect(only(requests).body).toContain(
      '<Output><Region>ap-shanghai</Region><Bucket>other-1250000001</Bucket><Object>a.gif</Object></Output>',
    );
    expect(requests[0]!.url.host).toBe('other-1250000001.ci.ap-shanghai.myqcloud.com');

    const env = { TENCENTCLOUD_SECRET_ID: BASE_ENV.TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY: BASE_ENV.TENCENTCLOUD_SECRET_KEY };
    const noBucket = await runCli([...args, '--endpoint', 'http://127.0.0.1:9'], { fetch, env });
    expect(noBucket.code).toBe(2);
    expect(noBucket.stderr).toContain('error: missing --output-bucket: no --bucket (or CI_BUCKET) to default to');
    expect(requests).toHaveLength(1);
  });

  it('a service error: the error line, exit 1, and a create is never retried', async () => {
    const { fetch, requests } = routeFetch(() => ({
      status: 503,
      body: '<Error><Code>ServiceUnavailable</Code><Message>busy</Message><RequestId>r-1</RequestId></Error>',
    }));
    const r = await runCli(['jobs', 'create', '--template-id', TEMPLATE, '--input-object', 'a.mp4', '--output-object', 'a.gif'], { fetch });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: ServiceUnavailable: busy (request id r-1, HTTP 503)\n');
    expect(requests).toHaveLength(1);
  });
});

describe('ci-media jobs get', () => {
  const rec = recording('DescribeMediaJob', 'several-ids-some-missing');
  const a = 'j0000000000000000000000000000000a';
  const b = 'j0000000000000000000000000000000b';
  const c = 'j0000000000000000000000000000000c';

  it('prints the jobs found; ids that do not exist go to stderr and exit 1', async () => {
    const { fetch, requests } = routeFetch(() => rec.response);
    const r = await runCli(['jobs', 'get', `${a},${b}`, c, a], { fetch });
    const req = only(requests);
    expect(req.method).toBe('GET');
    // one request, the ids comma-joined (the client percent-encodes the commas in the path)
    expect(decodeURIComponent(req.url.pathname)).toBe(`/jobs/${a},${b},${c}`);
    expect(req.url.search).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^JOB ID\s+STATE\s+CREATED\s+ENDED\s+INPUT\s+OUTPUT\s+CODE\s+MESSAGE$/);
    expect(lines[1]).toMatch(new RegExp(`^${a}\\s+Failed\\s+.*broken\\.mp4\\s+broken\\.gif\\s+InternalError\\s+decode input failed$`));
    expect(r.stderr).toBe(`error: no such job: ${b}, ${c}\n`);
    expect(r.code).toBe(1);
  });

  it('--json prints the whole response, NonExistJobIds included, and still exits 1', async () => {
    const { fetch } = routeFetch(() => rec.response);
    const r = await runCli(['jobs', 'get', a, b, c, '--json'], { fetch });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { JobsDetail: { JobId: string }[]; NonExistJobIds: string[] };
    expect(doc.JobsDetail.map((j) => j.JobId)).toEqual([a]);
    expect(doc.NonExistJobIds).toEqual([b, c]);
  });

  it('every id found: exit 0, progress shown', async () => {
    const body = `<Response>${jobXml({ id: jobId(1), state: 'Running' }).replace('<State>', '<Progress>40</Progress><State>')}</Response>`;
    const { fetch } = routeFetch(() => ({ body }));
    const r = await runCli(['jobs', 'get', jobId(1)], { fetch });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^JOB ID\s+STATE\s+PROGRESS\s+CREATED/);
    expect(r.stdout).toMatch(/Running\s+40%/);
  });

  it('an id the service leaves out without listing it as missing is reported too', async () => {
    const { fetch } = routeFetch(() => ({ body: '<Response></Response>' }));
    const r = await runCli(['jobs', 'get', jobId(9)], { fetch });
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: no such job: ${jobId(9)}\n`);
    expect(r.code).toBe(1);
  });

  it('an empty id is a usage error; no id at all too', async () => {
    expect((await runCli(['jobs', 'get', 'a,,b'])).code).toBe(2);
    const none = await runCli(['jobs', 'get']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("missing required argument 'jobId'");
  });
});

describe('ci-media jobs cancel', () => {
  const rec = recording('CancelMediaJob', 'doc-sample');

  it('sends PUT /jobs/<id>?cancel and says so', async () => {
    const { fetch, requests } = routeFetch(() => rec.response);
    const r = await runCli(['jobs', 'cancel', jobId(5)], { fetch });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const req = only(requests);
    expect(req.method).toBe('PUT');
    expect(req.rawUrl).toBe(`${ENDPOINT}/jobs/${jobId(5)}?cancel`);
    expect(req.body).toBeUndefined();
    expect(r.stdout).toBe(`Cancelled job ${jobId(5)}.\n`);
  });

  it('--json prints the (empty) decoded response', async () => {
    const { fetch } = routeFetch(() => rec.response);
    const r = await runCli(['jobs', 'cancel', jobId(5), '--json'], { fetch });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({});
  });

  it('a service error exits 1', async () => {
    const { fetch } = routeFetch(() => ({ status: 403, body: ACCESS_DENIED_BODY }));
    const r = await runCli(['jobs', 'cancel', jobId(5)], { fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: AccessDenied: Access Denied. (request id NWQ3YmM1ZjBfOTgwMzBhXzQ5ZTZfMjQ****, HTTP 403)\n');
  });
});

describe('ci-media jobs wait', () => {
  const id = jobId(7);
  const job = (state: string, extra = ''): FakeResponse => ({
    body: `<Response>${jobXml({ id, state, code: state === 'Failed' ? 'InternalError' : 'Success', message: state === 'Failed' ? 'decode input failed' : 'Success' }).replace('<State>', `${extra}<State>`)}</Response>`,
  });
  /** Answers the polls with `states` in turn (the last one repeats). */
  const polls = (...answers: FakeResponse[]): ReturnType<typeof routeFetch> =>
    routeFetch((_req, i) => answers[Math.min(i, answers.length - 1)]);

  it('polls until Success: progress on stderr each poll, the job on stdout, exit 0', async () => {
    const { fetch, requests } = polls(
      job('Submitted'),
      job('Running', '<Progress>50</Progress>'),
      job('Success', '<Progress>100</Progress>'),
    );
    const r = await runCli(['jobs', 'wait', id, '--interval-ms', '1'], { fetch });
    expect(r.code).toBe(0);
    expect(requests).toHaveLength(3);
    for (const req of requests) {
      expect(req.method).toBe('GET');
      expect(req.url.pathname).toBe(`/jobs/${id}`);
    }
    const progress = r.stderr.trimEnd().split('\n');
    expect(progress).toHaveLength(3);
    expect(progress[0]).toMatch(new RegExp(`^${id}: Submitted \\(poll 1, \\d+\\.\\d s\\)$`));
    expect(progress[1]).toMatch(new RegExp(`^${id}: Running 50% \\(poll 2, `));
    expect(progress[2]).toMatch(new RegExp(`^${id}: Success 100% \\(poll 3, `));
    expect(r.stdout).toMatch(new RegExp(`^JOB ID\\s+STATE\\s+PROGRESS.*\\n${id}\\s+Success\\s+100%`));
  });

  it('--json prints the final job', async () => {
    const { fetch } = polls(job('Success'));
    const r = await runCli(['jobs', 'wait', id, '--json'], { fetch });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ JobId: id, State: 'Success' });
  });

  it('Failed: the job on stdout, its Code and Message on stderr, exit 1', async () => {
    const { fetch } = polls(job('Running'), job('Failed'));
    const r = await runCli(['jobs', 'wait', id, '--interval-ms', '1'], { fetch });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Failed\s+.*InternalError\s+decode input failed/);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(`error: job ${id} ended Failed: InternalError: decode input failed`);
  });

  it('Cancel: exit 1', async () => {
    const { fetch } = polls(job('Cancel'));
    const r = await runCli(['jobs', 'wait', id, '--json'], { fetch });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ State: 'Cancel' });
    // Code and Message say "Success" on a cancelled job: left out
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(`error: job ${id} ended Cancel`);
  });

  it('a job that does not exist: exit 1 at the first poll', async () => {
    const { fetch, requests } = polls({ body: `<Response><NonExistJobIds>${id}</NonExistJobIds></Response>` });
    const r = await runCli(['jobs', 'wait', id], { fetch });
    expect(r.code).toBe(1);
    expect(requests).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: no such job: ${id}\n`);
  });

  it('--max-wait: gives up with the last state and how to go on, exit 1', async () => {
    const { fetch, requests } = polls(job('Running', '<Progress>10</Progress>'));
    const started = Date.now();
    const r = await runCli(['jobs', 'wait', id, '--max-wait', '0.3', '--interval-ms', '50'], { fetch });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(
      `error: gave up waiting for job ${id} after 0.3 seconds: it is still Running (10%); wait longer with --max-wait, or again with: ci-media jobs wait ${id}`,
    );
  });

  it('the AbortSignal (Ctrl-C) stops waiting: exit 130', async () => {
    const controller = new AbortController();
    const { fetch } = routeFetch((_req, i) => {
      if (i === 1) controller.abort(new Error('SIGINT'));
      return job('Running');
    });
    const r = await runCli(['jobs', 'wait', id, '--interval-ms', '5'], { fetch, signal: controller.signal });
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(`error: Stopped waiting for job ${id} (interrupted)`);
  });

  it('bad --max-wait / --interval-ms are usage errors', async () => {
    expect((await runCli(['jobs', 'wait', id, '--max-wait', '0'])).code).toBe(2);
    expect((await runCli(['jobs', 'wait', id, '--max-wait', 'soon'])).code).toBe(2);
    expect((await runCli(['jobs', 'wait', id, '--interval-ms', '0'])).code).toBe(2);
  });
});

describe('ci-media jobs help', () => {
  it('lists every job command', async () => {
    const r = await runCli(['jobs', '--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['list', 'create', 'get', 'cancel', 'wait']) expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  });

  it('jobs create --help documents the body flags and --input', async () => {
    const r = await runCli(['jobs', 'create', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--input <file>',
      '--template-id',
      '--format',
      '--output-bucket',
      '--job-level',
      '--callback',
      '--json',
      'TENCENTCLOUD_SECRET_ID',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });
});
