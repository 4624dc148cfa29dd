/**
 * `ci-media jobs …`: media jobs. `jobs list` (DescribeMediaJobs) is here; `create`, `get`, `cancel` and
 * `wait` are in `job-actions.ts`.
 */
import { Command, Option } from 'commander';
import {
  CiDecodeError,
  type CiMediaClient,
  type DescribeMediaJobsInput,
  type DescribeMediaJobsOutput,
  type MediaJob,
} from '@cloud-infinite/client';
import {
  addConnectionOptions,
  callOptions,
  createClient,
  defineAction,
  environmentHelp,
  intInRange,
  listOf,
  oneOf,
  parseTime,
  plural,
  timeValue,
  UsageError,
  type CliIo,
  type ConnectionFlags,
} from '../common';
import { JOB_COLUMNS } from '../columns';
import { ListingProgress, progressEnabled } from '../progress';
import { StreamingTable, renderTable, sanitize, terminalSafeJson } from '../table';
import { registerJobActions } from './job-actions';

type JobTag = DescribeMediaJobsInput['tag'];
type StateFilter = NonNullable<DescribeMediaJobsInput['states']>[number];
type Order = NonNullable<DescribeMediaJobsInput['orderByTime']>;

// Records keyed by the spec's unions: adding a value to the spec without adding it here fails to compile.
const TAGS: Record<JobTag, true> = { Animation: true };
const STATES: Record<StateFilter, true> = {
  All: true,
  Submitted: true,
  Running: true,
  Success: true,
  Failed: true,
  Pause: true,
  Cancel: true,
};
const ORDERS: Record<Order, true> = { Desc: true, Asc: true };
const keys = <K extends string>(record: Record<K, true>): K[] => Object.keys(record) as K[];

/** The options of `jobs list`, as parsed. */
export type JobsListFlags = ConnectionFlags & {
  queueId: string;
  tag: JobTag;
  states?: StateFilter[] | undefined;
  size?: number | undefined;
  order?: Order | undefined;
  since?: string | Date | undefined;
  until?: string | Date | undefined;
  nextToken?: string | undefined;
  all?: boolean | undefined;
  json?: boolean | undefined;
  ndjson?: boolean | undefined;
  /** `--progress` true, `--no-progress` false, neither undefined (then: whether stderr is a terminal). */
  progress?: boolean | undefined;
};

/** The table columns of a job listing (defined in `columns.ts`). */
export { JOB_COLUMNS } from '../columns';

const EXAMPLES = `
Examples:
  $ ci-media jobs list --bucket examplebucket-1250000000 --region ap-beijing --queue-id p893bcda225bf4945a378da6662e81a89
  $ ci-media jobs list --queue-id p893… --states Failed --since 2024-05-01 --all
  $ ci-media jobs list --queue-id p893… --all --json --ndjson | jq -r .JobId
  $ ci-media jobs list --endpoint http://127.0.0.1:9000 --queue-id p893… --json`;

/** Adds the `jobs` command group to `program`. */
export function registerJobsCommands(program: Command, io: CliIo): void {
  const jobs = program.command('jobs').description('media jobs (animated images)');

  const list = jobs
    .command('list')
    .description('list the jobs of a queue, newest first, a page at a time (DescribeMediaJobs)')
    .requiredOption('--queue-id <id>', 'required: the queue whose jobs are listed')
    .addOption(new Option('--tag <tag>', 'job type').argParser(oneOf(keys(TAGS))).default('Animation'))
    .addOption(
      new Option('--states <list>', `comma-separated states to include: ${keys(STATES).join(', ')} (default All)`).argParser(
        listOf(keys(STATES)),
      ),
    )
    .addOption(new Option('--size <n>', 'jobs per page, 1 to 100 (service default 10)').argParser(intInRange(1, 100)))
    .addOption(new Option('--order <order>', 'by creation time: Desc (default) or Asc').argParser(oneOf(keys(ORDERS))))
    .addOption(
      new Option('--since <time>', 'only jobs created at or after this time: 2024-05-01T08:00:00+0800 or ISO-8601').argParser(parseTime),
    )
    .addOption(new Option('--until <time>', 'only jobs created at or before this time (same forms as --since)').argParser(parseTime))
    .option('--next-token <token>', 'start at this page (the NextToken of a previous listing)')
    .option('--all', 'follow NextToken through every page (tables stream page by page)')
    .option('--json', 'print JSON: the page, or with --all { "JobsDetail": [every job] }')
    .option('--ndjson', 'print one JSON job per line (implies --json; streams with --all)')
    .option('--progress', 'with --all, show jobs, pages and rate on stderr (default: when stderr is a terminal)')
    .option('--no-progress', 'with --all, show no progress, even on a terminal');
  addConnectionOptions(list);
  list.addHelpText('after', `${environmentHelp()}\n${EXAMPLES}`);

  defineAction<JobsListFlags>(list, (flags) => listJobs(io, flags));

  registerJobActions(jobs, io);
}

function toInput(flags: JobsListFlags): DescribeMediaJobsInput {
  if (flags.since !== undefined && flags.until !== undefined && timeValue(flags.since) > timeValue(flags.until)) {
    throw new UsageError('--since is later than --until');
  }
  const input: DescribeMediaJobsInput = { queueId: flags.queueId, tag: flags.tag };
  if (flags.states !== undefined) input.states = flags.states;
  if (flags.size !== undefined) input.size = flags.size;
  if (flags.order !== undefined) input.orderByTime = flags.order;
  if (flags.since !== undefined) input.startCreationTime = flags.since;
  if (flags.until !== undefined) input.endCreationTime = flags.until;
  if (flags.nextToken !== undefined) input.nextToken = flags.nextToken;
  return input;
}

type Format = 'table' | 'json' | 'ndjson';

/** `ci-media jobs list`. */
async function listJobs(io: CliIo, flags: JobsListFlags): Promise<void> {
  if (flags.queueId.trim() === '') throw new UsageError('--queue-id must not be empty');
  const input = toInput(flags);
  const format: Format = flags.ndjson ? 'ndjson' : flags.json ? 'json' : 'table';
  const client = createClient(io, flags);
  if (flags.all) await listAllPages(io, client, input, format, progressEnabled(io, flags.progress));
  else await listOnePage(io, client, input, format);
}

function ndjson(jobs: readonly MediaJob[]): string {
  return jobs.map((job) => `${terminalSafeJson(job)}\n`).join('');
}

async function listOnePage(io: CliIo, client: CiMediaClient, input: DescribeMediaJobsInput, format: Format): Promise<void> {
  const page: DescribeMediaJobsOutput = await client.describeMediaJobs(input, callOptions(io));
  switch (format) {
    case 'json':
      io.stdout(`${terminalSafeJson(page, 2)}\n`);
      return;
    case 'ndjson':
      io.stdout(ndjson(page.JobsDetail));
      // stdout stays one job per line; the way on goes to stderr
      if (page.NextToken) io.stderr(`NextToken: ${sanitize(page.NextToken)}\n`);
      return;
    case 'table':
      io.stdout(page.JobsDetail.length ? renderTable(JOB_COLUMNS, page.JobsDetail) : 'No jobs.\n');
      if (page.NextToken) io.stdout(`NextToken: ${sanitize(page.NextToken)}\n`);
      return;
  }
}

async function listAllPages(
  io: CliIo,
  client: CiMediaClient,
  input: DescribeMediaJobsInput,
  format: Format,
  showProgress: boolean,
): Promise<void> {
  let pages = 0;
  let count = 0;
  /** Token of the page being fetched: where a failed listing can resume. */
  let resumeToken = input.nextToken;
  const collected: MediaJob[] = [];
  // one set of columns and widths for the whole listing, whichever jobs each page holds
  const table = new StreamingTable(JOB_COLUMNS);
  const progress = new ListingProgress(io.stderr, 'job', showProgress);
  const print = (text: string): void => {
    progress.suspend();
    io.stdout(text);
    progress.resume();
  };
  try {
    for await (const page of client.paginateMediaJobPages(input, callOptions(io))) {
      pages++;
      count += page.JobsDetail.length;
      progress.page(page.JobsDetail.length);
      if (format === 'json') collected.push(...page.JobsDetail);
      else {
        // printed, so a resumed listing starts after this page (a --json listing prints nothing before its end)
        resumeToken = page.NextToken;
        if (format === 'ndjson') print(ndjson(page.JobsDetail));
        else {
          const header = `— page ${pages} (${plural(page.JobsDetail.length, 'job')}) —\n`;
          print(`${pages > 1 ? '\n' : ''}${header}${page.JobsDetail.length ? table.render(page.JobsDetail) : ''}`);
        }
      }
    }
  } catch (err) {
    progress.clear();
    if (pages > 0) {
      const unprinted = format === 'json' ? '; nothing was printed (--json prints at the end; --ndjson streams)' : '';
      const resume = resumeToken && !(err instanceof CiDecodeError) ? `; resume with --next-token ${sanitize(resumeToken)}` : '';
      io.stderr(`fetched ${plural(count, 'job')} in ${plural(pages, 'page')} before the error${unprinted}${resume}\n`);
    }
    throw err;
  }
  progress.clear();
  if (format === 'json') io.stdout(`${JSON.stringify({ JobsDetail: collected }, null, 2)}\n`);
  io.stderr(`fetched ${plural(count, 'job')} in ${plural(pages, 'page')}\n`);
}
