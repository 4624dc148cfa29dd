/**
 * `ci-media notify listen`: notifications POSTed to it (XML and JSON, the documented samples) are printed, one line
 * each (or one JSON document each with --ndjson); a bad body is answered 400 and reported on stderr; --token refuses a
 * URL without it; --count stops the command.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { run, type CliIo } from '../src';
import { BASE_ENV } from './helpers';

const RECORDINGS = resolve(__dirname, '../../../specs/recordings/JobNotification');
const bodyOf = (file: string) => {
  const text = readFileSync(resolve(RECORDINGS, file), 'utf8');
  const request = text.split('\nHTTP/1.1 ')[0]!;
  return request.slice(request.indexOf('\n\n') + 2).trim();
};
const XML = bodyOf('doc-sample.http');
const JSON_BODY = bodyOf('doc-sample-json.http');

/** Starts `ci-media notify listen …`; resolves with its URL once it listens, and the run's outcome. */
async function listen(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  let announce!: (url: string) => void;
  const listening = new Promise<string>((r) => (announce = r));
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => {
      err.push(t);
      const m = /on (http:\/\/\S+?)(\?token=\*\*\*)? \(/.exec(t);
      if (m) announce(m[1]!);
    },
    env: { ...BASE_ENV, ...env },
    signal: controller.signal,
  };
  const done = run(['notify', 'listen', '--port', '0', ...args], io);
  const url = await Promise.race([listening, done.then(() => Promise.reject(new Error(`exited: ${err.join('')}`)))]);
  return { url, done, out, err, stop: () => controller.abort() };
}

const post = (url: string, body: string, contentType: string) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': contentType } });

test('prints each notification as a line; a bad body is a 400 on stderr; --count stops it', async () => {
  const l = await listen(['--count', '2']);
  expect((await post(l.url, XML, 'application/xml')).status).toBe(200);
  expect((await post(l.url, '<Response><JobsDetail>', 'application/xml')).status).toBe(400);
  expect((await post(l.url, JSON_BODY, 'application/json')).status).toBe(200);
  expect(await l.done).toBe(0);
  expect(l.out.join('')).toBe(
    'TaskFinish j682b9662f84611ecb8546d80f2baf56f Success → output/animation.gif (XML)\n' +
      'TaskFinish j682b9662f84611ecb8546d80f2baf56f Success → output/animation.gif (JSON)\n',
  );
  expect(l.err.join('')).toMatch(/refused a request to \/ \(400\): Not well-formed XML: the document ends before <\/JobsDetail>/);
  expect(l.err.join('')).toMatch(/stopped after 2 notifications/);
});

test('--ndjson prints the decoded notification, typed as the client decodes it', async () => {
  const l = await listen(['--ndjson', '--count', '1']);
  expect((await post(l.url, XML, 'text/xml')).status).toBe(200);
  await l.done;
  const doc = JSON.parse(l.out.join('')) as {
    EventName: string;
    JobsDetail: Array<{ JobId: string; Operation: { MediaResult: { OutputFile: { ObjectName: string[] } } } }>;
  };
  expect(doc.EventName).toBe('TaskFinish');
  expect(doc.JobsDetail[0]!.Operation.MediaResult.OutputFile.ObjectName).toStrictEqual(['output/animation.gif']);
});

test('--token: a URL without the secret is refused (401), one with it accepted; another path is a 404', async () => {
  const l = await listen(['--token', 's3cret', '--path', '/ci', '--count', '1']);
  expect(l.url).toMatch(/\/ci$/);
  expect((await post(l.url, XML, 'application/xml')).status).toBe(401);
  expect((await post(`${l.url.replace(/\/ci$/, '/other')}?token=s3cret`, XML, 'application/xml')).status).toBe(404);
  expect((await post(`${l.url}?token=s3cret`, XML, 'application/xml')).status).toBe(200);
  await l.done;
  expect(l.out).toHaveLength(1);
  expect(l.err.join('')).not.toContain('s3cret');
});

test('Ctrl-C (the signal) stops it', async () => {
  const l = await listen([]);
  l.stop();
  expect(await l.done).toBe(0);
  expect(l.err.join('')).toMatch(/stopped after 0 notifications/);
});

test('--token-env reads the secret from the environment; unset, or given with --token, is a usage error', async () => {
  const l = await listen(['--token-env', 'HOOK_SECRET', '--count', '1'], { HOOK_SECRET: 'from-env-7' });
  expect((await post(l.url, XML, 'application/xml')).status).toBe(401);
  expect((await post(`${l.url}?token=from-env-7`, XML, 'application/xml')).status).toBe(200);
  expect(await l.done).toBe(0);
  expect(l.err.join('')).not.toContain('from-env-7');
  for (const [args, message] of [
    [['--token-env', 'NOT_SET_ANYWHERE'], '--token-env NOT_SET_ANYWHERE: that environment variable is not set'],
    [['--token', 'a', '--token-env', 'HOOK_SECRET'], 'give --token or --token-env, not both'],
  ] as const) {
    const err: string[] = [];
    const code = await run(['notify', 'listen', '--port', '0', ...args], {
      stdout: () => undefined,
      stderr: (t) => err.push(t),
      env: { ...BASE_ENV, HOOK_SECRET: 'x' },
    });
    expect([code, err.join('')]).toStrictEqual([2, expect.stringContaining(message)]);
  }
});

test('a refused request that carries the token never shows it; bidi and C1 controls in a notification are escaped', async () => {
  const l = await listen(['--token', 'tok-9z', '--ndjson', '--count', '1']);
  // the token in a refused request (a bad body): its URL is shown with the token redacted
  expect((await post(`${l.url}?token=tok-9z`, '<Response><JobsDetail>', 'application/xml')).status).toBe(400);
  const hostile = XML.replace('output/animation.gif', 'out\u202egif.exe\u009b2J.gif');
  expect(hostile).not.toBe(XML);
  expect((await post(`${l.url}?token=tok-9z`, hostile, 'application/xml')).status).toBe(200);
  await l.done;
  const line = l.out.join('');
  expect(line).not.toMatch(/[\u202e\u009b]/);
  expect(line).toContain('out\\u202egif.exe\\u009b2J.gif');
  // escaped, it still parses to the same text
  expect(JSON.stringify(JSON.parse(line))).toContain('out\u202egif.exe\u009b2J.gif');
  expect(l.err.join('')).not.toContain('tok-9z');
  expect(l.err.join('')).toMatch(/refused a request to \/\?token=\*\*\* \(400\)/);
});

test('--count: every notification answered 200 is printed, the ones after the stop get 503, and the count is true', async () => {
  const l = await listen(['--count', '2']);
  const statuses = await Promise.all(
    Array.from({ length: 8 }, () =>
      post(l.url, XML, 'application/xml').then(
        (r) => r.status,
        () => 0, // the listener had closed
      ),
    ),
  );
  expect(await l.done).toBe(0);
  const accepted = statuses.filter((s) => s === 200).length;
  expect(accepted).toBeGreaterThanOrEqual(2);
  expect(statuses.every((s) => s === 200 || s === 503 || s === 0)).toBe(true);
  expect(l.out.join('').split('\n').filter(Boolean)).toHaveLength(accepted);
  expect(l.err.join('')).toContain(`stopped after ${accepted} notifications`);
});
