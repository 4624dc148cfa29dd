#!/usr/bin/env node
/**
 * `npm test`: `nx run-many -t test typecheck` with every task's output shown (`--output-style=static`, so jest's
 * and node:test's own reports are visible, cached tasks replayed), then the tests passed per project
 * (summary.mjs). Exits with nx's exit code. Extra arguments go to nx: `npm test -- --skip-nx-cache`,
 * `npm test -- -p cli`.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSummary, parseRun } from './summary.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const nx = createRequire(resolve(repo, 'package.json')).resolve('nx/bin/nx.js');
const args = [nx, 'run-many', '-t', 'test', 'typecheck', '--output-style=static', ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { cwd: repo, stdio: ['inherit', 'pipe', 'pipe'] });

// nx prints every task's output (stdout and stderr) on its stdout, under the task's `> nx run …` line
const lines = [];
let partial = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const parts = (partial + chunk.toString('utf8')).split('\n');
  partial = parts.pop() ?? '';
  lines.push(...parts);
});
child.stderr.on('data', (chunk) => process.stderr.write(chunk));
child.on('close', (code, signal) => {
  if (partial) lines.push(partial);
  process.stdout.write(`\n${formatSummary(parseRun(lines))}`);
  process.exitCode = signal ? 1 : (code ?? 1);
});
