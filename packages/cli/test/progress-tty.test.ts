/**
 * `jobs list --all` progress, through a real pseudo-terminal: the built bin runs with its stderr on a pty
 * (test/pty.py, python3's `os.openpty`) and its stdout into a file, against a local server that pages through
 * jobs by NextToken. Progress shows on the terminal and only there; `--no-progress` and `--progress` force it;
 * Ctrl-C (SIGINT) says where to resume.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobId, pageXml } from './fixtures';
import { QUEUE, SECRET_ID, SECRET_KEY } from './helpers';

// child processes through a terminal, on a machine that may be busy
jest.setTimeout(30_000);

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'dist', 'bin.js');
const PTY = join(__dirname, 'pty.py');
const ESC = '\x1b';
/** What the progress line is redrawn with: carriage return, erase to the end of the line. */
const REDRAW = '\r\x1b[K';

const PAGE_SIZE = 100;
const PAGES = 5;
/** `tok-<n>` is the token of page n + 1 (0-based pages); the last page has none. */
const tokenAfter = (page: number): string => (page + 1 < PAGES ? `tok-${page + 1}` : '');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

interface TtyResult {
  readonly code: number;
  /** What the program wrote to the terminal (its stderr), as written. */
  readonly terminal: string;
  /** What it wrote to stdout (a file). */
  readonly stdout: string;
}

let work: string;
let server: Server;
let endpoint: string;
/** Tokens whose page is never answered (the request hangs until the client gives up). */
const hangOn = new Set<string>();
/** How long each page takes to answer, in ms. */
let pageDelayMs = 0;
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  if (!existsSync(BIN) || statSync(BIN).mtimeMs < newestSource(join(ROOT, 'src'))) {
    execFileSync(process.execPath, [require.resolve('tsup/dist/cli-default.js')], { cwd: ROOT, stdio: 'inherit' });
  }
  work = mkdtempSync(join(tmpdir(), 'ci-media-tty-'));
  server = createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('nextToken') ?? '';
    if (hangOn.has(token)) {
      hanging.push(res);
      return;
    }
    const page = token === '' ? 0 : Number(token.slice('tok-'.length));
    const jobs = Array.from({ length: PAGE_SIZE }, (_, i) => ({ id: jobId(page * PAGE_SIZE + i + 1), input: `in/clip-${page}-${i}.mp4` }));
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/xml', 'x-ci-request-id': `rid-${page}` });
      res.end(pageXml(jobs, tokenAfter(page)));
    }, pageDelayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

const env = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  TENCENTCLOUD_SECRET_ID: SECRET_ID,
  TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
  CI_ENDPOINT: endpoint,
});

let runs = 0;

/**
 * Runs `ci-media <args>` with stderr on a pseudo-terminal; `onTerminal` sees the terminal text as it comes and
 * may signal the program (its pid is the first line python prints on its stderr).
 */
function runOnTty(
  args: readonly string[],
  onTerminal?: (text: string, signal: (s: NodeJS.Signals) => void) => void,
  { stdoutOnTty = false } = {},
): Promise<TtyResult> {
  const outFile = stdoutOnTty ? '-' : join(work, `stdout-${++runs}`);
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [PTY, outFile, process.execPath, BIN, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let terminal = '';
    let pid = 0;
    let pidText = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stderr.on('data', (c: Buffer) => {
      pidText += c.toString('utf8');
      pid ||= Number(pidText.split('\n')[0]) || 0;
    });
    child.stdout.on('data', (c: Buffer) => {
      terminal += c.toString('utf8');
      onTerminal?.(terminal, (s) => pid > 0 && process.kill(pid, s));
    });
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, terminal, stdout: !stdoutOnTty && existsSync(outFile) ? readFileSync(outFile, 'utf8') : '' });
    });
  });
}

/** Runs the bin with plain pipes (no terminal anywhere). */
function runPiped(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The states the progress line went through: the text after each redraw. */
const progressLines = (terminal: string): string[] =>
  terminal
    .split(REDRAW)
    .slice(1)
    .map((part) => part.split('\n')[0] ?? '')
    .filter((line) => line.startsWith('listing '));

const LIST = ['jobs', 'list', '--queue-id', QUEUE, '--all'];
const ALL_JOBS = PAGE_SIZE * PAGES;

describe('jobs list --all on a terminal', () => {
  it('--ndjson to a file: progress on the terminal (jobs, pages, rate), pure NDJSON in the file', async () => {
    const r = await runOnTty([...LIST, '--ndjson']);
    expect(r.code).toBe(0);
    const lines = progressLines(r.terminal);
    expect(lines[0]).toBe('listing jobs: waiting for page 1…');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines.slice(1)) expect(line).toMatch(/^listing jobs: \d{1,3}(,\d{3})* jobs in \d pages?, \d{1,3}(,\d{3})* jobs\/s$/);
    // the line counts up to the whole listing (the last page is always drawn: stdout is written after it)
    expect(lines.at(-1)).toMatch(new RegExp(`^listing jobs: ${ALL_JOBS} jobs in ${PAGES} pages, `));
    // erased at the end, then the summary on a clean line
    expect(r.terminal.endsWith(`${REDRAW}fetched ${ALL_JOBS} jobs in ${PAGES} pages\n`)).toBe(true);
    const out = r.stdout.split('\n');
    expect(out.pop()).toBe('');
    expect(out).toHaveLength(ALL_JOBS);
    expect(out.map((l) => (JSON.parse(l) as { JobId: string }).JobId)).toEqual(Array.from({ length: ALL_JOBS }, (_, i) => jobId(i + 1)));
    expect(r.stdout).not.toContain(ESC);
  });

  it('--json to a file: the listing is not silent while it is held in memory', async () => {
    // pages slower than the line's redraw interval (100 ms), as with a real service
    pageDelayMs = 150;
    const r = await runOnTty([...LIST, '--json']).finally(() => (pageDelayMs = 0));
    expect(r.code).toBe(0);
    const lines = progressLines(r.terminal);
    expect(lines.map((l) => l.replace(/, [\d,]+ jobs\/s$/, ''))).toEqual([
      'listing jobs: waiting for page 1…',
      ...Array.from({ length: PAGES }, (_, i) => `listing jobs: ${(i + 1) * PAGE_SIZE} jobs in ${i + 1} page${i ? 's' : ''}`),
    ]);
    expect(lines.at(-1)).toMatch(new RegExp(`^listing jobs: ${ALL_JOBS} jobs in ${PAGES} pages, [\\d,]+ jobs/s$`));
    expect((JSON.parse(r.stdout) as { JobsDetail: unknown[] }).JobsDetail).toHaveLength(ALL_JOBS);
  });

  it('--no-progress: nothing but the summary, even on a terminal', async () => {
    const r = await runOnTty([...LIST, '--ndjson', '--no-progress']);
    expect(r.code).toBe(0);
    expect(r.terminal).toBe(`fetched ${ALL_JOBS} jobs in ${PAGES} pages\n`);
  });

  it('Ctrl-C: the progress line is erased and stderr says which --next-token continues', async () => {
    hangOn.add('tok-2'); // pages 1 and 2 arrive, page 3 never does
    try {
      let sent = false;
      const r = await runOnTty([...LIST, '--ndjson'], (text, signal) => {
        if (!sent && text.includes(`${2 * PAGE_SIZE} jobs in 2 pages`)) {
          sent = true;
          signal('SIGINT');
        }
      });
      expect(sent).toBe(true);
      expect(r.code).toBe(130);
      expect(r.terminal).toContain(`${REDRAW}fetched ${2 * PAGE_SIZE} jobs in 2 pages before the error; resume with --next-token tok-2\n`);
      expect(r.terminal).toMatch(/error: .*\(interrupted\)\n$/);
      // the file holds exactly the pages before the token: resuming there loses and repeats nothing
      expect(r.stdout.trimEnd().split('\n')).toHaveLength(2 * PAGE_SIZE);
    } finally {
      hangOn.delete('tok-2');
    }
  });

  it('a table on the same terminal: the progress line is erased before each page, so the pages read as without it', async () => {
    const r = await runOnTty(LIST, undefined, { stdoutOnTty: true });
    const piped = await runPiped(LIST);
    expect(r.code).toBe(0);
    expect(progressLines(r.terminal).length).toBeGreaterThan(PAGES);
    // what the terminal shows: on each line, what follows the last carriage return (and its erase)
    const shown = r.terminal
      .split('\n')
      .map((line) => line.slice(line.lastIndexOf('\r') + 1))
      .map((line) => (line.startsWith(`${ESC}[K`) ? line.slice(3) : line))
      .join('\n');
    expect(shown).toBe(`${piped.stdout}${piped.stderr}`);
    expect(piped.stdout).toContain('— page 5 (100 jobs) —');
  });
});

describe('jobs list --all without a terminal', () => {
  it('shows no progress on a pipe', async () => {
    const r = await runPiped([...LIST, '--ndjson']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`fetched ${ALL_JOBS} jobs in ${PAGES} pages\n`);
  });

  it('--progress forces it on a pipe', async () => {
    const r = await runPiped([...LIST, '--ndjson', '--progress']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${REDRAW}listing jobs: ${ALL_JOBS} jobs in ${PAGES} pages, `);
    expect(r.stderr.endsWith(`${REDRAW}fetched ${ALL_JOBS} jobs in ${PAGES} pages\n`)).toBe(true);
    expect(r.stdout).not.toContain(ESC);
  });
});
