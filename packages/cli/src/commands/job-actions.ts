/**
 * `ci-media jobs create|get|cancel|wait`: one job at a time (CreateMediaJobs, DescribeMediaJob,
 * CancelMediaJob, and polling with `waitForMediaJob`).
 */
import { Command, Option } from 'commander';
import { CiJobFailedError, CiTimeoutError, type CreateMediaJobsInput, type MediaJob } from '@cloud-infinite/client';
import { JOB_DETAIL_COLUMNS } from '../columns';
import {
  addConnectionOptions,
  addIds,
  callOptions,
  CommandFailure,
  createClient,
  defineAction,
  environmentHelp,
  intInRange,
  oneOf,
  plural,
  positiveNumber,
  printJson,
  resolveConnection,
  UsageError,
  type CliIo,
  type ConnectionFlags,
} from '../common';
import { asInput, childOf, deleteIn, getIn, readBodyInput, setIn, type JsonObject } from '../input';
import { renderTable, sanitize } from '../table';
import { addAnimationOptions, applyAnimationFlags, hasAnimationFlags, type AnimationFlags } from './animation';

type JobLevel = NonNullable<CreateMediaJobsInput['Operation']['JobLevel']>;
const JOB_LEVELS: Record<JobLevel, true> = { '0': true, '1': true, '2': true };

/** The options of `jobs create`, as parsed. */
export type JobsCreateFlags = ConnectionFlags &
  AnimationFlags & {
    input?: string | undefined;
    templateId?: string | undefined;
    inputObject?: string | undefined;
    outputObject?: string | undefined;
    outputBucket?: string | undefined;
    outputRegion?: string | undefined;
    queueId?: string | undefined;
    userData?: string | undefined;
    jobLevel?: JobLevel | undefined;
    callback?: string | undefined;
    callbackFormat?: 'XML' | 'JSON' | undefined;
    json?: boolean | undefined;
  };

/** The options of `jobs wait`, as parsed. */
export type JobsWaitFlags = ConnectionFlags & {
  maxWait?: number | undefined;
  intervalMs?: number | undefined;
  json?: boolean | undefined;
};

type JsonFlags = ConnectionFlags & { json?: boolean | undefined };

const CREATE_EXAMPLES = `
Examples:
  $ ci-media jobs create --template-id t1460606b9752148c4ab182f55163ba7cd --input-object in/video.mp4 --output-object out/video.gif
  $ ci-media jobs create --format webp --width 480 --fps 15 --quality 80 --input-object in/video.mp4 --output-object 'out/video.\${ext}'
  $ ci-media jobs create --input job.json
  $ ci-media jobs create --input job.json --input-object in/other.mp4 --output-object out/other.gif   # flags override the file
  $ ci-media jobs create --template-id t14… --input-object a.mp4 --output-object a.gif --json | jq -r '.JobsDetail[0].JobId'`;

/** Adds `jobs create|get|cancel|wait` to the `jobs` group. */
export function registerJobActions(jobs: Command, io: CliIo): void {
  const create = jobs
    .command('create')
    .description('submit an animated-image job (CreateMediaJobs); the body comes from --input, from flags, or both (flags win)')
    .option('--input <file>', 'the request body as JSON (a file, or \'-\' for stdin): {"Tag", "Input", "Operation", "QueueId", …}')
    .option('--template-id <id>', 'use this template (Operation.TemplateId); or give --format and the other animation flags')
    .option('--input-object <key>', 'key of the input video in the bucket (Input.Object)')
    .option('--output-object <key>', 'key of the result (Operation.Output.Object); may use ${ext}')
    .option('--output-bucket <bucket>', 'bucket of the result (default: --bucket / CI_BUCKET)')
    .option('--output-region <region>', 'region of the result (default: --region / CI_REGION)')
    .option('--queue-id <id>', "queue to run in (default: the bucket's default queue)")
    .option('--user-data <text>', 'passed through to the job and its callback (printable ASCII, at most 1024 characters)')
    .addOption(new Option('--job-level <level>', 'priority: 0 (default), 1 or 2').argParser(oneOf(Object.keys(JOB_LEVELS) as JobLevel[])))
    .option('--callback <url>', "callback URL of this job ('no' turns off the queue's callback)")
    .addOption(
      new Option('--callback-format <format>', 'body of the callback: XML (default) or JSON (CallBackFormat)').choices(['XML', 'JSON']),
    );
  addAnimationOptions(create);
  create.option('--json', 'print the decoded response as JSON');
  addConnectionOptions(create);
  create.addHelpText('after', `${environmentHelp()}\n${CREATE_EXAMPLES}`);
  defineAction<JobsCreateFlags>(create, (flags) => createJob(io, flags));

  const get = jobs
    .command('get')
    .description('show jobs by id (DescribeMediaJob); exits 1 when an id does not exist')
    .argument('<jobId...>', 'job ids (several, or comma-separated)')
    .option('--json', 'print the decoded response as JSON ({ "JobsDetail": [...], "NonExistJobIds": [...] })');
  addConnectionOptions(get);
  get.addHelpText('after', environmentHelp());
  defineAction<JsonFlags>(get, (flags, args) => getJobs(io, flags, args));

  const cancel = jobs
    .command('cancel')
    .description('cancel a job that has not ended (CancelMediaJob)')
    .argument('<jobId>', 'the job to cancel')
    .option('--json', 'print the decoded response as JSON (the service sends an empty body: {})');
  addConnectionOptions(cancel);
  cancel.addHelpText('after', environmentHelp());
  defineAction<JsonFlags>(cancel, (flags, args) => cancelJob(io, flags, args[0] ?? ''));

  const wait = jobs
    .command('wait')
    .description('poll a job until it ends; exit 0 on Success, 1 on Failed or Cancel (with its Code and Message) or on time-out')
    .argument('<jobId>', 'the job to wait for')
    .addOption(new Option('--max-wait <seconds>', 'give up after this many seconds (default 600)').argParser(positiveNumber(7 * 24 * 3600)))
    .addOption(
      new Option('--interval-ms <ms>', 'poll every this many milliseconds (default: from 1 s, growing to 15 s, with jitter)').argParser(
        intInRange(1, 3_600_000),
      ),
    )
    .option('--json', 'print the final job as JSON');
  addConnectionOptions(wait);
  wait.addHelpText(
    'after',
    `${environmentHelp()}\n\nProgress goes to stderr after each poll; the final job to stdout (also when it failed). Ctrl-C stops waiting (exit 130).`,
  );
  defineAction<JobsWaitFlags>(wait, (flags, args) => waitJob(io, flags, args[0] ?? ''));
}

function nonBlank(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} must not be empty`);
  return value;
}

/**
 * The CreateMediaJobs body: the `--input` document (or nothing), then every flag over it. `--template-id`
 * replaces an `Operation.Animation` of the document and the animation flags replace its
 * `Operation.TemplateId`, so that the body says one thing. `Tag` defaults to `Animation`, the output
 * bucket and region to the command's bucket and region.
 */
export async function createJobBody(io: CliIo, flags: JobsCreateFlags): Promise<JsonObject> {
  const animated = hasAnimationFlags(flags);
  if (flags.templateId !== undefined && animated) {
    throw new UsageError(
      'give --template-id or animation flags (--format, --width, …), not both: a template id wins over inline parameters',
    );
  }
  if (flags.input === undefined) {
    const missing = [
      flags.inputObject === undefined ? '--input-object' : '',
      flags.outputObject === undefined ? '--output-object' : '',
      flags.templateId === undefined && flags.format === undefined ? '--template-id or --format' : '',
    ].filter(Boolean);
    if (missing.length > 0) throw new UsageError(`missing ${missing.join(', ')} (or give the body with --input)`);
  }
  let body: JsonObject = flags.input === undefined ? {} : await readBodyInput(io, flags.input, 'CreateMediaJobs');
  if (body.Tag === undefined) body = setIn(body, ['Tag'], 'Animation');
  body = setIn(body, ['Input', 'Object'], nonBlank(flags.inputObject, '--input-object'));
  if (flags.templateId !== undefined) {
    body = deleteIn(body, ['Operation', 'Animation']);
    body = setIn(body, ['Operation', 'TemplateId'], nonBlank(flags.templateId, '--template-id'));
  }
  if (animated) {
    body = deleteIn(body, ['Operation', 'TemplateId']);
    body = setIn(body, ['Operation', 'Animation'], applyAnimationFlags(childOf(childOf(body, 'Operation'), 'Animation'), flags));
  }
  body = setIn(body, ['Operation', 'Output', 'Object'], nonBlank(flags.outputObject, '--output-object'));
  body = setIn(body, ['Operation', 'Output', 'Bucket'], nonBlank(flags.outputBucket, '--output-bucket'));
  body = setIn(body, ['Operation', 'Output', 'Region'], nonBlank(flags.outputRegion, '--output-region'));
  const { bucket, region } = resolveConnection(io, flags);
  for (const [element, fallback, flag, fallbackFlag] of [
    ['Bucket', bucket, '--output-bucket', '--bucket (or CI_BUCKET)'],
    ['Region', region, '--output-region', '--region (or CI_REGION)'],
  ] as const) {
    if (getIn(body, ['Operation', 'Output', element]) !== undefined) continue;
    if (fallback === undefined) throw new UsageError(`missing ${flag}: no ${fallbackFlag} to default to`);
    body = setIn(body, ['Operation', 'Output', element], fallback);
  }
  body = setIn(body, ['QueueId'], nonBlank(flags.queueId, '--queue-id'));
  body = setIn(body, ['Operation', 'UserData'], flags.userData);
  body = setIn(body, ['Operation', 'JobLevel'], flags.jobLevel);
  body = setIn(body, ['CallBack'], nonBlank(flags.callback, '--callback'));
  body = setIn(body, ['CallBackFormat'], flags.callbackFormat);
  return body;
}

function printJobs(io: CliIo, jobs: readonly MediaJob[]): void {
  io.stdout(jobs.length > 0 ? renderTable(JOB_DETAIL_COLUMNS, jobs) : 'No jobs.\n');
}

/** `ci-media jobs create`. */
async function createJob(io: CliIo, flags: JobsCreateFlags): Promise<void> {
  const body = await createJobBody(io, flags);
  const client = createClient(io, flags);
  const result = await client.createMediaJobs(asInput('CreateMediaJobs', body), callOptions(io));
  if (flags.json) printJson(io, result);
  else printJobs(io, result.JobsDetail);
}

/** `ci-media jobs get`: prints the jobs found; ids that do not exist fail the command (exit 1). */
async function getJobs(io: CliIo, flags: JsonFlags, args: readonly string[]): Promise<void> {
  const ids = addIds([], args, 'job ids', (m) => new UsageError(m));
  const client = createClient(io, flags);
  const result = await client.describeMediaJob({ jobIds: ids }, callOptions(io));
  if (flags.json) printJson(io, result);
  else if (result.JobsDetail.length > 0) printJobs(io, result.JobsDetail);
  const found = new Set(result.JobsDetail.map((j) => j.JobId));
  // the ids the service says are missing, and any it left out without saying so
  const missing = [...(result.NonExistJobIds ?? []), ...ids.filter((id) => !found.has(id))].filter((id, i, all) => all.indexOf(id) === i);
  if (missing.length > 0) throw new CommandFailure(`no such job: ${missing.map(sanitize).join(', ')}`);
}

/** `ci-media jobs cancel`. */
async function cancelJob(io: CliIo, flags: JsonFlags, jobId: string): Promise<void> {
  if (jobId.trim() === '') throw new UsageError('the job id must not be empty');
  const client = createClient(io, flags);
  const result = await client.cancelMediaJob({ jobId }, callOptions(io));
  if (flags.json) printJson(io, result);
  else io.stdout(`Cancelled job ${sanitize(jobId)}.\n`);
}

const DEFAULT_MAX_WAIT_SECONDS = 600;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** `ci-media jobs wait`. */
async function waitJob(io: CliIo, flags: JobsWaitFlags, jobId: string): Promise<void> {
  if (jobId.trim() === '') throw new UsageError('the job id must not be empty');
  const client = createClient(io, flags);
  const maxWaitSeconds = flags.maxWait ?? DEFAULT_MAX_WAIT_SECONDS;
  const started = Date.now();
  let last: MediaJob | undefined;
  const print = (job: MediaJob): void => {
    if (flags.json) printJson(io, job);
    else printJobs(io, [job]);
  };
  try {
    const job = await client.waitForMediaJob(jobId, {
      maxWaitSeconds,
      ...(flags.intervalMs === undefined ? {} : { minDelayMs: flags.intervalMs, maxDelayMs: flags.intervalMs }),
      ...(io.signal ? { signal: io.signal } : {}),
      onPoll: (polled, attempt) => {
        last = polled;
        const progress = polled.Progress ? ` ${sanitize(polled.Progress)}%` : '';
        io.stderr(`${sanitize(polled.JobId)}: ${sanitize(polled.State)}${progress} (poll ${attempt}, ${seconds(Date.now() - started)})\n`);
      },
    });
    print(job);
  } catch (err) {
    if (err instanceof CiJobFailedError) {
      if (err.state === 'NonExistent') throw new CommandFailure(`no such job: ${sanitize(jobId)}`);
      if (last) print(last);
      // a cancelled job often says Code=Success, Message=Success: only what explains the end is worth printing
      const detail = [err.code, err.jobMessage].filter((s) => s !== undefined && s !== '' && s !== 'Success').join(': ');
      throw new CommandFailure(`job ${sanitize(jobId)} ended ${sanitize(err.state)}${detail ? `: ${sanitize(detail)}` : ''}`);
    }
    // waitForMediaJob bounds every poll by the time left, so any time-out is the --max-wait one
    if (err instanceof CiTimeoutError) {
      const state = last
        ? `it is still ${sanitize(last.State)}${last.Progress ? ` (${sanitize(last.Progress)}%)` : ''}`
        : 'the service did not answer';
      throw new CommandFailure(
        `gave up waiting for job ${sanitize(jobId)} after ${plural(maxWaitSeconds, 'second')}: ${state}; ` +
          `wait longer with --max-wait, or again with: ci-media jobs wait ${sanitize(jobId)}`,
      );
    }
    throw err;
  }
}
