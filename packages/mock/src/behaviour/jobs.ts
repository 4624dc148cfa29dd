/**
 * The behaviour of the job operations: DescribeMediaJobs (filters, keyset NextToken), CreateMediaJobs,
 * DescribeMediaJob and CancelMediaJob, over the store and the job state machine. Parameters, bodies and their
 * validation come from the generated operation table (`../operations.ts`); only what the spec cannot say is
 * checked here.
 */
import { formatCiTime } from '@cloud-infinite/runtime';
import type { Animation, DescribeMediaJobOutput, DescribeMediaJobsOutput, MediaJob, MediaJobOperation } from '@cloud-infinite/client';
import { CI_OFFSET_MINUTES } from '../constants';
import { invalidArgument, noSuchResource } from '../errors';
import { decodeNextToken, encodeNextToken, filterFingerprint } from '../next-token';
import { parseStrictCiTime } from '../operations';
import type { JobSortKey, JobState, SortOrder } from '../store';
import { checkAnimation } from './checks';
import type { Behaviours } from './types';

const DEFAULT_SIZE = 10;

const timeMs = (value: string | Date | undefined): number | undefined =>
  value === undefined ? undefined : typeof value === 'string' ? parseStrictCiTime(value) : value.getTime();

/**
 * DescribeMediaJobs: filters (`queueId`, `tag`, `states` — `All` anywhere means every state —, the creation-time
 * range, `inputObject`, `workflowId`; `inventoryTriggerJobId` matches nothing: the fake has no batch jobs),
 * orders by CreationTime then JobId, and pages with a keyset NextToken (see `next-token.ts`) bound to the order
 * and to every filter parameter the request gave. The last page has no `<NextToken>` element. Each job
 * returned counts as one read (`afterPolls`).
 */
const describeMediaJobs: Behaviours['DescribeMediaJobs'] = (ctx, input) => {
  if (input.queueId === '') throw invalidArgument('The parameter queueId must not be empty.');
  const order: SortOrder = input.orderByTime ?? 'Desc';
  const states = input.states === undefined || input.states.includes('All') ? undefined : [...new Set(input.states as JobState[])].sort();
  const filter = {
    queueId: input.queueId,
    tag: input.tag,
    states,
    createdFromMs: timeMs(input.startCreationTime),
    createdToMs: timeMs(input.endCreationTime),
    inputObject: input.inputObject,
    workflowId: input.workflowId,
  };
  // bound to every parameter but the paging ones (and the times and states as the filter reads them), so a
  // parameter the spec adds binds the token too
  const {
    nextToken: _token,
    size: _size,
    orderByTime: _order,
    startCreationTime: _from,
    endCreationTime: _to,
    states: _states,
    ...rest
  } = input;
  const fingerprint = filterFingerprint({ ...rest, ...filter });

  let after: JobSortKey | undefined;
  if (input.nextToken !== undefined && input.nextToken !== '') {
    const cursor = decodeNextToken(input.nextToken);
    if (!cursor) throw invalidArgument('The parameter nextToken is not a token this service issued.');
    if (cursor.order !== order || cursor.fingerprint !== fingerprint) {
      throw invalidArgument(
        "The parameter nextToken belongs to a listing with other filters or another orderByTime; repeat the first request's parameters.",
      );
    }
    after = cursor.after;
  }

  const page =
    input.inventoryTriggerJobId !== undefined
      ? { jobs: [], next: undefined }
      : ctx.store.listJobs({ ...filter, order, after, limit: input.size ?? DEFAULT_SIZE });
  const output: DescribeMediaJobsOutput = { JobsDetail: page.jobs };
  if (page.next) output.NextToken = encodeNextToken({ order, after: page.next, fingerprint });
  ctx.jobs.observed(
    page.jobs.map((j) => j.JobId),
    ctx.nowMs,
  );
  return output;
};

/**
 * CreateMediaJobs: beyond the spec's checks, `Input.Object` and the Output's `Region`, `Bucket`, `Object` must
 * not be empty and the Animation ranges hold (400 `InvalidArgument`); an unknown queue or `TemplateId` is a 400
 * `ResourceNotFound`. `QueueId` defaults to the service's default queue. `TemplateId` wins over an inline
 * Animation: the job records `TemplateId` and `TemplateName` only. Answers the job as submitted (`State`
 * Submitted), one `JobsDetail`.
 */
const createMediaJobs: Behaviours['CreateMediaJobs'] = (ctx, request) => {
  if (request.Input.Object === '') throw invalidArgument('Input.Object must not be empty.');
  const given = request.Operation;
  for (const key of ['Region', 'Bucket', 'Object'] as const) {
    if (given.Output[key] === '') throw invalidArgument(`Operation.Output.${key} must not be empty.`);
  }
  const queueId = request.QueueId || ctx.queueId;
  if (!ctx.store.getQueue(queueId)) throw noSuchResource(`The queue ${JSON.stringify(queueId)} does not exist.`);

  const operation: MediaJobOperation = { Output: { ...given.Output } };
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
  ctx.notifications.watch(job.JobId, {
    CallBack: request.CallBack,
    CallBackFormat: request.CallBackFormat,
    CallBackType: request.CallBackType,
  });
  return { JobsDetail: [ctx.jobs.submit(job, animation, ctx.nowMs)] };
};

/**
 * DescribeMediaJob: the jobs with the comma-joined ids of the path, each once, in the order asked; unknown ids in
 * `NonExistJobIds`. When no id exists the answer is still a 200, with `NonExistJobIds` only (no `JobsDetail`).
 * Each job returned counts as one read (`afterPolls`).
 */
const describeMediaJob: Behaviours['DescribeMediaJob'] = (ctx, input) => {
  const output: DescribeMediaJobOutput = { JobsDetail: [] };
  const missing: string[] = [];
  for (const id of new Set(input.jobIds)) {
    const job = ctx.store.getJob(id);
    if (job) output.JobsDetail.push(job);
    else missing.push(id);
  }
  if (missing.length) output.NonExistJobIds = missing;
  ctx.jobs.observed(
    output.JobsDetail.map((j) => j.JobId),
    ctx.nowMs,
  );
  return output;
};

/**
 * CancelMediaJob (`PUT /jobs/{jobId}?cancel`): a `Submitted` job becomes `Cancel` (EndTime now); the answer is
 * an empty 200. Cancelling a job that is already `Cancel` answers 200 again (the client treats the call as
 * idempotent and may retry it). An unknown id is a 400 `ResourceNotFound`; a Running or finished job a 400
 * `InvalidArgument` ("… can not be canceled").
 */
const cancelMediaJob: Behaviours['CancelMediaJob'] = (ctx, { jobId }) => {
  const job = ctx.store.getJob(jobId);
  if (!job) throw noSuchResource(`The job ${JSON.stringify(jobId)} does not exist.`);
  if (job.State !== 'Cancel') {
    if (job.State !== 'Submitted') {
      throw invalidArgument(`The job ${jobId} is ${job.State} and can not be canceled; only a Submitted job can.`);
    }
    ctx.jobs.cancel(jobId, ctx.nowMs);
  }
  return {};
};

/** The behaviour of the job operations, by operationId. */
export const jobBehaviours: Behaviours = {
  DescribeMediaJobs: describeMediaJobs,
  CreateMediaJobs: createMediaJobs,
  DescribeMediaJob: describeMediaJob,
  CancelMediaJob: cancelMediaJob,
};
