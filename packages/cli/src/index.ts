/**
 * @cloud-infinite/cli — the `ci-media` command line. The bin is `dist/bin.js`; this entry point exposes
 * the program for embedding and tests.
 */
export { buildProgram, run } from './program';
export { ExitCode, UsageError, CommandFailure, reportError, createClient, parseTime, type CliIo, type ConnectionFlags } from './common';
export { JOB_COLUMNS, type JobsListFlags } from './commands/jobs';
export { JOB_DETAIL_COLUMNS, QUEUE_COLUMNS, TEMPLATE_COLUMNS } from './columns';
export { createJobBody, type JobsCreateFlags, type JobsWaitFlags } from './commands/job-actions';
export { applyQueueFlags, type QueuesListFlags, type QueuesUpdateFlags } from './commands/queues';
export { applyTemplateFlags, type TemplatesListFlags, type TemplateBodyFlags } from './commands/templates';
export { readBodyInput, bodyMembers, MAX_INPUT_BYTES, type BodyOperation, type JsonObject } from './input';
export { renderTable, sanitize, displayWidth, type Column } from './table';
export { VERSION } from './version';
