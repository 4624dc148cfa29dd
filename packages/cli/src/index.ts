/**
 * @cloud-infinite/cli — the `ci-media` command line. The bin is `dist/bin.js`; this entry point exposes
 * the program for embedding and tests.
 */
export { buildProgram, run } from './program';
export {
  ExitCode,
  UsageError,
  reportError,
  createClient,
  parseTime,
  type CliIo,
  type ConnectionFlags,
} from './common';
export { JOB_COLUMNS, type JobsListFlags } from './commands/jobs';
export { renderTable, sanitize, displayWidth, type Column } from './table';
export { VERSION } from './version';
