/**
 * Job operations: DescribeMediaJobs (GET /jobs), CreateMediaJobs (POST /jobs), DescribeMediaJob
 * (GET /jobs/{jobIds}), CancelMediaJob (PUT /jobs/{jobId}?cancel).
 */
import { CI_TIME_PATTERN, formatCiTime, parseCiTime } from '@cloud-infinite/runtime';
import {
  operationTable,
  shapes,
  type CreateMediaJobsInput,
  type CreateMediaJobsOutput,
  type DescribeMediaJobOutput,
  type DescribeMediaJobsOutput,
  type MediaJob,
  type Animation,
  type MediaJobOperation as JobOperation,
} from '@cloud-infinite/client';
import { CI_OFFSET_MINUTES } from '../constants';
import { invalidArgument, noSuchResource } from '../errors';
import { decodeNextToken, encodeNextToken, filterFingerprint } from '../next-token';
import type { Route, RouteContext, RouteResult } from '../router';
import { JOB_STATES, type JobSortKey, type JobState, type SortOrder } from '../store';
import { encodeDocument } from '../xml';
import { checkAnimation, listParam, onlyParams, readBody } from './common';

/** Query parameters of DescribeMediaJobs (wire names); any other parameter is refused. */
export const DESCRIBE_MEDIA_JOBS_PARAMS: readonly string[] = [
  'queueId',
  'tag',
  'orderByTime',
  'nextToken',
  'size',
  'states',
  'startCreationTime',
  'endCreationTime',
  'workflowId',
  'inventoryTriggerJobId',
  'inputObject',
  'queueType',
];

/** Tags the fake answers (CI has more; this SDK covers Animation). */
const TAGS = ['Animation'];
const DEFAULT_SIZE = 10;
const MAX_SIZE = 100;

/**
 * Parses a CI time strictly: the pattern, and a date that exists (`2024-02-30…` and `+2460` are refused).
 * Returns milliseconds since the epoch.
 */
function parseTimeParam(name: string, value: string): number {
  let ms: number | undefined;
  if (CI_TIME_PATTERN.test(value)) {
    const hours = Number(value.slice(20, 22));
    const minutes = Number(value.slice(22, 24));
    const offset = (value.charAt(19) === '-' ? -1 : 1) * (hours * 60 + minutes);
    const date = parseCiTime(value);
    // the date must exist: formatting it back in its own offset gives the same wall-clock time
    if (date && hours < 24 && minutes < 60 && formatCiTime(date, offset).slice(0, 19) === value.slice(0, 19)) ms = date.getTime();
  }
  if (ms === undefined) {
    throw invalidArgument(
      `The parameter ${name} must be a time as YYYY-MM-DDTHH:MM:SS+HHMM (e.g. 2024-05-01T08:00:00+0800), got ${JSON.stringify(value.slice(0, 40))}.`,
    );
  }
  return ms;
}

/**
 * DescribeMediaJobs: validates the query as CI does, filters, orders by CreationTime then JobId, and pages with
 * a keyset NextToken (see `next-token.ts`). The last page has no `<NextToken>` element.
 */
export function describeMediaJobs(ctx: RouteContext): RouteResult {
  const q = ctx.request.query;
  for (const name of Object.keys(q)) {
    if (!DESCRIBE_MEDIA_JOBS_PARAMS.includes(name)) {
      throw invalidArgument(
        `The parameter ${name} is not a parameter of DescribeMediaJobs; expected one of ${DESCRIBE_MEDIA_JOBS_PARAMS.join(', ')}.`,
      );
    }
  }
  const queueId = q.queueId;
  if (queueId === undefined || queueId === '') throw invalidArgument('The parameter queueId is required.');
  const tag = q.tag;
  if (tag === undefined || tag === '') throw invalidArgument('The parameter tag is required.');
  if (!TAGS.includes(tag)) throw invalidArgument(`The parameter tag must be one of ${TAGS.join(', ')}, got ${JSON.stringify(tag)}.`);

  let size = DEFAULT_SIZE;
  if (q.size !== undefined) {
    size = /^\d{1,4}$/.test(q.size) ? Number(q.size) : Number.NaN;
    if (!(size >= 1 && size <= MAX_SIZE)) {
      throw invalidArgument(`The parameter size must be an integer from 1 to ${MAX_SIZE}, got ${JSON.stringify(q.size.slice(0, 20))}.`);
    }
  }

  let order: SortOrder = 'Desc';
  if (q.orderByTime !== undefined) {
    if (q.orderByTime !== 'Desc' && q.orderByTime !== 'Asc') {
      throw invalidArgument(`The parameter orderByTime must be Desc or Asc, got ${JSON.stringify(q.orderByTime.slice(0, 20))}.`);
    }
    order = q.orderByTime;
  }

  let states: JobState[] | undefined;
  if (q.states !== undefined) {
    const list = q.states.split(',');
    for (const s of list) {
      if (s !== 'All' && !(JOB_STATES as readonly string[]).includes(s)) {
        throw invalidArgument(
          `The parameter states must be a comma list of All, ${JOB_STATES.join(', ')}; got ${JSON.stringify(q.states.slice(0, 80))}.`,
        );
      }
    }
    states = list.includes('All') ? undefined : [...new Set(list as JobState[])].sort();
  }

  const createdFromMs = q.startCreationTime === undefined ? undefined : parseTimeParam('startCreationTime', q.startCreationTime);
  const createdToMs = q.endCreationTime === undefined ? undefined : parseTimeParam('endCreationTime', q.endCreationTime);

  const filter = {
    queueId,
    tag,
    states,
    createdFromMs,
    createdToMs,
    inputObject: q.inputObject,
    workflowId: q.workflowId,
  };
  const fingerprint = filterFingerprint({ ...filter, inventoryTriggerJobId: q.inventoryTriggerJobId, queueType: q.queueType });

  let after: JobSortKey | undefined;
  if (q.nextToken !== undefined && q.nextToken !== '') {
    const cursor = decodeNextToken(q.nextToken);
    if (!cursor) throw invalidArgument('The parameter nextToken is not a token this service issued.');
    if (cursor.order !== order || cursor.fingerprint !== fingerprint) {
      throw invalidArgument(
        "The parameter nextToken belongs to a listing with other filters or another orderByTime; repeat the first request's parameters.",
      );
    }
    after = cursor.after;
  }

  // the fake has no batch (inventory trigger) jobs: filtering on one matches nothing
  const page =
    q.inventoryTriggerJobId !== undefined ? { jobs: [], next: undefined } : ctx.store.listJobs({ ...filter, order, after, limit: size });
  const output: DescribeMediaJobsOutput = { JobsDetail: page.jobs };
  if (page.next) output.NextToken = encodeNextToken({ order, after: page.next, fingerprint });
  const body = encodeDocument(output, shapes.documents.DescribeMediaJobsResponse);
  ctx.jobs.observed(
    page.jobs.map((j) => j.JobId),
    ctx.nowMs,
  );
  return { body };
}

/**
 * CreateMediaJobs: decodes the `<Request>` with the spec's shape and checks it (400 `MissingContent`,
 * `InvalidContent`, `InvalidArgument` — required members, enums, UserData, the Animation ranges; the tag must be
 * Animation). `QueueId` defaults to the service's default queue; an unknown queue or `TemplateId` is a 400
 * `ResourceNotFound`. `TemplateId` wins over an inline Animation: the job records `TemplateId` and
 * `TemplateName` only. Answers the job as submitted (`State` Submitted), one `JobsDetail`.
 */
export function createMediaJobs(ctx: RouteContext): RouteResult {
  onlyParams(ctx, 'CreateMediaJobs', []);
  const request = readBody<CreateMediaJobsInput>(
    ctx,
    shapes.documents.CreateMediaJobsRequest,
    operationTable.CreateMediaJobs.validateInput,
  );
  if (request.Input.Object === '') throw invalidArgument('Input.Object must not be empty.');
  const given = request.Operation;
  for (const key of ['Region', 'Bucket', 'Object'] as const) {
    if (given.Output[key] === '') throw invalidArgument(`Operation.Output.${key} must not be empty.`);
  }
  const queueId = request.QueueId || ctx.queueId;
  if (!ctx.store.getQueue(queueId)) throw noSuchResource(`The queue ${JSON.stringify(queueId)} does not exist.`);

  const operation: JobOperation = { Output: { ...given.Output } };
  let animation: Animation | undefined = given.Animation;
  if (given.TemplateId !== undefined && given.TemplateId !== '') {
    const template = ctx.store.getTemplate(given.TemplateId);
    if (!template) throw noSuchResource(`The template ${JSON.stringify(given.TemplateId)} does not exist.`);
    if (template.Tag !== 'Animation')
      throw invalidArgument(`The template ${given.TemplateId} is a ${template.Tag} template, not an Animation one.`);
    operation.TemplateId = template.TemplateId;
    operation.TemplateName = template.Name ?? '';
    animation = template.TransTpl;
  } else if (given.Animation) {
    checkAnimation(given.Animation, 'Operation.Animation');
    operation.Animation = given.Animation;
  } else {
    throw invalidArgument('Operation needs a TemplateId or an Animation.');
  }
  if (given.UserData !== undefined) operation.UserData = given.UserData;
  if (given.JobLevel !== undefined) operation.JobLevel = given.JobLevel;

  const job: MediaJob = {
    Code: 'Success',
    Message: 'Success',
    JobId: ctx.ids.jobId(ctx.nowMs),
    Tag: 'Animation',
    State: 'Submitted',
    Progress: '0',
    CreationTime: formatCiTime(new Date(ctx.nowMs), CI_OFFSET_MINUTES),
    StartTime: '',
    EndTime: '',
    QueueId: queueId,
    Input: { BucketId: ctx.bucket, Object: request.Input.Object, Region: ctx.region },
    Operation: operation,
  };
  const submitted = ctx.jobs.submit(job, animation, ctx.nowMs);
  const output: CreateMediaJobsOutput = { JobsDetail: [submitted] };
  return { body: encodeDocument(output, shapes.documents.CreateMediaJobsResponse) };
}

/**
 * DescribeMediaJob: the jobs with the comma-joined ids of the path, each once, in the order asked; unknown ids in
 * `NonExistJobIds`. When no id exists the answer is still a 200, with `NonExistJobIds` only (no `JobsDetail`).
 * An empty id in the list is a 400 `InvalidArgument`. Each job returned counts as one read (`afterPolls`).
 */
export function describeMediaJob(ctx: RouteContext): RouteResult {
  onlyParams(ctx, 'DescribeMediaJob', []);
  const ids = [...new Set(listParam(ctx.params.jobIds, 'jobIds') ?? [])];
  const output: DescribeMediaJobOutput = { JobsDetail: [] };
  const missing: string[] = [];
  for (const id of ids) {
    const job = ctx.store.getJob(id);
    if (job) output.JobsDetail.push(job);
    else missing.push(id);
  }
  if (missing.length) output.NonExistJobIds = missing;
  const body = encodeDocument(output, shapes.documents.DescribeMediaJobResponse);
  ctx.jobs.observed(
    output.JobsDetail.map((j) => j.JobId),
    ctx.nowMs,
  );
  return { body };
}

/**
 * CancelMediaJob (`PUT /jobs/{jobId}?cancel`): a `Submitted` job becomes `Cancel` (EndTime now); the answer is
 * an empty 200. Cancelling a job that is already `Cancel` answers 200 again (the client treats the call as
 * idempotent and may retry it). An unknown id is a 400 `ResourceNotFound`; a Running or finished job a 400
 * `InvalidArgument` ("… can not be canceled"); a missing `cancel` flag a 400 `InvalidArgument`.
 */
export function cancelMediaJob(ctx: RouteContext): RouteResult {
  onlyParams(ctx, 'CancelMediaJob', ['cancel']);
  if (ctx.request.query.cancel === undefined) throw invalidArgument('PUT /jobs/<jobId> needs the ?cancel flag.');
  const jobId = ctx.params.jobId!;
  const job = ctx.store.getJob(jobId);
  if (!job) throw noSuchResource(`The job ${JSON.stringify(jobId)} does not exist.`);
  if (job.State !== 'Cancel') {
    if (job.State !== 'Submitted') {
      throw invalidArgument(`The job ${jobId} is ${job.State} and can not be canceled; only a Submitted job can.`);
    }
    ctx.jobs.cancel(jobId, ctx.nowMs);
  }
  return { body: '' };
}

/** The job routes. */
export const jobRoutes: readonly Route[] = [
  { operationId: 'DescribeMediaJobs', method: 'GET', path: '/jobs', handler: describeMediaJobs },
  { operationId: 'CreateMediaJobs', method: 'POST', path: '/jobs', handler: createMediaJobs },
  { operationId: 'DescribeMediaJob', method: 'GET', path: '/jobs/{jobIds}', handler: describeMediaJob },
  { operationId: 'CancelMediaJob', method: 'PUT', path: '/jobs/{jobId}', handler: cancelMediaJob },
];
