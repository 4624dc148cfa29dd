/** Queue operations: DescribeMediaQueues (GET /queue), UpdateMediaQueue (PUT /queue/{queueId}). */
import { formatCiTime } from '@cloud-infinite/runtime';
import {
  operationTable,
  shapes,
  type DescribeMediaQueuesOutput,
  type MediaQueue,
  type UpdateMediaQueueInput,
  type UpdateMediaQueueOutput,
} from '@cloud-infinite/client';
import { CI_OFFSET_MINUTES } from '../constants';
import { invalidArgument, noSuchResource } from '../errors';
import type { Route, RouteContext, RouteResult } from '../router';
import { encodeDocument } from '../xml';
import { enumParam, integerParam, listParam, onlyParams, pageOf, readBody } from './common';

/** Most ids DescribeMediaQueues takes in `queueIds`. */
export const MAX_QUEUE_IDS = 10;

const QUEUE_PARAMS = ['queueIds', 'state', 'category', 'pageNumber', 'pageSize'];

/**
 * DescribeMediaQueues: the queues in creation order (the default queue first), filtered by `queueIds` (≤ 10,
 * comma list; unknown ones are listed in `NonExistPIDs`), `state` (Active|Paused) and `category`
 * (CateAll — the default — |Transcoding|SpeedTranscoding), then paged by `pageNumber` (from 1, default 1) and
 * `pageSize` (1..100, default 10). `TotalCount` counts every queue that matched; a page past the end is empty.
 */
export function describeMediaQueues(ctx: RouteContext): RouteResult {
  onlyParams(ctx, 'DescribeMediaQueues', QUEUE_PARAMS);
  const ids = listParam(ctx.request.query.queueIds, 'queueIds', MAX_QUEUE_IDS);
  const state = enumParam(ctx, 'state', ['Active', 'Paused'] as const);
  const category = enumParam(ctx, 'category', ['CateAll', 'Transcoding', 'SpeedTranscoding'] as const) ?? 'CateAll';
  const pageNumber = integerParam(ctx, 'pageNumber', 1, 1_000_000, 1);
  const pageSize = integerParam(ctx, 'pageSize', 1, 100, 10);

  let queues = ctx.store.listQueues();
  const missing: string[] = [];
  if (ids) {
    const byId = new Map(queues.map((q) => [q.QueueId, q]));
    queues = [];
    for (const id of new Set(ids)) {
      const queue = byId.get(id);
      if (queue) queues.push(queue);
      else missing.push(id);
    }
  }
  queues = queues.filter((q) => (state === undefined || q.State === state) && (category === 'CateAll' || q.Category === category));
  const output: DescribeMediaQueuesOutput = {
    RequestId: ctx.requestId,
    TotalCount: queues.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    QueueList: pageOf(queues, pageNumber, pageSize),
  };
  if (missing.length) output.NonExistPIDs = missing;
  return { body: encodeDocument(output, shapes.documents.DescribeMediaQueuesResponse) };
}

/**
 * UpdateMediaQueue: sets the queue's `Name` (required, not empty) and `State` (required), and its
 * `NotifyConfig` when given (replaced whole; `State` On with `Type` Url needs a `Url`). A body `QueueID` must
 * name the queue of the path. An unknown queue is a 400 `ResourceNotFound`. Pausing a queue holds its new jobs
 * `Submitted`; resuming it lets them progress (`'immediate'`: they finish at once).
 */
export function updateMediaQueue(ctx: RouteContext): RouteResult {
  onlyParams(ctx, 'UpdateMediaQueue', []);
  const queueId = ctx.params.queueId!;
  const request = readBody<Omit<UpdateMediaQueueInput, 'queueId'>>(
    ctx,
    shapes.documents.UpdateMediaQueueRequest,
    operationTable.UpdateMediaQueue.validateInput,
    {
      queueId,
    },
  );
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
  const queue = ctx.store.updateQueue(queueId, (q): MediaQueue => ({
    ...q,
    Name: request.Name,
    State: request.State,
    UpdateTime: formatCiTime(new Date(ctx.nowMs), CI_OFFSET_MINUTES),
    ...(notify ? { NotifyConfig: notify } : {}),
  }));
  if (existing.State === 'Paused' && queue.State === 'Active') ctx.jobs.queueResumed(queueId, ctx.nowMs);
  const output: UpdateMediaQueueOutput = { RequestId: ctx.requestId, Queue: queue };
  return { body: encodeDocument(output, shapes.documents.UpdateMediaQueueResponse) };
}

/** The queue routes. */
export const queueRoutes: readonly Route[] = [
  { operationId: 'DescribeMediaQueues', method: 'GET', path: '/queue', handler: describeMediaQueues },
  { operationId: 'UpdateMediaQueue', method: 'PUT', path: '/queue/{queueId}', handler: updateMediaQueue },
];
