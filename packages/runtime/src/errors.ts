/**
 * Typed errors of the cloud-infinite SDK.
 *
 * Every error carries a stable `name` and a brand, so that `CiError.isInstance(e)` (and `instanceof`) work
 * even when two copies of this package are loaded. Secrets (SecretKey, signatures, session tokens) never
 * appear in a message or a property.
 */

const BRAND = Symbol.for('cloud-infinite.error');

/**
 * Gives `target` what `util.inspect` shows of it (Node's `nodejs.util.inspect.custom`), set on the instance in its
 * constructor: a class with a computed member (`[Symbol.for(…)]()`) is one a bundler must keep even unused, so the
 * clients and the transport declare none.
 */
export function defineInspect(target: object, render: () => string): void {
  Object.defineProperty(target, Symbol.for('nodejs.util.inspect.custom'), {
    value: render,
    enumerable: false,
    configurable: true,
    writable: true,
  });
}

/** Base class of every error this SDK throws. */
export class CiError extends Error {
  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
    // the brand survives duplicated package copies; not enumerable, so it stays out of logs and snapshots
    Object.defineProperty(this, BRAND, { value: name, enumerable: false });
  }

  /** True when `value` is a cloud-infinite error (of this class or a subclass), from any copy of the package. */
  static isInstance(value: unknown): value is CiError {
    return typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[BRAND] === 'string';
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === CiError) return CiError.isInstance(value);
    // subclasses: match on the brand name, so a copy from another package instance still matches
    return CiError.isInstance(value) && brandChain(value).includes((this as unknown as { errorName: string }).errorName);
  }
}

function brandChain(value: CiError): string[] {
  const names: string[] = [];
  let proto: object | null = Object.getPrototypeOf(value);
  while (proto && proto !== Error.prototype) {
    const ctor = (proto as { constructor?: { errorName?: string } }).constructor;
    if (ctor?.errorName) names.push(ctor.errorName);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}

/** What a service response looked like, kept on a {@link CiServiceError} (not enumerable, bounded). */
export interface CiResponseInfo {
  /** HTTP status code. */
  readonly statusCode: number;
  /** Response headers, lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The first {@link BODY_EXCERPT_CHARS} characters of the body. */
  readonly bodyExcerpt: string;
}

/** Length of the body excerpts kept on errors, in characters. */
export const BODY_EXCERPT_CHARS = 1024;

export function excerpt(text: string, max = BODY_EXCERPT_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/**
 * The service answered with a non-2xx status. `code`, `message`, `requestId` and `traceId` come from the
 * `<Error>` (or `<Response>`) body; when the body is not XML (a proxy's HTML, an empty body) `code` is
 * `HttpError<status>`-style (`Http502`) and `requestId` comes from the `x-ci-request-id` header.
 */
export class CiServiceError extends CiError {
  static readonly errorName = 'CiServiceError';
  /** Service error code, e.g. `InvalidArgument`, `AccessDenied`, `SignatureDoesNotMatch`. */
  readonly code: string;
  /** HTTP status code. */
  readonly statusCode: number;
  /** Request id (body `RequestId`, else the `x-ci-request-id` header). */
  readonly requestId: string | undefined;
  /** Trace id (body `TraceId`, else the `x-ci-trace-id` header). */
  readonly traceId: string | undefined;
  /** The raw response (status, headers, bounded body excerpt); not enumerable. */
  declare readonly $response: CiResponseInfo;

  constructor(init: {
    code: string;
    message: string;
    statusCode: number;
    requestId?: string | undefined;
    traceId?: string | undefined;
    response: CiResponseInfo;
  }) {
    // `message` is the service's own message, as smithy clients do; `toString()` adds the code
    super('CiServiceError', init.message || `HTTP ${init.statusCode}`);
    this.code = init.code;
    this.statusCode = init.statusCode;
    this.requestId = init.requestId;
    this.traceId = init.traceId;
    Object.defineProperty(this, '$response', { value: init.response, enumerable: false });
  }

  /** `CiServiceError: <code>: <message> (HTTP <status>, request id <id>)`. */
  override toString(): string {
    return `${this.name}: ${this.code}: ${this.message} (HTTP ${this.statusCode}${this.requestId ? `, request id ${this.requestId}` : ''})`;
  }
}

/** The request never got an HTTP response (DNS, refused or reset connection, TLS). `cause` holds the fetch error. */
export class CiNetworkError extends CiError {
  static readonly errorName = 'CiNetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('CiNetworkError', message, options);
  }
}

/** The call took longer than its `timeoutMs` (milliseconds). */
export class CiTimeoutError extends CiError {
  static readonly errorName = 'CiTimeoutError';
  /** The time-out that fired, in milliseconds. */
  readonly timeoutMs: number;
  constructor(timeoutMs: number, options?: { cause?: unknown; message?: string }) {
    super('CiTimeoutError', options?.message ?? `The request timed out after ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired. `cause` holds the signal's reason. */
export class CiAbortError extends CiError {
  static readonly errorName = 'CiAbortError';
  constructor(message = 'The request was aborted', options?: { cause?: unknown }) {
    super('CiAbortError', message, options);
  }
}

/**
 * A response body could not be decoded: not well-formed XML, the wrong root, or a value that does not fit
 * the spec (`path` names the element, e.g. `Response.JobsDetail[3].Operation`).
 */
export class CiDecodeError extends CiError {
  static readonly errorName = 'CiDecodeError';
  /** Element path of the offending value, when known. */
  readonly path: string | undefined;
  /** A bounded excerpt of the body or the value. */
  readonly excerpt: string | undefined;
  constructor(message: string, init: { path?: string; excerpt?: string; cause?: unknown } = {}) {
    super('CiDecodeError', init.path ? `${message} (at ${init.path})` : message, { cause: init.cause });
    this.path = init.path;
    this.excerpt = init.excerpt === undefined ? undefined : excerpt(init.excerpt, 200);
  }
}

/** One problem found by validation. */
export interface CiValidationIssue {
  /** JSON-pointer-like location, e.g. `/JobsDetail/0/State` or `/size`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Input refused before anything was sent (a parameter outside the spec's range, a missing required
 * member), or a response that does not match the spec when `validateResponses` is `strict`.
 */
export class CiValidationError extends CiError {
  static readonly errorName = 'CiValidationError';
  /** The headline without the issues, e.g. `Invalid DescribeMediaJobs input`. */
  readonly summary: string;
  readonly issues: readonly CiValidationIssue[];
  constructor(summary: string, issues: readonly CiValidationIssue[] = []) {
    super('CiValidationError', issues.length ? `${summary}: ${issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}` : summary);
    this.summary = summary;
    this.issues = issues;
  }
}

/** Credentials are missing, empty or could not be obtained; nothing was sent. */
export class CiCredentialsError extends CiError {
  static readonly errorName = 'CiCredentialsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('CiCredentialsError', message, options);
  }
}

/** A polled job ended in `Failed` or `Cancel` (see `waitForMediaJob`). Carries the job's `Code`/`Message`. */
export class CiJobFailedError extends CiError {
  static readonly errorName = 'CiJobFailedError';
  readonly jobId: string;
  readonly state: string;
  /** The job's Code (undefined when it only says Success, as a cancelled job does). */
  readonly code: string | undefined;
  /** The job's Message (undefined when it only says Success). */
  readonly jobMessage: string | undefined;
  constructor(init: { jobId: string; state: string; code?: string | undefined; message?: string | undefined }) {
    // a cancelled job often says Code=Success, Message=Success: not worth repeating
    const said = (v: string | undefined) => (v && v !== 'Success' ? v : undefined);
    const code = said(init.code);
    const message = said(init.message);
    super('CiJobFailedError', `Job ${init.jobId} ended in state ${init.state}${code ? `: ${code}` : ''}${message ? ` ${message}` : ''}`);
    this.jobId = init.jobId;
    this.state = init.state;
    this.code = code;
    this.jobMessage = message;
  }
}
