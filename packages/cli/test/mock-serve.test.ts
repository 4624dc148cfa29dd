/** `ci-media mock serve --progression`: the fake's modes; on the clock (its default mode) a new job can be canceled. */
import { DEMO_BUCKET, DEMO_CREDENTIALS, DEMO_QUEUE_ID, DEMO_REGION } from '@cloud-infinite/mock';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { run, type CliIo } from '../src';

function io(env: Record<string, string>, signal?: AbortSignal): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env, out, err, ...(signal ? { signal } : {}) };
}

/** Runs `mock serve` with `flags` until the returned stop(); resolves with its URL. */
async function serve(flags: readonly string[]): Promise<{ url: string; stop: () => Promise<number> }> {
  const controller = new AbortController();
  const cli = io({}, controller.signal);
  const running = run(['mock', 'serve', '--port', '0', '--jobs', '0', ...flags], cli);
  for (let i = 0; i < 200 && !cli.out.join('').includes('http://'); i++) await new Promise((r) => setTimeout(r, 20));
  const url = /http:\/\/(?:127\.0\.0\.1|\[::1\]|localhost):\d+/.exec(cli.out.join(''))?.[0];
  if (!url) throw new Error(`mock serve did not start: ${cli.err.join('')}`);
  return {
    url,
    stop: () => {
      controller.abort();
      return running;
    },
  };
}

const envOf = (url: string) => ({
  TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId,
  TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey,
  CI_ENDPOINT: url,
  CI_BUCKET: DEMO_BUCKET,
  CI_REGION: DEMO_REGION,
});

async function createJob(url: string, extra: readonly string[] = []): Promise<string> {
  const cli = io(envOf(url));
  const argv = [
    'jobs',
    'create',
    ...extra,
    '--queue-id',
    DEMO_QUEUE_ID,
    '--input-object',
    'a.mp4',
    '--output-object',
    'a.gif',
    '--format',
    'gif',
    '--json',
  ];
  expect([await run(argv, cli), cli.err.join('')]).toEqual([0, '']);
  return (JSON.parse(cli.out.join('')) as { JobsDetail: Array<{ JobId: string }> }).JobsDetail[0]!.JobId;
}

test('--progression after-ms=N: a new job stays Submitted for N ms on the clock, so it can be canceled', async () => {
  const fake = await serve(['--progression', 'after-ms=60000']);
  try {
    const jobId = await createJob(fake.url);
    const cancel = io(envOf(fake.url));
    expect([await run(['jobs', 'cancel', jobId], cancel), cancel.err.join('')]).toEqual([0, '']);
    const get = io(envOf(fake.url));
    expect(await run(['jobs', 'get', jobId, '--json'], get)).toBe(0);
    expect(get.out.join('')).toContain('"State": "Cancel"');
  } finally {
    expect(await fake.stop()).toBe(0);
  }
});

test("--progression immediate: a new job has ended by its first read, so it can't be canceled", async () => {
  const fake = await serve(['--progression', 'immediate']);
  try {
    const jobId = await createJob(fake.url);
    const cancel = io(envOf(fake.url));
    expect(await run(['jobs', 'cancel', jobId], cancel)).not.toBe(0);
    expect(cancel.err.join('')).toContain('can not be canceled');
  } finally {
    await fake.stop();
  }
});

test.each(['after-ms=0', 'after-ms=86400001', 'after-ms=x', 'later'])('--progression %s is a usage error', async (mode) => {
  const cli = io({});
  expect(await run(['mock', 'serve', '--port', '0', '--progression', mode], cli)).toBe(2);
  expect(cli.err.join('')).toContain('--progression must be after-ms=N (1..86400000), immediate, manual or after-polls=N');
});

/** A local receiver of POSTs: the paths posted to, and a promise of the first. */
async function receiver() {
  const posted: string[] = [];
  let first!: () => void;
  const firstPost = new Promise<void>((resolve) => (first = resolve));
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posted.push(req.url ?? '');
      res.end();
      first();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, posted, firstPost, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('job notifications are recorded, not sent, unless --deliver-notifications is given', async () => {
  const rx = await receiver();
  const quiet = await serve(['--progression', 'after-ms=5']);
  const loud = await serve(['--progression', 'after-ms=5', '--deliver-notifications']);
  try {
    const quietJob = await createJob(quiet.url, ['--callback', `${rx.url}/quiet`]);
    const loudJob = await createJob(loud.url, ['--callback', `${rx.url}/loud`]);
    expect([quietJob, loudJob].every((id) => /^j[0-9a-f]{32}$/.test(id))).toBe(true);
    await rx.firstPost;
    // the quiet fake's job ended first (it was created first), yet only the loud one's notification arrived
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.posted).toStrictEqual(['/loud']);
  } finally {
    await quiet.stop();
    await loud.stop();
    await rx.close();
  }
});

test.each(['::1', '[::1]', 'localhost'])('--deliver-notifications with --host %s (loopback) is accepted', async (host) => {
  const fake = await serve(['--deliver-notifications', '--host', host]).catch((e: unknown) =>
    e instanceof Error ? e : new Error(String(e)),
  );
  if (fake instanceof Error) {
    // a machine without IPv6 cannot listen on ::1; what matters is that the flag was not refused
    expect(fake.message).not.toContain('--deliver-notifications needs');
    return;
  }
  expect(await fake.stop()).toBe(0);
});

test.each([
  [['--cors'], 'no --cors'],
  [['--host', '0.0.0.0'], 'a loopback --host'],
  [['--host', '192.168.1.5'], 'a loopback --host'],
])('--deliver-notifications with %p is a usage error (the fake could be made to POST to local services)', async (flags, words) => {
  const cli = io({});
  expect(await run(['mock', 'serve', '--port', '0', '--deliver-notifications', ...flags], cli)).toBe(2);
  expect(cli.err.join('')).toContain('--deliver-notifications needs');
  expect(cli.err.join('')).toContain(words);
});
