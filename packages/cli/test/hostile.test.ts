/**
 * The CLI part of the hostile corpus (issue 12): what `ci-media` prints on stderr never holds a secret,
 * dot-segment ids go through the runtime's check (nothing sent), credentials that fetch would not send as
 * signed are refused, network failures are said in our words, and `record` writes no secret.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_ENV, QUEUE, routeFetch, runCli } from './helpers';

const TOKEN = 'AgoGtok/en+with=padding-0123456789';
const ENV = { ...BASE_ENV, TENCENTCLOUD_SESSION_TOKEN: TOKEN };
const FORMS: ReadonlyArray<readonly [string, (s: string) => string]> = [
  ['raw', (s) => s],
  ['percent-encoded', (s) => encodeURIComponent(s)],
  ['percent-encoded, lower-case hex', (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
  ['JSON-escaped', (s) => JSON.stringify(s).slice(1, -1)],
];
const LIST = ['jobs', 'list', '--queue-id', QUEUE];

function expectNoSecret(text: string): void {
  for (const [, write] of FORMS) {
    expect(text).not.toContain(write(TOKEN).slice(0, 10));
    expect(text).not.toContain(write(BASE_ENV.TENCENTCLOUD_SECRET_KEY!).slice(0, 10));
  }
}

describe('stderr never shows a secret', () => {
  test.each(FORMS)('a SignatureDoesNotMatch echoing the session token %s', async (_form, write) => {
    const { fetch } = routeFetch(() => ({
      status: 403,
      body:
        '<Error><Code>SignatureDoesNotMatch</Code>' +
        `<Message>HttpString: get\\n/jobs\\n\\nhost=h&amp;x-ci-security-token=${write(TOKEN)}\\n (key ${write(BASE_ENV.TENCENTCLOUD_SECRET_KEY!)})</Message></Error>`,
    }));
    const r = await runCli(LIST, { env: ENV, fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: SignatureDoesNotMatch: HttpString/);
    expect(r.stderr).toContain('[redacted sessionToken]');
    expectNoSecret(r.stderr + r.stdout);
  });

  test.each(FORMS)('a fetch error quoting the token %s', async (_form, write) => {
    const fetch = (async () => {
      throw new TypeError(`Headers.append: "${write(TOKEN)}" is an invalid header value.`);
    }) as typeof globalThis.fetch;
    const r = await runCli(LIST, { env: ENV, fetch });
    expect(r.code).toBe(1);
    expectNoSecret(r.stderr);
  });
});

describe('credentials fetch would not send as signed', () => {
  test.each([
    ['a trailing newline (a token read from a file)', `${TOKEN}\n`, 'LF'],
    ['a CR', `${TOKEN.slice(0, 5)}\r${TOKEN.slice(5)}`, 'CR'],
    ['a TAB', `${TOKEN.slice(0, 5)}\t${TOKEN.slice(5)}`, 'TAB'],
    ['a NUL', `${TOKEN}\0`, 'NUL'],
  ])('TENCENTCLOUD_SESSION_TOKEN with %s: refused, named, nothing sent', async (_label, token, char) => {
    const { fetch, requests } = routeFetch(() => ({ body: '<Response/>' }));
    const r = await runCli(LIST, { env: { ...BASE_ENV, TENCENTCLOUD_SESSION_TOKEN: token }, fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^error: environment: sessionToken holds a control character \\(${char}\\) at position \\d+; nothing was sent\\n$`),
    );
    expect(requests).toHaveLength(0);
    expectNoSecret(r.stderr);
  });
});

describe('dot-segment ids are refused before sending', () => {
  // [argv ({} is the id), the body on stdin (so that update sends without looking the id up first)]
  const COMMANDS: ReadonlyArray<readonly [readonly string[], string?]> = [
    [['templates', 'delete', '{}']],
    [['templates', 'update', '{}', '--input', '-'], '{"Tag":"Animation","Name":"x","Container":{"Format":"gif"}}'],
    [['jobs', 'cancel', '{}']],
    [['jobs', 'get', '{}']],
    [['jobs', 'get', 'j1,{}']],
    [['queues', 'update', '{}', '--input', '-'], '{"Name":"x","State":"Active"}'],
  ];
  const cases = COMMANDS.flatMap(([argv, stdin]) =>
    ['.', '..', '%2e%2e', '.%2E'].map((dot) => [argv.join(' '), dot, argv, stdin] as const),
  );
  test.each(cases)('ci-media %s with %j', async (_label, dot, argv, stdin) => {
    const { fetch, requests } = routeFetch(() => ({ body: '<Response/>' }));
    const r = await runCli(
      argv.map((a) => a.replace('{}', dot)),
      { fetch, ...(stdin === undefined ? {} : { stdin }) },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/must not be '\.' or '\.\.'/);
    expect(requests).toHaveLength(0);
  });
});

describe('network failures in our own words', () => {
  test('--endpoint http://127.0.0.1:1 (a port fetch refuses): what failed, not "fetch failed"', async () => {
    const r = await runCli([...LIST, '--endpoint', 'http://127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: Could not connect to 127.0.0.1:1 (fetch refuses port 1, a port the Fetch standard blocks)\n');
  });
});

describe('ci-media record writes no secret', () => {
  test('an echoed session token, in every form, is not in the recording nor on stderr', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ci-record-hostile-'));
    try {
      const { fetch } = routeFetch(() => ({
        status: 403,
        body: `<Error><Code>SignatureDoesNotMatch</Code><Message>${FORMS.map(([, w]) => w(TOKEN)).join(' ')}</Message></Error>`,
      }));
      const r = await runCli(['record', 'DescribeMediaQueues', '--out', dir, '--name', 'sig'], { env: ENV, fetch });
      expect(r.code).toBe(0);
      const text = await readFile(join(dir, 'DescribeMediaQueues', 'sig.http'), 'utf8');
      expect(text).toContain('[redacted sessionToken]');
      expectNoSecret(text + r.stderr + r.stdout);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a short credential is redacted and warned about', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ci-record-hostile-'));
    try {
      const { fetch } = routeFetch(() => ({ body: '<Response><TotalCount>0</TotalCount><RequestId>tk7</RequestId></Response>' }));
      const r = await runCli(['record', 'DescribeMediaQueues', '--out', dir, '--name', 'short'], {
        env: { ...BASE_ENV, TENCENTCLOUD_SESSION_TOKEN: 'tk7' },
        fetch,
      });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^warning: TENCENTCLOUD_SESSION_TOKEN is shorter than 8 characters/m);
      const text = await readFile(join(dir, 'DescribeMediaQueues', 'short.http'), 'utf8');
      expect(text).toContain('<RequestId>[redacted sessionToken]</RequestId>');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
