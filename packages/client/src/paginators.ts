/**
 * Listing and waiting, as functions of a client (a `CiClient` or a `CiMediaClient`): what `CiMediaClient`'s
 * `paginate…` and `waitForMediaJob` methods call, and what a `CiClient` user imports alone.
 */
import {
  CiAbortError,
  CiJobFailedError,
  CiTimeoutError,
  CiValidationError,
  paginate,
  paginateByNumber,
  type CallOptions,
  type WithMetadata,
} from '@cloud-infinite/runtime';
import type { OperationSender } from './core';
import {
  describeMediaJob,
  describeMediaJobs,
  describeMediaQueues,
  describeMediaTemplates,
  type DescribeMediaJobsInput,
  type DescribeMediaJobsOutput,
  type DescribeMediaQueuesInput,
  type DescribeMediaQueuesOutput,
  type DescribeMediaTemplatesInput,
  type DescribeMediaTemplatesOutput,
} from './generated/operations';
import type { MediaJob, MediaQueue, MediaTemplate } from './generated/types';

/** Options of {@link waitForMediaJob}. */
export interface WaitOptions {
  /** Stops waiting (a `CiAbortError`). */
  readonly signal?: AbortSignal;
  /** Longest wait, in seconds; then a `CiTimeoutError`. Default 600. */
  readonly maxWaitSeconds?: number;
  /** First delay between polls, in milliseconds. Default 1000. */
  readonly minDelayMs?: number;
  /** Longest delay between polls, in milliseconds. Default 15000. */
  readonly maxDelayMs?: number;
  /** Called after each poll with the job as it is. */
  readonly onPoll?: (job: MediaJob, attempt: number) => void;
}

const WAIT_DEFAULTS = { maxWaitSeconds: 600, minDelayMs: 1000, maxDelayMs: 15_000 } as const;

/**
 * Every page of a DescribeMediaJobs listing, following `NextToken` from `input.nextToken` (or the start) until it
 * is empty, only whitespace or absent. A repeated token, or more than `MAX_EMPTY_PAGES` (100) empty pages in a row
 * each with a new token, stops with a `CiDecodeError`.
 */
export function paginateMediaJobPages(
  client: OperationSender,
  input: DescribeMediaJobsInput,
  options?: CallOptions,
): AsyncGenerator<WithMetadata<DescribeMediaJobsOutput>, void, undefined> {
  return paginate(
    (nextToken) => client.send(describeMediaJobs, { ...input, nextToken }, options),
    (page) => page.NextToken,
    input.nextToken,
    { itemsOf: (page) => page.JobsDetail },
  );
}

/** Every job of a DescribeMediaJobs listing, page after page (see {@link paginateMediaJobPages}). */
export async function* paginateMediaJobs(
  client: OperationSender,
  input: DescribeMediaJobsInput,
  options?: CallOptions,
): AsyncGenerator<MediaJob, void, undefined> {
  for await (const page of paginateMediaJobPages(client, input, options)) yield* page.JobsDetail;
}

/**
 * Every page of a DescribeMediaTemplates listing, by pageNumber from `input.pageNumber` (default 1) until a short
 * page or `TotalCount` is reached.
 */
export function paginateMediaTemplatePages(
  client: OperationSender,
  input: DescribeMediaTemplatesInput = {},
  options?: CallOptions,
): AsyncGenerator<WithMetadata<DescribeMediaTemplatesOutput>, void, undefined> {
  return paginateByNumber(
    (pageNumber) => client.send(describeMediaTemplates, { ...input, pageNumber }, options),
    (page) => page.TemplateList,
    (page) => page.TotalCount,
    input.pageSize ?? 10,
    input.pageNumber ?? 1,
  );
}

/** Every template of a DescribeMediaTemplates listing (see {@link paginateMediaTemplatePages}). */
export async function* paginateMediaTemplates(
  client: OperationSender,
  input: DescribeMediaTemplatesInput = {},
  options?: CallOptions,
): AsyncGenerator<MediaTemplate, void, undefined> {
  for await (const page of paginateMediaTemplatePages(client, input, options)) yield* page.TemplateList;
}

/**
 * Every page of a DescribeMediaQueues listing, by pageNumber from `input.pageNumber` (default 1) until a short page
 * or `TotalCount` is reached.
 */
export function paginateMediaQueuePages(
  client: OperationSender,
  input: DescribeMediaQueuesInput = {},
  options?: CallOptions,
): AsyncGenerator<WithMetadata<DescribeMediaQueuesOutput>, void, undefined> {
  return paginateByNumber(
    (pageNumber) => client.send(describeMediaQueues, { ...input, pageNumber }, options),
    (page) => page.QueueList,
    (page) => page.TotalCount,
    input.pageSize ?? 10,
    input.pageNumber ?? 1,
  );
}

/** Every queue of a DescribeMediaQueues listing (see {@link paginateMediaQueuePages}). */
export async function* paginateMediaQueues(
  client: OperationSender,
  input: DescribeMediaQueuesInput = {},
  options?: CallOptions,
): AsyncGenerator<MediaQueue, void, undefined> {
  for await (const page of paginateMediaQueuePages(client, input, options)) yield* page.QueueList;
}

/**
 * Polls DescribeMediaJob until the job ends.
 *
 * Delays grow exponentially from `minDelayMs` (default 1000 ms) to `maxDelayMs` (default 15000 ms), each
 * drawn at random between `minDelayMs` and the current cap (jitter).
 * @returns the job once its State is `Success`.
 * @throws CiJobFailedError when it ends `Failed` or `Cancel` (with the job's Code and Message), or when
 *   the job does not exist (state `NonExistent`); CiTimeoutError when the job has not ended by
 *   `maxWaitSeconds` (default 600 s; a last poll is made at the deadline; the message names the last state);
 *   CiAbortError when `signal` fires; the errors of `describeMediaJob`.
 */
export async function waitForMediaJob(client: OperationSender, jobId: string, options: WaitOptions = {}): Promise<MediaJob> {
  const maxWaitMs = (options.maxWaitSeconds ?? WAIT_DEFAULTS.maxWaitSeconds) * 1000;
  const minDelay = options.minDelayMs ?? WAIT_DEFAULTS.minDelayMs;
  const maxDelay = options.maxDelayMs ?? Math.max(minDelay, WAIT_DEFAULTS.maxDelayMs);
  if (!jobId) throw new CiValidationError('waitForMediaJob needs a job id', [{ path: 'jobId', message: 'is empty' }]);
  if (!(maxWaitMs > 0) || !(minDelay >= 0)) {
    throw new CiValidationError('Invalid wait options', [{ path: 'maxWaitSeconds', message: 'must be > 0, delays >= 0' }]);
  }
  if (options.maxDelayMs !== undefined && options.maxDelayMs < minDelay) {
    throw new CiValidationError('Invalid wait options', [{ path: 'maxDelayMs', message: 'must be >= minDelayMs' }]);
  }
  const deadline = Date.now() + maxWaitMs;
  let lastState: string | undefined;
  const timedOut = () =>
    new CiTimeoutError(maxWaitMs, {
      message: `Job ${jobId} did not finish within ${maxWaitMs / 1000} s${lastState ? ` (last state ${lastState})` : ''}`,
    });
  const aborted = () => new CiAbortError(`Stopped waiting for job ${jobId}`, { cause: options.signal?.reason });
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw aborted();
    let page;
    try {
      // each poll keeps the client's own time-out; the deadline bounds the wait between polls
      page = await client.send(describeMediaJob, { jobIds: [jobId] }, options.signal ? { signal: options.signal } : undefined);
    } catch (err) {
      if (options.signal?.aborted) throw aborted();
      throw err;
    }
    const job = page.JobsDetail.find((j) => j.JobId === jobId);
    if (!job) throw new CiJobFailedError({ jobId, state: 'NonExistent', message: 'The job does not exist' });
    lastState = job.State;
    options.onPoll?.(job, attempt);
    if (job.State === 'Success') return job;
    if (job.State === 'Failed' || job.State === 'Cancel') {
      throw new CiJobFailedError({ jobId, state: job.State, code: job.Code, message: job.Message });
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timedOut();
    const cap = Math.min(maxDelay, minDelay * 2 ** (attempt - 1));
    // the last sleep ends at the deadline, and one more poll follows it
    const delay = Math.min(minDelay + Math.random() * (cap - minDelay), remaining);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, delay);
      options.signal?.addEventListener('abort', done, { once: true });
    });
  }
}
