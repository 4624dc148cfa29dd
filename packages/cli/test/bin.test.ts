/**
 * The built bin (`dist/bin.js`) as a child process: help, exit codes, and one listing against a local
 * HTTP server (real fetch, real environment). Rebuilds `dist` first when it is missing or older than `src`.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ACCESS_DENIED_BODY, DOC_SAMPLE_BODY } from './fixtures';
import { QUEUE, SECRET_ID, SECRET_KEY } from './helpers';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'dist', 'bin.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

interface BinResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runBin(args: readonly string[], env: Record<string, string> = {}): Promise<BinResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      // a clean environment: nothing of the developer's TENCENTCLOUD_* / CI_* leaks in
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(() => {
  if (!existsSync(BIN) || statSync(BIN).mtimeMs < newestSource(join(ROOT, 'src'))) {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
  }
}, 120_000);

describe('dist/bin.js', () => {
  it('--help exits 0 and prints the usage', async () => {
    const r = await runBin(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: ci-media');
    expect(r.stderr).toBe('');
  });

  it('starts with a node shebang', () => {
    const head = readFileSync(BIN, 'utf8').slice(0, 40);
    expect(head.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('a usage error exits 2', async () => {
    const r = await runBin(['jobs', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--queue-id <id>' not specified");
  });

  describe('against a local server', () => {
    let server: Server;
    let endpoint: string;
    const seen: IncomingMessage[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push(req);
        const denied = new URL(req.url ?? '/', 'http://x').searchParams.get('queueId') === 'denied';
        res.writeHead(denied ? 403 : 200, { 'content-type': 'application/xml', 'x-ci-request-id': 'rid-local' });
        res.end(denied ? ACCESS_DENIED_BODY : DOC_SAMPLE_BODY);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const env = (): Record<string, string> => ({
      TENCENTCLOUD_SECRET_ID: SECRET_ID,
      TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
      CI_ENDPOINT: endpoint,
    });

    it('lists jobs with the environment of the process', async () => {
      const r = await runBin(['jobs', 'list', '--queue-id', QUEUE, '--json'], env());
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { JobsDetail: { JobId: string }[] };
      expect(doc.JobsDetail.map((j) => j.JobId)).toEqual(['je8f65004eb8511eaaed4f377124a303c', 'je8f65004eb8511eaaed4f377124a303d']);
      const req = seen.at(-1)!;
      expect(req.url).toBe(`/jobs?queueId=${QUEUE}&tag=Animation`);
      expect(req.headers.authorization).toContain(`q-ak=${SECRET_ID}`);
    });

    it('a service error exits 1 with the error line', async () => {
      const r = await runBin(['jobs', 'list', '--queue-id', 'denied'], env());
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('error: AccessDenied: Access Denied. (request id NWQ3YmM1ZjBfOTgwMzBhXzQ5ZTZfMjQ****, HTTP 403)\n');
    });
  });
});

/** Runs the bin with `stdin` piped in; `onStderr` sees stderr as it comes (and may signal the child). */
function runBinPiped(
  args: readonly string[],
  env: Record<string, string>,
  stdin: string | undefined,
  onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void,
): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      onStderr?.(stderr, (signal) => child.kill(signal));
    });
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    if (stdin === undefined) child.stdin.end();
    else child.stdin.end(stdin);
  });
}

describe('dist/bin.js: standard input and Ctrl-C', () => {
  let server: Server;
  let endpoint: string;
  const bodies: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(200, { 'content-type': 'application/xml', 'x-ci-request-id': 'rid-local' });
        // a job that stays Submitted: what `jobs wait` polls forever
        res.end(DOC_SAMPLE_BODY);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const env = (): Record<string, string> => ({
    TENCENTCLOUD_SECRET_ID: SECRET_ID,
    TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
    CI_ENDPOINT: endpoint,
  });

  it('jobs create --input - reads the body from the piped standard input', async () => {
    const body = {
      Tag: 'Animation',
      Input: { Object: 'in.mp4' },
      Operation: {
        TemplateId: 't1460606b9752148c4ab182f55163ba7cd',
        Output: { Region: 'ap-beijing', Bucket: 'b-1250000000', Object: 'out.gif' },
      },
    };
    const r = await runBinPiped(['jobs', 'create', '--input', '-', '--json'], env(), JSON.stringify(body));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(bodies.at(-1)).toBe(
      '<Request><Tag>Animation</Tag><Input><Object>in.mp4</Object></Input><Operation><TemplateId>t1460606b9752148c4ab182f55163ba7cd</TemplateId>' +
        '<Output><Region>ap-beijing</Region><Bucket>b-1250000000</Bucket><Object>out.gif</Object></Output></Operation></Request>',
    );
    expect((JSON.parse(r.stdout) as { JobsDetail: unknown[] }).JobsDetail).toHaveLength(2);
  });

  it('a bad document on standard input: exit 2, nothing sent', async () => {
    const before = bodies.length;
    const r = await runBinPiped(['jobs', 'create', '--input', '-'], env(), '{"Tag": ');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --input - (standard input): not valid JSON');
    expect(bodies.length).toBe(before);
  });

  it('Ctrl-C (SIGINT) stops jobs wait: exit 130', async () => {
    let sent = false;
    const r = await runBinPiped(
      ['jobs', 'wait', 'je8f65004eb8511eaaed4f377124a303c', '--interval-ms', '50'],
      env(),
      undefined,
      (text, kill) => {
        if (!sent && text.includes('(poll 1,')) {
          sent = true;
          kill('SIGINT');
        }
      },
    );
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/je8f65004eb8511eaaed4f377124a303c: Submitted \(poll 1, [\d.]+ s\)\n/);
    expect(r.stderr).toMatch(/error: Stopped waiting for job je8f65004eb8511eaaed4f377124a303c \(interrupted\)\n$/);
  });
});
