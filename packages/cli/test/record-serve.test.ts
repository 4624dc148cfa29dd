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
      { secretId: 'AKIDsecret', sessionToken: 'SESSIONTOKEN' },
      'ap-beijing',
    );
    expect(text).toContain('Host: examplebucket-1250000000.ci.ap-shanghai.myqcloud.com');
    expect(text).toContain('<Bucket>examplebucket-1250000000</Bucket>');
    expect(text).toContain('<Bucket>other-1250000000</Bucket>');
    expect(text).not.toMatch(/1300000123|1255555555|AKIDsecret|SESSIONTOKEN/);
    expect(text).not.toMatch(/authorization|set-cookie/i);
  });
});

describe('toRecording redacts by structure, not by a digits pattern', () => {
  const HOST = 'https://mybucket-1300000123.ci.ap-shanghai.myqcloud.com';
  const exchange = (over: Partial<Parameters<typeof toRecording>[0]> = {}): Parameters<typeof toRecording>[0] => ({
    url: new URL(`${HOST}/jobs`),
    method: 'POST',
    requestHeaders: new Headers({ 'content-type': 'application/xml' }),
    requestBody: '',
    status: 200,
    statusText: 'OK',
    responseHeaders: new Headers({ 'content-type': 'application/xml' }),
    responseBody: '',
    ...over,
  });

  // data with long digit runs: object keys, UserData, ids, times — kept exactly
  const DATA = [
    'uploads/clip-20240501123.mp4',
    'out/2024-05-01/frame-000000123456.gif',
    'user-1300000124-notes',
    'order-12345678901',
    '{"order":1300000123456,"phone":"-13800138000"}',
    'a-1250000000b',
  ];
  test.each(DATA)('%j in an object key, UserData and the query is kept as it is', (value) => {
    const body = `<Request><Input><Object>${value}</Object></Input><Operation><UserData>${value}</UserData></Operation></Request>`;
    const text = toRecording(
      exchange({
        url: new URL(`${HOST}/jobs?inputObject=${encodeURIComponent(value)}`),
        requestBody: body,
        responseBody: `<Response>${body}</Response>`,
      }),
      {},
      'ap-beijing',
    );
    // Object and UserData in the request and the response, and the query when the value needs no encoding
    expect(text.split(value).length - 1).toBe(4 + (encodeURIComponent(value) === value ? 1 : 0));
    expect(text).toContain(`inputObject=${encodeURIComponent(value)}`);
  });

  test('the bucket is replaced whole, a Bucket or BucketId element holding another bucket loses its APPID, nothing else', () => {
    const body =
      '<Response><Bucket>mybucket-1300000123</Bucket><BucketId> otherbucket-1255555555 </BucketId>' +
      '<Object>mybucket-1300000123/in.mp4</Object><Object>xmybucket-1300000123</Object><Object>1300000123</Object></Response>';
    const text = toRecording(exchange({ responseBody: body }), {}, 'ap-beijing');
    expect(text).toContain('<Bucket>examplebucket-1250000000</Bucket>');
    expect(text).toContain('<BucketId> otherbucket-1250000000 </BucketId>');
    expect(text).toContain('<Object>examplebucket-1250000000/in.mp4</Object>'); // the known bucket, whole
    expect(text).toContain('<Object>xmybucket-1300000123</Object>'); // inside a longer name: another name
    expect(text).toContain('<Object>1300000123</Object>'); // bare digits are data
  });

  const TOKEN = 'AgoGtok/en+with=pad';
  const FORMS: ReadonlyArray<readonly [string, (s: string) => string]> = [
    ['raw', (s) => s],
    ['percent-encoded', (s) => encodeURIComponent(s)],
    ['percent-encoded, lower-case hex', (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['JSON-escaped inside an HttpString', (s) => JSON.stringify(`host=h&x-ci-security-token=${s}\n`)],
  ];
  test.each(FORMS)('a session token echoed %s in a SignatureDoesNotMatch is redacted', (_form, write) => {
    const body = `<Error><Code>SignatureDoesNotMatch</Code><Message>HttpString: ${write(TOKEN)}</Message></Error>`;
    const text = toRecording(exchange({ status: 403, statusText: 'Forbidden', responseBody: body }), { sessionToken: TOKEN }, 'ap-beijing');
    expect(text).not.toContain(write(TOKEN));
    expect(text).not.toContain(encodeURIComponent(TOKEN).slice(0, 8));
    expect(text).toContain('[redacted sessionToken]');
  });

  test('a token that is not ours, echoed in an HttpString, and any q-signature are redacted by structure', () => {
    const body =
      '<Error><Code>SignatureDoesNotMatch</Code><Message>get\n/jobs\n\nhost=h&amp;x-ci-security-token=SOMEONEELSE%2F\n</Message>' +
      '<Auth>q-sign-algorithm=sha1&amp;q-signature=0123456789abcdef0123456789abcdef01234567</Auth></Error>';
    const text = toRecording(exchange({ status: 403, responseBody: body }), {}, 'ap-beijing');
    expect(text).not.toMatch(/SOMEONEELSE|0123456789abcdef/);
  });

  test('short secrets are redacted too, and the request signature by value', () => {
    const signature = 'ab12'.repeat(10);
    const text = toRecording(
      exchange({
        requestHeaders: new Headers({
          authorization: `q-sign-algorithm=sha1&q-ak=AK&q-sign-time=1;2&q-key-time=1;2&q-header-list=host&q-url-param-list=&q-signature=${signature}`,
        }),
        responseBody: `<Error><Message>id AK key k9 token t7x; expected ${signature}</Message></Error>`,
      }),
      { secretId: 'AK', secretKey: 'k9', sessionToken: 't7x' },
      'ap-beijing',
    );
    expect(text).toContain('id [redacted secretId] key [redacted secretKey] token [redacted sessionToken]; expected [redacted signature]');
    expect(text).not.toMatch(/authorization/i);
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
