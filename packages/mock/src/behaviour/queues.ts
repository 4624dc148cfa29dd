/**
 * The behaviour of the queue operations: DescribeMediaQueues (filters, page numbers) and UpdateMediaQueue (which
 * pauses and resumes the jobs of a queue). Parameters, bodies and their validation come from the generated
 * operation table (`../operations.ts`).
 */
import { formatCiTime } from '@cloud-infinite/runtime';
import type { DescribeMediaQueuesOutput, MediaQueue } from '@cloud-infinite/client';
import { CI_OFFSET_MINUTES } from '../constants';
import { invalidArgument, noSuchResource } from '../errors';
import { pageOf, pickByIds } from './checks';
import type { Behaviours } from './types';

/**
 * DescribeMediaQueues: the queues in creation order (the default queue first), those of `queueIds` only when
 * given (unknown ones are listed in `NonExistPIDs`), filtered by `state` (All, the default, lists both) and
 * `category` (CateAll — the default — |Transcoding|SpeedTranscoding), then paged by `pageNumber` (from 1, default
 * 1) and `pageSize` (default 10). `TotalCount` counts every queue that matched; a page past the end is empty.
 */
const describeMediaQueues: Behaviours['DescribeMediaQueues'] = (ctx, input) => {
  let queues = ctx.store.listQueues();
  let missing: string[] = [];
  if (input.queueIds) ({ found: queues, missing } = pickByIds(queues, (q) => q.QueueId, input.queueIds));
  const state = input.state === 'All' ? undefined : input.state;
  const category = input.category ?? 'CateAll';
  queues = queues.filter((q) => (state === undefined || q.State === state) && (category === 'CateAll' || q.Category === category));
  const pageNumber = input.pageNumber ?? 1;
  const pageSize = input.pageSize ?? 10;
  const output: DescribeMediaQueuesOutput = {
    RequestId: ctx.requestId,
    TotalCount: queues.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    QueueList: pageOf(queues, pageNumber, pageSize),
  };
  if (missing.length) output.NonExistPIDs = missing;
  return output;
};

/**
 * UpdateMediaQueue: sets the queue's `Name` (not blank) and `State`, and its `NotifyConfig` when given (replaced
 * whole; `State` On needs an `Event`, and with `Type` Url a `Url`). A body `QueueID` must name the queue of the path. An unknown
 * queue is a 400 `ResourceNotFound`. Pausing a queue holds its new jobs `Submitted`; resuming it lets them
 * progress.
 */
const updateMediaQueue: Behaviours['UpdateMediaQueue'] = (ctx, { queueId, ...request }) => {
  const existing = ctx.store.getQueue(queueId);
  if (!existing) throw noSuchResource(`The queue ${JSON.stringify(queueId)} does not exist.`);
  if (request.Name.trim() === '') throw invalidArgument('Name must not be empty.');
  if (request.QueueID !== undefined && request.QueueID !== '' && request.QueueID !== queueId) {
    throw invalidArgument(`QueueID ${JSON.stringify(request.QueueID)} in the body is not the queue of the path (${queueId}).`);
  }
  const notify = request.NotifyConfig;
  if (notify?.State === 'On' && (notify.Type ?? 'Url') === 'Url' && !notify.Url) {
    throw invalidArgument('NotifyConfig.Url is required when NotifyConfig.State is On and Type is Url.');
  }
  if (notify?.State === 'On' && !notify.Event?.trim()) {
    // API 1045/72940: Event is required when State is On
    throw invalidArgument('NotifyConfig.Event is required when NotifyConfig.State is On (e.g. TaskFinish).');
  }
  const queue = ctx.store.updateQueue(queueId, (q): MediaQueue => ({
    ...q,
    Name: request.Name,
    State: request.State,
    UpdateTime: formatCiTime(new Date(ctx.nowMs), CI_OFFSET_MINUTES),
    ...(notify ? { NotifyConfig: notify } : {}),
  }));
  if (existing.State === 'Paused' && queue.State === 'Active') ctx.jobs.queueResumed(queueId, ctx.nowMs);
  return { RequestId: ctx.requestId, Queue: queue };
};

/** The behaviour of the queue operations, by operationId. */
export const queueBehaviours: Behaviours = {
  DescribeMediaQueues: describeMediaQueues,
  UpdateMediaQueue: updateMediaQueue,
};
