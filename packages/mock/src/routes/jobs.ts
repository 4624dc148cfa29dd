/** Job operations. Now: DescribeMediaJobs (GET /jobs). */
import { CI_TIME_PATTERN, formatCiTime, parseCiTime } from '@cloud-infinite/runtime';
import { shapes, type DescribeMediaJobsOutput } from '@cloud-infinite/client';
import { invalidArgument } from '../errors';
import { decodeNextToken, encodeNextToken, filterFingerprint } from '../next-token';
import type { Route, RouteContext, RouteResult } from '../router';
import { JOB_STATES, type JobSortKey, type JobState, type SortOrder } from '../store';
import { encodeDocument } from '../xml';

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
      throw invalidArgument(`The parameter ${name} is not a parameter of DescribeMediaJobs; expected one of ${DESCRIBE_MEDIA_JOBS_PARAMS.join(', ')}.`);
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
        throw invalidArgument(`The parameter states must be a comma list of All, ${JOB_STATES.join(', ')}; got ${JSON.stringify(q.states.slice(0, 80))}.`);
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
      throw invalidArgument('The parameter nextToken belongs to a listing with other filters or another orderByTime; repeat the first request\'s parameters.');
    }
    after = cursor.after;
  }

  // the fake has no batch (inventory trigger) jobs: filtering on one matches nothing
  const page =
    q.inventoryTriggerJobId !== undefined ? { jobs: [], next: undefined } : ctx.store.listJobs({ ...filter, order, after, limit: size });
  const output: DescribeMediaJobsOutput = { JobsDetail: page.jobs };
  if (page.next) output.NextToken = encodeNextToken({ order, after: page.next, fingerprint });
  return { body: encodeDocument(output, shapes.documents.DescribeMediaJobsResponse) };
}

/** The job routes. */
export const jobRoutes: readonly Route[] = [{ operationId: 'DescribeMediaJobs', method: 'GET', path: '/jobs', handler: describeMediaJobs }];
