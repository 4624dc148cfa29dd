/** `ci-media record` writes a replayable, redacted recording; `ci-media mock serve` serves until interrupted. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CREDENTIALS, DEMO_QUEUE_ID, loadRecordings, parseRecording, startFakeCi, type RunningFakeCi } from '@cloud-infinite/mock';
import { run, type CliIo } from '../src';
import { toRecording } from '../src/commands/record';

function io(env: Record<string, string>, signal?: AbortSignal): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env, out, err, ...(signal ? { signal } : {}) };
}

describe('ci-media record', () => {
  let fake: RunningFakeCi;
  let dir: string;
  beforeAll(async () => {
    fake = await startFakeCi({ jobs: 5, seed: 3 });
    dir = await mkdtemp(join(tmpdir(), 'ci-record-'));
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('records an exchange that parses, replays and holds no secret', async () => {
    const env = {
      TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId,
      TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey,
      CI_ENDPOINT: fake.url,
      CI_REGION: 'ap-guangzhou',
    };
    const inputFile = join(dir, 'input.json');
    await writeFile(inputFile, JSON.stringify({ queueId: DEMO_QUEUE_ID, tag: 'Animation', size: 2 }));
    const cli = io(env);
    const code = await run(['record', 'DescribeMediaJobs', '--out', dir, '--name', 'two-jobs', '--input', inputFile], cli);
    expect(cli.err.join('')).toBe('');
    expect(code).toBe(0);
    const text = await readFile(join(dir, 'DescribeMediaJobs', 'two-jobs.http'), 'utf8');
    expect(text).not.toContain(DEMO_CREDENTIALS.secretKey);
    expect(text).not.toContain(DEMO_CREDENTIALS.secretId);
    expect(text).not.toMatch(/authorization/i);
    const { request, response } = parseRecording(text);
    expect(request.method).toBe('GET');
    expect(request.headers.host).toBe('examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com');
    expect(response.status).toBe(200);
    expect((response.body.match(/<JobsDetail>/g) ?? []).length).toBe(2);
    expect(loadRecordings(dir).map((r) => `${r.operationId}/${r.name}`)).toContain('DescribeMediaJobs/two-jobs');
  });

  test('redacts the bucket, its APPID and any credential string', () => {
    const text = toRecording(
      {
        url: new URL('https://mybucket-1300000123.ci.ap-shanghai.myqcloud.com/jobs?queueId=p1&tag=Animation'),
        method: 'POST',
        requestHeaders: new Headers({ 'content-type': 'application/xml', authorization: 'q-sign-algorithm=sha1&q-ak=AKIDsecret' }),
        requestBody: '<Request><Output><Bucket>mybucket-1300000123</Bucket><Object>tok-SESSIONTOKEN</Object></Output></Request>',
        status: 200,
        statusText: 'OK',
        responseHeaders: new Headers({ 'content-type': 'application/xml', 'x-ci-request-id': 'r1', 'set-cookie': 'a=b' }),
        responseBody: '<Response><Bucket>other-1255555555</Bucket></Response>',
      },
      ['AKIDsecret', 'SESSIONTOKEN'],
      'ap-beijing',
    );
    expect(text).toContain('Host: examplebucket-1250000000.ci.ap-shanghai.myqcloud.com');
    expect(text).toContain('<Bucket>examplebucket-1250000000</Bucket>');
    expect(text).toContain('<Bucket>other-1250000000</Bucket>');
    expect(text).not.toMatch(/1300000123|1255555555|AKIDsecret|SESSIONTOKEN|authorization|set-cookie/i);
  });
});

describe('ci-media mock serve', () => {
  test('serves the fake until the signal fires', async () => {
    const controller = new AbortController();
    const cli = io({}, controller.signal);
    const running = run(['mock', 'serve', '--port', '0', '--jobs', '3'], cli);
    for (let i = 0; i < 100 && !cli.out.join('').includes('http://'); i++) await new Promise((r) => setTimeout(r, 20));
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(cli.out.join(''))![0];
    const answer = await fetch(`${url}/jobs`);
    expect(answer.status).toBe(401); // unsigned: the fake answers MissingAuthorization
    controller.abort();
    expect(await running).toBe(0);
    expect(cli.err.join('')).toContain('stopped');
  });
});
