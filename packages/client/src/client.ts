/**
 * CiMediaClient: the typed client of Tencent Cloud Infinite media jobs (animated images).
 * One method per spec operation (generated into `CiMediaOperations`), plus paginators.
 */
import {
  CiAbortError,
  CiJobFailedError,
  CiTimeoutError,
  CiValidationError,
  Transport,
  paginate,
  paginateByNumber,
  type CallOptions,
  type TransportConfig,
  type WithMetadata,
} from '@cloud-infinite/runtime';
import { CiMediaOperations } from './generated/methods';
import {
  operationTable,
  type DescribeMediaJobsInput,
  type DescribeMediaJobsOutput,
  type DescribeMediaQueuesInput,
  type DescribeMediaQueuesOutput,
  type DescribeMediaTemplatesInput,
  type DescribeMediaTemplatesOutput,
  type OperationTypes,
} from './generated/operations';
import type { MediaJob, MediaQueue, MediaTemplate } from './generated/types';

/** Configuration of a {@link CiMediaClient}. */
export interface CiMediaClientConfig extends Omit<TransportConfig, 'endpoint'> {
  /** `BucketName-APPID`, e.g. `examplebucket-1250000000`. Required unless `endpoint` is given. */
  readonly bucket?: string;
  /** Region of the bucket, e.g. `ap-beijing`. Required unless `endpoint` is given. */
  readonly region?: string;
  /** Base URL; default `https://<bucket>.ci.<region>.myqcloud.com`. Use it for a proxy or the fake service. */
  readonly endpoint?: string;
}

/** Options of {@link CiMediaClient.waitForMediaJob}. */
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

const BUCKET = /^[a-z0-9][a-z0-9-]*-\d+$/;
const REGION = /^[a-z][a-z0-9-]*$/;

/** The CI endpoint of a bucket: `https://<bucket>.ci.<region>.myqcloud.com`. Throws {@link CiValidationError}. */
export function ciEndpoint(bucket: string | undefined, region: string | undefined): string {
  const issues = [];
  if (!bucket || !BUCKET.test(bucket)) issues.push({ path: 'bucket', message: 'must be BucketName-APPID, e.g. examplebucket-1250000000' });
  if (!region || !REGION.test(region)) issues.push({ path: 'region', message: 'must be a region such as ap-beijing' });
  if (issues.length) throw new CiValidationError('Invalid client configuration (or pass endpoint)', issues);
  return `https://${bucket}.ci.${region}.myqcloud.com`;
}

/**
 * The client. Every method takes one input object (parameters under their wire names, body members under
 * their XML element names) and an optional `{ signal, timeoutMs }`, and resolves with the decoded
 * `<Response>` (without its root) carrying a non-enumerable `$metadata`.
 *
 * ```ts
 * const ci = new CiMediaClient({ bucket: 'examplebucket-1250000000', region: 'ap-beijing',
 *   credentials: { secretId, secretKey } });
 * const page = await ci.describeMediaJobs({ queueId, tag: 'Animation', size: 100 });
 * ```
 *
 * Credentials default to the environment (`TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`,
 * `TENCENTCLOUD_SESSION_TOKEN`). The constructor throws `CiValidationError` on a bad bucket, region or
 * endpoint and `CiCredentialsError` on empty static credentials.
 */
export class CiMediaClient extends CiMediaOperations {
  readonly #transport: Transport;

  constructor(config: CiMediaClientConfig) {
    super();
    const endpoint = config.endpoint ?? ciEndpoint(config.bucket, config.region);
    this.#transport = new Transport({ ...config, endpoint });
  }

  /** The base URL requests go to. */
  get endpoint(): string {
    return this.#transport.endpoint;
  }

  /** Server time minus local time in milliseconds, learned from clock-skew errors (0 until then). */
  get clockOffsetMs(): number {
    return this.#transport.clockOffsetMs;
  }

  /** Sends one operation by its operationId (what every method calls). */
  send<K extends keyof OperationTypes>(
    operationId: K,
    input: OperationTypes[K]['input'],
    options?: CallOptions,
  ): Promise<WithMetadata<OperationTypes[K]['output']>> {
    // an own property only: `toString`, `constructor` or `__proto__` are not operations
    const op =
      typeof operationId === 'string' && Object.prototype.hasOwnProperty.call(operationTable, operationId)
        ? operationTable[operationId]
        : undefined;
    if (!op) {
      return Promise.reject(
        new CiValidationError(
          typeof operationId === 'string'
            ? `Unknown operation ${JSON.stringify(operationId.slice(0, 80))}`
            : `Unknown operation: an operation id is a string, not ${typeof operationId}`,
          [{ path: 'operationId', message: `must be one of ${Object.keys(operationTable).join(', ')}` }],
        ),
      );
    }
    return this.#transport.invoke<OperationTypes[K]['output']>(op, input as Record<string, unknown>, options);
  }

  /**
   * Every page of a DescribeMediaJobs listing, following `NextToken` from `input.nextToken` (or the
   * start) until it is empty, only whitespace or absent. A repeated token, or more than `MAX_EMPTY_PAGES`
   * (100) empty pages in a row each with a new token, stops with a `CiDecodeError`.
   */
  paginateMediaJobPages(
    input: DescribeMediaJobsInput,
    options?: CallOptions,
  ): AsyncGenerator<WithMetadata<DescribeMediaJobsOutput>, void, undefined> {
    return paginate(
      (nextToken) => this.describeMediaJobs({ ...input, nextToken }, options),
      (page) => page.NextToken,
      input.nextToken,
      { itemsOf: (page) => page.JobsDetail },
    );
  }

  /**
   * Every job of a DescribeMediaJobs listing, page after page (see {@link paginateMediaJobPages}).
   * ```ts
   * for await (const job of ci.paginateMediaJobs({ queueId, tag: 'Animation', states: ['Success'] })) { … }
   * ```
   */
  async *paginateMediaJobs(input: DescribeMediaJobsInput, options?: CallOptions): AsyncGenerator<MediaJob, void, undefined> {
    for await (const page of this.paginateMediaJobPages(input, options)) yield* page.JobsDetail;
  }

  /**
   * Every page of a DescribeMediaTemplates listing, by pageNumber from `input.pageNumber` (default 1) until a
   * short page or `TotalCount` is reached.
   */
  paginateMediaTemplatePages(
    input: DescribeMediaTemplatesInput = {},
    options?: CallOptions,
  ): AsyncGenerator<WithMetadata<DescribeMediaTemplatesOutput>, void, undefined> {
    return paginateByNumber(
      (pageNumber) => this.describeMediaTemplates({ ...input, pageNumber }, options),
      (page) => page.TemplateList,
      (page) => page.TotalCount,
      input.pageSize ?? 10,
      input.pageNumber ?? 1,
    );
  }

  /** Every template of a DescribeMediaTemplates listing (see {@link paginateMediaTemplatePages}). */
  async *paginateMediaTemplates(
    input: DescribeMediaTemplatesInput = {},
    options?: CallOptions,
  ): AsyncGenerator<MediaTemplate, void, undefined> {
    for await (const page of this.paginateMediaTemplatePages(input, options)) yield* page.TemplateList;
  }

  /**
   * Every page of a DescribeMediaQueues listing, by pageNumber from `input.pageNumber` (default 1) until a
   * short page or `TotalCount` is reached.
   */
  paginateMediaQueuePages(
    input: DescribeMediaQueuesInput = {},
    options?: CallOptions,
  ): AsyncGenerator<WithMetadata<DescribeMediaQueuesOutput>, void, undefined> {
    return paginateByNumber(
      (pageNumber) => this.describeMediaQueues({ ...input, pageNumber }, options),
      (page) => page.QueueList,
      (page) => page.TotalCount,
      input.pageSize ?? 10,
      input.pageNumber ?? 1,
    );
  }

  /** Every queue of a DescribeMediaQueues listing (see {@link paginateMediaQueuePages}). */
  async *paginateMediaQueues(input: DescribeMediaQueuesInput = {}, options?: CallOptions): AsyncGenerator<MediaQueue, void, undefined> {
    for await (const page of this.paginateMediaQueuePages(input, options)) yield* page.QueueList;
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
  async waitForMediaJob(jobId: string, options: WaitOptions = {}): Promise<MediaJob> {
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
        page = await this.describeMediaJob({ jobIds: [jobId] }, options.signal ? { signal: options.signal } : undefined);
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

  /** Keeps credentials out of `util.inspect` and logs. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `CiMediaClient { endpoint: '${this.endpoint}' }`;
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint };
  }
}
