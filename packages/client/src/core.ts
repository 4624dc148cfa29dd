/**
 * CiClient: the client that carries no operation of its own. It sends the generated operation constants it is
 * given (`client.send(describeMediaJobs, input)`), so a bundle holds only the operations, shapes and validators an
 * application imports. `CiMediaClient` (./client.ts) is the same client with a method per operation.
 */
import {
  CiValidationError,
  Transport,
  defineInspect,
  type CallOptions,
  type Operation,
  type TransportConfig,
  type WithMetadata,
} from '@cloud-infinite/runtime';

/** Configuration of a {@link CiClient} or a `CiMediaClient`. */
export interface CiMediaClientConfig extends Omit<TransportConfig, 'endpoint'> {
  /** `BucketName-APPID`, e.g. `examplebucket-1250000000`. Required unless `endpoint` is given. */
  readonly bucket?: string;
  /** Region of the bucket, e.g. `ap-beijing`. Required unless `endpoint` is given. */
  readonly region?: string;
  /** Base URL; default `https://<bucket>.ci.<region>.myqcloud.com`. Use it for a proxy or the fake service. */
  readonly endpoint?: string;
}

/** What sends an operation: a {@link CiClient} or a `CiMediaClient` (what the paginators and the waiter take). */
export interface OperationSender {
  send<I, O>(operation: Operation<I, O>, input: I, options?: CallOptions): Promise<WithMetadata<O>>;
}

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

/** Whether `value` looks like a generated operation constant (an object with an id, a method and a path). */
export function isOperation(value: unknown): value is Operation {
  if (typeof value !== 'object' || value === null) return false;
  const op = value as Partial<Operation>;
  return typeof op.id === 'string' && typeof op.method === 'string' && typeof op.path === 'string' && Array.isArray(op.params);
}

/**
 * The client without methods: one `send` for the operations you import. Configured as `CiMediaClient` is.
 *
 * ```ts
 * import { CiClient, describeMediaJobs } from '@cloud-infinite/client';
 * const ci = new CiClient({ bucket: 'examplebucket-1250000000', region: 'ap-beijing', credentials });
 * const page = await ci.send(describeMediaJobs, { queueId, tag: 'Animation', size: 100 });
 * ```
 *
 * The constructor throws `CiValidationError` on a bad bucket, region, endpoint or option and `CiCredentialsError`
 * on unusable static credentials.
 */
export class CiClient implements OperationSender {
  readonly #transport: Transport;

  constructor(config: CiMediaClientConfig) {
    if (typeof config !== 'object' || config === null)
      throw new CiValidationError('A client needs its configuration: { bucket, region } or { endpoint }');
    const endpoint = config.endpoint ?? ciEndpoint(config.bucket, config.region);
    this.#transport = new Transport({ ...config, endpoint });
    // keeps credentials out of `util.inspect` and logs
    defineInspect(this, () => `CiClient { endpoint: '${this.endpoint}' }`);
  }

  /** The base URL requests go to. */
  get endpoint(): string {
    return this.#transport.endpoint;
  }

  /** Server time minus local time in milliseconds, learned from clock-skew errors (0 until then). */
  get clockOffsetMs(): number {
    return this.#transport.clockOffsetMs;
  }

  /**
   * Sends one operation: a generated operation constant (`describeMediaJobs`, `createMediaJobs`, …) with its input.
   * @returns the decoded `<Response>` without its root, with `$metadata`.
   * @throws CiValidationError when `operation` is not an operation or the input does not match the spec (nothing
   *   is sent), and the errors of the call (CiServiceError, CiNetworkError, CiTimeoutError, CiAbortError,
   *   CiDecodeError).
   */
  send<I, O>(operation: Operation<I, O>, input: I, options?: CallOptions): Promise<WithMetadata<O>> {
    if (!isOperation(operation)) {
      return Promise.reject(
        new CiValidationError('Not an operation: pass one of the generated operation constants, e.g. describeMediaJobs', [
          { path: 'operation', message: 'must be an operation of @cloud-infinite/client' },
        ]),
      );
    }
    return this.#transport.invoke<O>(operation, input as Record<string, unknown>, options);
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint };
  }
}
