/**
 * CiMediaClient: the typed client of Tencent Cloud Infinite media jobs (animated images). One method per spec
 * operation (generated into `CiMediaOperations`), plus paginators and the job waiter. For a bundle that carries only
 * the operations it uses, see `CiClient` (./core.ts).
 */
import { CiValidationError, defineInspect, type CallOptions, type Operation, type WithMetadata } from '@cloud-infinite/runtime';
import { CiClient, isOperation, type CiMediaClientConfig, type OperationSender } from './core';
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
import * as listing from './paginators';
import type { WaitOptions } from './paginators';

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
 * endpoint and `CiCredentialsError` on unusable static credentials.
 */
export class CiMediaClient extends CiMediaOperations implements OperationSender {
  readonly #client: CiClient;

  constructor(config: CiMediaClientConfig) {
    super();
    this.#client = new CiClient(config);
    // keeps credentials out of `util.inspect` and logs
    defineInspect(this, () => `CiMediaClient { endpoint: '${this.endpoint}' }`);
  }

  /** The base URL requests go to. */
  get endpoint(): string {
    return this.#client.endpoint;
  }

  /** Server time minus local time in milliseconds, learned from clock-skew errors (0 until then). */
  get clockOffsetMs(): number {
    return this.#client.clockOffsetMs;
  }

  /**
   * Sends one operation, by its operationId (`'DescribeMediaJobs'`) or as a generated operation constant
   * (`describeMediaJobs`): what every method calls.
   * @throws CiValidationError for an id that is not an operation of the spec (`toString`, `__proto__`, …).
   */
  send<K extends keyof OperationTypes>(
    operationId: K,
    input: OperationTypes[K]['input'],
    options?: CallOptions,
  ): Promise<WithMetadata<OperationTypes[K]['output']>>;
  send<I, O>(operation: Operation<I, O>, input: I, options?: CallOptions): Promise<WithMetadata<O>>;
  send(operation: string | Operation, input: unknown, options?: CallOptions): Promise<unknown> {
    if (isOperation(operation)) return this.#client.send(operation, input, options);
    // an own property only: `toString`, `constructor` or `__proto__` are not operations
    const op =
      typeof operation === 'string' && Object.prototype.hasOwnProperty.call(operationTable, operation)
        ? (operationTable as Record<string, Operation>)[operation]
        : undefined;
    if (!op) {
      return Promise.reject(
        new CiValidationError(
          typeof operation === 'string'
            ? `Unknown operation ${JSON.stringify(operation.slice(0, 80))}`
            : `Unknown operation: an operation id is a string, not ${typeof operation}`,
          [{ path: 'operationId', message: `must be one of ${Object.keys(operationTable).join(', ')}` }],
        ),
      );
    }
    return this.#client.send(op, input, options);
  }

  /** {@link listing.paginateMediaJobPages}: every page of a DescribeMediaJobs listing, following `NextToken`. */
  paginateMediaJobPages(
    input: DescribeMediaJobsInput,
    options?: CallOptions,
  ): AsyncGenerator<WithMetadata<DescribeMediaJobsOutput>, void, undefined> {
    return listing.paginateMediaJobPages(this, input, options);
  }

  /**
   * Every job of a DescribeMediaJobs listing, page after page (see {@link paginateMediaJobPages}).
   * ```ts
   * for await (const job of ci.paginateMediaJobs({ queueId, tag: 'Animation', states: ['Success'] })) { … }
   * ```
   */
  paginateMediaJobs(input: DescribeMediaJobsInput, options?: CallOptions): AsyncGenerator<MediaJob, void, undefined> {
    return listing.paginateMediaJobs(this, input, options);
  }

  /** {@link listing.paginateMediaTemplatePages}: every page of a DescribeMediaTemplates listing, by pageNumber. */
  paginateMediaTemplatePages(
    input: DescribeMediaTemplatesInput = {},
    options?: CallOptions,
  ): AsyncGenerator<WithMetadata<DescribeMediaTemplatesOutput>, void, undefined> {
    return listing.paginateMediaTemplatePages(this, input, options);
  }

  /** Every template of a DescribeMediaTemplates listing (see {@link paginateMediaTemplatePages}). */
  paginateMediaTemplates(input: DescribeMediaTemplatesInput = {}, options?: CallOptions): AsyncGenerator<MediaTemplate, void, undefined> {
    return listing.paginateMediaTemplates(this, input, options);
  }

  /** {@link listing.paginateMediaQueuePages}: every page of a DescribeMediaQueues listing, by pageNumber. */
  paginateMediaQueuePages(
    input: DescribeMediaQueuesInput = {},
    options?: CallOptions,
  ): AsyncGenerator<WithMetadata<DescribeMediaQueuesOutput>, void, undefined> {
    return listing.paginateMediaQueuePages(this, input, options);
  }

  /** Every queue of a DescribeMediaQueues listing (see {@link paginateMediaQueuePages}). */
  paginateMediaQueues(input: DescribeMediaQueuesInput = {}, options?: CallOptions): AsyncGenerator<MediaQueue, void, undefined> {
    return listing.paginateMediaQueues(this, input, options);
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
  waitForMediaJob(jobId: string, options: WaitOptions = {}): Promise<MediaJob> {
    return listing.waitForMediaJob(this, jobId, options);
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint };
  }
}
