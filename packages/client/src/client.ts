/**
 * CiMediaClient: the typed client of Tencent Cloud Infinite media jobs (animated images).
 * One method per spec operation (generated into `CiMediaOperations`), plus paginators.
 */
import {
  CiValidationError,
  Transport,
  paginate,
  type CallOptions,
  type TransportConfig,
  type WithMetadata,
} from '@cloud-infinite/runtime';
import { CiMediaOperations } from './generated/methods';
import {
  operationTable,
  type DescribeMediaJobsInput,
  type DescribeMediaJobsOutput,
  type OperationTypes,
} from './generated/operations';

/** Configuration of a {@link CiMediaClient}. */
export interface CiMediaClientConfig extends Omit<TransportConfig, 'endpoint'> {
  /** `BucketName-APPID`, e.g. `examplebucket-1250000000`. Required unless `endpoint` is given. */
  readonly bucket?: string;
  /** Region of the bucket, e.g. `ap-beijing`. Required unless `endpoint` is given. */
  readonly region?: string;
  /** Base URL; default `https://<bucket>.ci.<region>.myqcloud.com`. Use it for a proxy or the fake service. */
  readonly endpoint?: string;
}

/** One job of a DescribeMediaJobs page (`JobsDetail` item). */
export type MediaJob = DescribeMediaJobsOutput['JobsDetail'][number];

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
    const op = operationTable[operationId];
    if (!op) return Promise.reject(new CiValidationError(`Unknown operation ${String(operationId)}`));
    return this.#transport.invoke<OperationTypes[K]['output']>(op, input as Record<string, unknown>, options);
  }

  /**
   * Every page of a DescribeMediaJobs listing, following `NextToken` from `input.nextToken` (or the
   * start) until it is empty or absent; a repeated token stops with a `CiDecodeError`.
   */
  paginateMediaJobPages(
    input: DescribeMediaJobsInput,
    options?: CallOptions,
  ): AsyncGenerator<WithMetadata<DescribeMediaJobsOutput>, void, undefined> {
    return paginate(
      (nextToken) => this.describeMediaJobs({ ...input, nextToken }, options),
      (page) => page.NextToken,
      input.nextToken,
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

  /** Keeps credentials out of `util.inspect` and logs. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `CiMediaClient { endpoint: '${this.endpoint}' }`;
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint };
  }
}
