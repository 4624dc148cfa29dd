/**
 * Reads the output of `nx run-many --output-style=static` (every task's output after a `> nx run <project>:<target>`
 * line, cached ones replayed) and counts the tests of each `test` task: jest's `Tests: … N total` line and
 * node:test's `# pass N` / `# fail N` / `# skipped N` / `# todo N` / `# cancelled N` lines.
 */

// eslint-disable-next-line no-control-regex -- colour codes are what is stripped
const ANSI = /\x1b\[[0-9;]*m/g;
const TASK = /^> nx run (\S+?):(\S+)(.*)$/;
const JEST = /^Tests:\s+(.+?),\s*(\d+) total/;
const NODE = /^# (pass|fail|skipped|todo|cancelled) (\d+)$/;

/** Parses the output (a string or its lines); returns one entry per test task, in the order they printed. */
export function parseRun(text) {
  const lines = (Array.isArray(text) ? text : text.split('\n')).map((l) => l.replace(ANSI, '').replace(/\r$/, ''));
  const tasks = [];
  let current;
  for (const line of lines) {
    const task = line.match(TASK);
    if (task) {
      current = { project: task[1], target: task[2], cached: /cache/.test(task[3]), runner: undefined, passed: 0, failed: 0, skipped: 0 };
      if (current.target === 'test') tasks.push(current);
      continue;
    }
    if (current === undefined || current.target !== 'test') continue;
    const jest = line.match(JEST);
    if (jest) {
      current.runner = 'jest';
      for (const part of jest[1].split(',')) {
        const [n, what] = part.trim().split(/\s+/);
        if (what === 'passed') current.passed += Number(n);
        else if (what === 'failed') current.failed += Number(n);
        else current.skipped += Number(n); // skipped, todo
      }
      continue;
    }
    const node = line.match(NODE);
    if (node) {
      current.runner = 'node:test';
      const n = Number(node[2]);
      if (node[1] === 'pass') current.passed += n;
      else if (node[1] === 'fail' || node[1] === 'cancelled') current.failed += n;
      else current.skipped += n;
    }
  }
  return tasks;
}

const count = (n) => n.toLocaleString('en-US');

/** The summary printed after the run: one line per test task, then the totals. */
export function formatSummary(tasks) {
  if (tasks.length === 0) return 'tests: no test task ran\n';
  const width = Math.max(...tasks.map((t) => t.project.length));
  const lines = tasks.map((t) => {
    const counts =
      t.runner === undefined
        ? 'no test count found in its output'
        : [`${count(t.passed)} passed`, t.failed ? `${count(t.failed)} failed` : '', t.skipped ? `${count(t.skipped)} skipped` : '']
            .filter(Boolean)
            .join(', ');
    return `  ${t.project.padEnd(width)}  ${counts.padEnd(24)} ${t.runner ?? ''}${t.cached ? ' (replayed from the nx cache)' : ''}`.trimEnd();
  });
  const sum = (key) => tasks.reduce((n, t) => n + t[key], 0);
  const cached = tasks.filter((t) => t.cached).length;
  const total = [
    `${count(sum('passed'))} passed`,
    sum('failed') ? `${count(sum('failed'))} failed` : '',
    sum('skipped') ? `${count(sum('skipped'))} skipped` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    `tests per project:\n${lines.join('\n')}\n` +
    `total: ${total} in ${tasks.length} projects${cached ? ` (${cached} replayed from the nx cache: run with --skip-nx-cache to run them again)` : ''}\n`
  );
}
