#!/usr/bin/env node
/** `ci-media`: runs the program with the real process I/O and sets the exit code. */
import { CiAbortError } from '@cloud-infinite/client';
import { ExitCode } from './common';
import { MAX_INPUT_BYTES } from './input';
import { run } from './program';

// `ci-media … | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// Ctrl-C: the first one stops the command through its AbortSignal (requests in flight, `jobs wait`), which
// then reports and exits 130; a second one exits at once.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(ExitCode.Interrupted);
  interrupt.abort(new Error('SIGINT'));
});

/** Reads standard input to its end (for `--input -`); stops early past the size limit or on Ctrl-C. */
function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('reading the request body from standard input (end it with Ctrl-D)\n');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (): void => {
      interrupt.signal.removeEventListener('abort', onAbort);
      process.stdin.removeAllListeners('data');
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onAbort = (): void => {
      process.stdin.destroy();
      reject(new CiAbortError('Interrupted while reading standard input'));
    };
    interrupt.signal.addEventListener('abort', onAbort, { once: true });
    process.stdin.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_INPUT_BYTES) {
        process.stdin.destroy();
        finish();
      }
    });
    process.stdin.once('end', finish);
    process.stdin.once('error', reject);
  });
}

void run(process.argv.slice(2), {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  env: process.env,
  stdin: readStdin,
  signal: interrupt.signal,
  stderrIsTTY: process.stderr.isTTY === true,
}).then((code) => {
  process.exitCode = code;
});
