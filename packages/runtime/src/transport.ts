/**
 * The transport: builds the URL and body of an operation from its input, signs (`host` always, plus
 * content-type, content-md5 and `x-ci-*`), sends with `fetch`, retries what is safe to retry, corrects
 * clock skew, and decodes the XML response or turns it into a typed error.
 *
 * One call is a sequence of named steps: {@link prepareRequest} (input → URL, body), then per attempt
 * resolve credentials → sign → send → read the body → classify (decode and validate a 2xx, or build the
 * service error) → decide (skew re-send, retry, give up) → sleep. Every await is raced against the call's
 * {@link CallDeadline}; every error is built with the attempt's secrets redacted.
 */
import { md5Base64 } from '#crypto';
import { toCredentialProvider, type CredentialProvider, type Credentials, type CredentialsInput } from './credentials';
import { CallDeadline } from './deadline';
import {
  BODY_EXCERPT_CHARS,
  CiAbortError,
  CiDecodeError,
  CiError,
  CiNetworkError,
  CiServiceError,
  CiValidationError,
  type CiValidationIssue,
  defineInspect,
} from './errors';
import type { OperationSpec, ParamSpec, ValidateFunction } from './operation';
import { redactCause, secretRedactor, type Redactor } from './redact';
import { encodeRfc3986, explainAuthorization, DEFAULT_EXPIRES_SECONDS } from './signer';
import { formatCiTime } from './time';
import { ResponseChecker, VALIDATION_MODES, type Logger, type ValidationMode } from './validation';
import { decodeDocument, FallbackNotLoaded, loadXmlFallback, parseDocument, DEFAULT_MAX_DEPTH } from './xml/decode';
import { encodeXml } from './xml/encode';

/** Transport configuration (the client's config, resolved). */
export interface TransportConfig {
  /** Base URL, e.g. `https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com` or `http://127.0.0.1:9000`. */
  readonly endpoint: string;
  readonly credentials?: CredentialsInput;
  /** A fetch implementation; default: `globalThis.fetch`, looked up on each request (so mocks installed later apply). */
  readonly fetch?: typeof fetch;
  /** Budget of a whole call, retries and waits included, in milliseconds. Default 60000. */
  readonly timeoutMs?: number;
  /** Attempts per call, the first included. Default 3; 1 disables retries. */
  readonly maxAttempts?: number;
  /** Base of the exponential backoff, in milliseconds. Default 100. */
  readonly retryBaseDelayMs?: number;
  /** Cap of one backoff delay, in milliseconds. Default 20000. */
  readonly retryMaxDelayMs?: number;
  /**
   * What to do with a response the spec does not fully describe. Default `lenient`: an element the spec does not
   * know is kept and nothing is said; a missing required member or a number out of range is logged once per place.
   * `warn` also logs unknown elements; `strict` throws `CiValidationError` on any of them; `off` says nothing.
   */
  readonly validateResponses?: ValidationMode;
  /** Largest response body read, in bytes. Default 8 MiB. */
  readonly maxResponseBytes?: number;
  /** Validity of each signature, in seconds. Default 900. */
  readonly signatureExpiresSeconds?: number;
  /** Offset of the times given to formatted Date parameters, minutes east of UTC. Default 480 (+0800, China time). */
  readonly timeOffsetMinutes?: number;
  readonly logger?: Logger;
  /** Clock, milliseconds since the epoch (tests inject one). Default `Date.now`. */
  readonly now?: () => number;
  /** Random source in [0, 1) for backoff jitter. Default `Math.random`. */
  readonly random?: () => number;
  /** Extra request headers (e.g. a User-Agent); `x-ci-*` ones are signed. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call (a {@link CiAbortError}); an already-aborted signal sends nothing. */
  readonly signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  readonly timeoutMs?: number;
}

/** What every result carries, as a non-enumerable `$metadata`. */
export interface ResponseMetadata {
  /** `x-ci-request-id` of the last attempt. */
  readonly requestId: string | undefined;
  /** HTTP status of the last attempt. */
  readonly statusCode: number;
  /** Attempts made, the first included. */
  readonly attempts: number;
  /** Time spent waiting between attempts, in milliseconds. */
  readonly totalRetryDelayMs: number;
}

/** A decoded result with its `$metadata`. */
export type WithMetadata<T> = T & { readonly $metadata: ResponseMetadata };

const DEFAULTS = {
  timeoutMs: 60_000,
  maxAttempts: 3,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 20_000,
  maxResponseBytes: 8 * 1024 * 1024,
  timeOffsetMinutes: 480,
} as const;

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequests',
  'SlowDown',
  'InternalError',
  'ServiceUnavailable',
]);

/**
 * Largest clock correction taken from a clock-skew answer, in milliseconds: 7 days. Real clock errors are
 * drift (seconds to minutes), a wrong time zone (whole hours, at most ±14 h), a suspended or restored VM
 * (hours to days); a server `Date` further away than this from the local clock (2100, 1970) is not a clock
 * error we can fix but a broken or hostile answer, and is refused: the skew answer surfaces as its
 * `CiServiceError` and the client keeps its clock.
 */
export const MAX_CLOCK_OFFSET_MS = 7 * 24 * 3600_000;
/** Smallest disagreement between a skew answer's `Date` and the corrected clock that is corrected, in ms. */
const MIN_SKEW_MS = 30_000;
/** How far past the excerpt a body is redacted, so that a secret straddling the cut is still found. */
const REDACT_MARGIN_CHARS = 64 * 1024;
/** An HTTP date as RFC 9110 says servers send it (IMF-fixdate), e.g. `Tue, 01 Jan 2024 00:00:00 GMT`. */
const HTTP_DATE = /^(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF8_LENIENT = new TextDecoder('utf-8');
const identity: Redactor = (text) => text;
const noop = (): void => undefined;

/** A failed attempt: the typed error, and what the retry decision needs. */
interface Failure {
  readonly error: CiError;
  /** Whether another attempt may be made (the operation's idempotency and the failure allow it). */
  readonly retryable: boolean;
  /** The `Date` of a clock-skew answer (RequestTimeTooSkewed, AccessDenied "Request has expired"). */
  readonly skewDate?: string | undefined;
  /** `Retry-After`, in milliseconds. */
  readonly retryAfterMs?: number | undefined;
}

/** How one attempt ended: a decoded result, or a failure for the retry decision. */
type Outcome<T> =
  { readonly ok: true; readonly result: T; readonly response: Response } | { readonly ok: false; readonly failure: Failure };

/** A request ready for fetch, with the redactor of its secrets. */
interface SignedRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Removes this attempt's secrets (SecretKey, session token, signature) from text leaving the SDK. */
  readonly redact: Redactor;
}

/** A configured transport: signs and sends operations. One per client; it keeps the clock offset. */
export class Transport {
  readonly #config: TransportConfig;
  readonly #credentials: CredentialProvider;
  /** `host` of the endpoint (signed) and `host:port` (in network error messages). */
  readonly #host: string;
  readonly #hostPort: string;
  readonly #checker: ResponseChecker;
  /** Server time minus local time, learned from clock-skew answers, in milliseconds. */
  #clockOffsetMs = 0;

  /**
   * Checks the configuration. Throws {@link CiValidationError} on a bad endpoint, limit, mode, header or
   * hook, {@link CiCredentialsError} on unusable static credentials.
   */
  constructor(config: TransportConfig) {
    let url: URL;
    try {
      url = new URL(config.endpoint);
    } catch {
      throw new CiValidationError('Invalid endpoint', [{ path: 'endpoint', message: 'must be an absolute http(s) URL' }]);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new CiValidationError('Invalid endpoint', [{ path: 'endpoint', message: 'must be an http(s) URL' }]);
    }
    checkConfig(config);
    this.#config = { ...config, endpoint: url.href.replace(/\/+$/, '') };
    this.#host = url.host;
    this.#hostPort = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
    this.#credentials = toCredentialProvider(config.credentials);
    this.#checker = new ResponseChecker(config.validateResponses, config.logger ?? console);
    // keeps credentials and config out of `util.inspect` and logs
    defineInspect(this, () => `Transport { endpoint: '${this.#config.endpoint}' }`);
  }

  /** Server time minus local time in milliseconds, as learned from clock-skew errors (0 until then). */
  get clockOffsetMs(): number {
    return this.#clockOffsetMs;
  }

  /** The endpoint requests go to. */
  get endpoint(): string {
    return this.#config.endpoint;
  }

  /**
   * Sends one operation and returns its decoded response (an empty object when the operation has no body),
   * with `$metadata`. Every wait of the call (credentials, fetch, each body read, the retry sleep) is bounded
   * by `timeoutMs` and `signal`. Throws the typed errors of `./errors`: {@link CiValidationError} (input,
   * options), {@link CiCredentialsError}, {@link CiServiceError}, {@link CiNetworkError},
   * {@link CiDecodeError}, {@link CiTimeoutError}, {@link CiAbortError}; none carries a secret of the call.
   */
  async invoke<T = Record<string, unknown>>(
    op: OperationSpec,
    input: Readonly<Record<string, unknown>>,
    options: CallOptions = {},
  ): Promise<WithMetadata<T>> {
    checkCallOptions(options);
    if (options.signal?.aborted) throw new CiAbortError('The request was aborted before it was sent', { cause: options.signal.reason });
    const prepared = prepareRequest(op, input, this.#config.timeOffsetMinutes ?? DEFAULTS.timeOffsetMinutes);
    const deadline = new CallDeadline(options.timeoutMs ?? this.#config.timeoutMs ?? DEFAULTS.timeoutMs, options.signal);
    try {
      return await this.#run<T>(op, prepared, deadline);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * The attempts of one call, each signed anew. A skew answer re-learns the clock offset; when that moved
   * the clock, the request is re-sent at once (once per call, not counted as an attempt). Other failures
   * are retried while allowed, after a backoff.
   */
  async #run<T>(op: OperationSpec, prepared: PreparedRequest, deadline: CallDeadline): Promise<WithMetadata<T>> {
    const maxAttempts = this.#config.maxAttempts ?? DEFAULTS.maxAttempts;
    let attempts = 0;
    let totalRetryDelayMs = 0;
    let skewResent = false;
    for (;;) {
      attempts++;
      const outcome = await this.#attempt<T>(op, prepared, deadline);
      if (outcome.ok) {
        const $metadata: ResponseMetadata = {
          requestId: outcome.response.headers.get('x-ci-request-id') ?? undefined,
          statusCode: outcome.response.status,
          attempts,
          totalRetryDelayMs,
        };
        Object.defineProperty(outcome.result, '$metadata', { value: $metadata, enumerable: false });
        return outcome.result as WithMetadata<T>;
      }
      const { failure } = outcome;
      // every skew answer is learned from, even after this call's one re-send
      if (failure.skewDate !== undefined && this.#learnClockOffset(failure.skewDate) && !skewResent) {
        skewResent = true;
        attempts--; // a skew correction is not a retry
        continue;
      }
      if (attempts >= maxAttempts || !failure.retryable) throw failure.error;
      const delay = this.#retryDelay(attempts, failure.retryAfterMs);
      await deadline.sleep(delay);
      totalRetryDelayMs += delay;
    }
  }

  /**
   * One attempt: credentials, signature, fetch, body, classification. Resolves with the result or a
   * failure to decide on; rejects with what ends the call at once (credentials, the deadline, a body that
   * does not decode).
   */
  async #attempt<T>(op: OperationSpec, prepared: PreparedRequest, deadline: CallDeadline): Promise<Outcome<T>> {
    const credentials = await deadline.race(this.#credentials());
    const request = this.#sign(op, prepared, credentials);
    const sent = await this.#send(op, prepared, request, deadline);
    if ('failure' in sent) return { ok: false, failure: sent.failure };
    let bytes: Uint8Array;
    try {
      bytes = await readBody(sent.response, this.#config.maxResponseBytes ?? DEFAULTS.maxResponseBytes, deadline, request.redact);
    } catch (err) {
      if (err instanceof CiNetworkError) return { ok: false, failure: { error: err, retryable: op.idempotent } };
      throw err;
    }
    try {
      return this.#classify<T>(op, sent.response, bytes, request.redact);
    } catch (err) {
      // a browser or a worker loads the XML fallback reader on first need (never on Node: it is always there)
      if (!(err instanceof FallbackNotLoaded)) throw err;
      await deadline.race(loadXmlFallback());
      return this.#classify<T>(op, sent.response, bytes, request.redact);
    }
  }

  /** The headers of an attempt (the session token, the Authorization signed at the corrected clock) and its redactor. */
  #sign(op: OperationSpec, prepared: PreparedRequest, credentials: Credentials): SignedRequest {
    const cfg = this.#config;
    const headers: Record<string, string> = { ...cfg.headers, ...prepared.headers };
    if (credentials.sessionToken) headers['x-ci-security-token'] = credentials.sessionToken;
    const signed: Record<string, string> = { host: this.#host };
    for (const [k, v] of Object.entries(headers)) {
      const lower = k.toLowerCase();
      if (lower === 'content-type' || lower === 'content-md5' || lower.startsWith('x-ci-') || lower.startsWith('x-cos-')) {
        signed[lower] = v;
      }
    }
    const auth = explainAuthorization({
      secretId: credentials.secretId,
      secretKey: credentials.secretKey,
      method: op.method,
      pathname: prepared.pathname,
      query: prepared.signedQuery,
      headers: signed,
      startTime: this.#signingStartSeconds(),
      expiresSeconds: cfg.signatureExpiresSeconds ?? DEFAULT_EXPIRES_SECONDS,
    });
    headers.Authorization = auth.authorization;
    const redact = secretRedactor({
      secretKey: credentials.secretKey,
      sessionToken: credentials.sessionToken,
      signatures: [auth.signature],
    });
    return { url: cfg.endpoint + prepared.urlPath, headers, redact };
  }

  /**
   * The start of a signature's KeyTime, in Unix seconds: the corrected clock minus 1 s. Never negative or
   * NaN: a learned offset that would put it before the epoch is dropped. Throws {@link CiValidationError}
   * when the clock (`now`) itself gives no usable time.
   */
  #signingStartSeconds(): number {
    const local = this.#now();
    if (!Number.isFinite(local) || local < 0) {
      throw new CiValidationError('The clock gave no usable time', [
        { path: 'now', message: 'must return milliseconds since the epoch (a finite number >= 0)' },
      ]);
    }
    let corrected = local + this.#clockOffsetMs;
    if (!(corrected >= 0)) {
      this.#clockOffsetMs = 0;
      corrected = local;
    }
    return Math.max(0, Math.floor(corrected / 1000) - 1);
  }

  /**
   * Learns the clock offset from a skew answer's `Date`, compared with the clock as already corrected.
   * Returns whether the clock moved (then re-signing can help). Refuses a missing or malformed `Date`, one
   * more than {@link MAX_CLOCK_OFFSET_MS} (7 days) from the local clock, and one that agrees with the
   * corrected clock within 30 s (the skew is not ours to fix). An offset under 30 s is taken as 0: the
   * local clock was fixed (NTP).
   */
  #learnClockOffset(date: string): boolean {
    const trimmed = date.trim();
    if (!HTTP_DATE.test(trimmed)) return false;
    const serverMs = Date.parse(trimmed);
    const localMs = this.#now();
    if (!Number.isFinite(serverMs) || !Number.isFinite(localMs)) return false;
    const offset = serverMs - localMs;
    if (Math.abs(offset) > MAX_CLOCK_OFFSET_MS) return false;
    if (Math.abs(offset - this.#clockOffsetMs) < MIN_SKEW_MS) return false;
    this.#clockOffsetMs = Math.abs(offset) < MIN_SKEW_MS ? 0 : offset;
    return true;
  }

  #now(): number {
    return (this.#config.now ?? Date.now)();
  }

  /**
   * Sends the request with fetch, raced against the deadline (a fetch that ignores its signal is abandoned,
   * and a response it gives later is released). A fetch error is a failure (a {@link CiNetworkError} saying
   * what failed, in our words, its cause kept and redacted); the deadline rejects.
   */
  async #send(
    op: OperationSpec,
    prepared: PreparedRequest,
    request: SignedRequest,
    deadline: CallDeadline,
  ): Promise<{ readonly response: Response } | { readonly failure: Failure }> {
    deadline.throwIfFired();
    const fetchImpl = this.#config.fetch ?? globalThis.fetch;
    let pending: Promise<unknown>;
    try {
      pending = Promise.resolve(
        fetchImpl(request.url, {
          method: op.method,
          headers: request.headers,
          body: prepared.body,
          signal: deadline.signal,
          redirect: 'manual',
        }),
      );
    } catch (cause) {
      pending = Promise.reject(cause);
    }
    let response: unknown;
    try {
      response = await deadline.race(pending, () => void pending.then(releaseResponse, noop));
    } catch (cause) {
      if (CiError.isInstance(cause) && deadline.fired) throw cause;
      if (deadline.fired) throw deadline.error(redactCause(cause, request.redact));
      const network = networkError(op.method, prepared.pathname, this.#hostPort, cause, request.redact);
      return { failure: { error: network.error, retryable: !network.permanent && (op.idempotent || network.notSent) } };
    }
    if (!isResponse(response)) {
      return { failure: { error: new CiNetworkError('fetch resolved with something that is not a Response'), retryable: false } };
    }
    return { response };
  }

  /**
   * A response as a result or a failure. A 2xx is decoded (invalid UTF-8 is a {@link CiDecodeError}),
   * unless its body is an `<Error>` document: that is a {@link CiServiceError} with the 2xx status. Any
   * other status is a {@link CiServiceError}, whatever its body.
   */
  #classify<T>(op: OperationSpec, response: Response, bytes: Uint8Array, redact: Redactor): Outcome<T> {
    const status = response.status;
    let text: string;
    let utf8 = true;
    try {
      text = UTF8.decode(bytes);
    } catch {
      if (status >= 200 && status < 300) throw new CiDecodeError('The response body is not valid UTF-8');
      text = UTF8_LENIENT.decode(bytes);
      utf8 = false;
    }
    if (status >= 200 && status < 300) {
      if (rootElementName(text) === 'Error') {
        const answer = readErrorAnswer(response, text);
        if (answer.fromBody) return { ok: false, failure: this.#serviceFailure(op, answer, text, utf8, redact) };
      }
      let result: T;
      try {
        result = this.#decode<T>(op, text);
      } catch (err) {
        // an excerpt cut by the decoder may hold the start of a secret the redactor cannot recognise
        throw redactErrorInPlace(err, redact, redact(text) !== text);
      }
      return { ok: true, result, response };
    }
    return { ok: false, failure: this.#serviceFailure(op, readErrorAnswer(response, text), text, utf8, redact) };
  }

  /** The failure of a service answer: classified on the raw answer, reported redacted. */
  #serviceFailure(op: OperationSpec, answer: ErrorAnswer, text: string, utf8: boolean, redact: Redactor): Failure {
    const skew = answer.code === 'RequestTimeTooSkewed' || (answer.code === 'AccessDenied' && /request has expired/i.test(answer.message));
    return {
      error: toServiceError(answer, text, redact, utf8),
      retryable: op.idempotent && (RETRYABLE_STATUS.has(answer.statusCode) || RETRYABLE_CODES.has(answer.code)),
      skewDate: skew ? (answer.headers.date ?? '') : undefined,
      retryAfterMs: parseRetryAfter(answer.headers['retry-after'], this.#now()),
    };
  }

  /** Full-jitter exponential backoff, in milliseconds, raised to `Retry-After` and capped by `retryMaxDelayMs`. */
  #retryDelay(attempts: number, retryAfterMs: number | undefined): number {
    const cfg = this.#config;
    const cap = cfg.retryMaxDelayMs ?? DEFAULTS.retryMaxDelayMs;
    const base = cfg.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs;
    const r = (cfg.random ?? Math.random)();
    let delay = Math.floor((r >= 0 && r < 1 ? r : 0.5) * Math.min(cap, base * 2 ** (attempts - 1)));
    if (retryAfterMs !== undefined) delay = Math.min(Math.max(delay, retryAfterMs), cap);
    return delay;
  }

  // ---- decode and validate: one step, apart from the transport's own logic ----------------------------

  #decode<T>(op: OperationSpec, text: string): T {
    if (!op.response) return {} as T;
    const decoded = decodeDocument(text, op.response, { maxChars: this.#config.maxResponseBytes ?? DEFAULTS.maxResponseBytes });
    this.#checker.check(op.id, decoded);
    return decoded.value as T;
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.#config.endpoint };
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers the transport sets: another value, or the same name in another case, would break the signature. */
const RESERVED_HEADERS = new Set(['authorization', 'host', 'content-length', 'content-md5', 'content-type', 'x-ci-security-token']);

/** Refuses a configuration fetch could not send as signed, or hooks that are not functions. Throws {@link CiValidationError}. */
function checkConfig(config: TransportConfig): void {
  const issues: CiValidationIssue[] = [];
  // [key, smallest value, what the message says]
  const limits = [
    ['timeoutMs', 1, 'must be a number of milliseconds >= 1'],
    ['maxAttempts', 1, 'must be a whole number >= 1 (1: no retries)'],
    ['retryBaseDelayMs', 0, 'must be a number of milliseconds >= 0'],
    ['retryMaxDelayMs', 0, 'must be a number of milliseconds >= 0'],
    ['maxResponseBytes', 1, 'must be a number of bytes >= 1'],
    ['signatureExpiresSeconds', 1, 'must be a whole number of seconds >= 1'],
  ] as const;
  for (const [key, min, message] of limits) {
    const v = config[key];
    const whole = key === 'maxAttempts' || key === 'signatureExpiresSeconds';
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < min || (whole && !Number.isInteger(v)))) {
      issues.push({ path: key, message });
    }
  }
  if (config.validateResponses !== undefined && !VALIDATION_MODES.includes(config.validateResponses)) {
    issues.push({ path: 'validateResponses', message: `must be one of ${VALIDATION_MODES.map((m) => `'${m}'`).join(', ')}` });
  }
  for (const key of ['fetch', 'now', 'random'] as const) {
    if (config[key] !== undefined && typeof config[key] !== 'function') issues.push({ path: key, message: 'must be a function' });
  }
  if (config.logger !== undefined && typeof config.logger?.warn !== 'function') {
    issues.push({ path: 'logger', message: 'must have a warn(message) method' });
  }
  if (config.headers !== undefined) {
    if (typeof config.headers !== 'object' || config.headers === null) issues.push({ path: 'headers', message: 'must be an object' });
    else {
      for (const [name, value] of Object.entries(config.headers)) {
        const path = `headers.${HEADER_NAME.test(name) ? name : JSON.stringify(name)}`;
        if (!HEADER_NAME.test(name)) issues.push({ path, message: 'is not a valid header name' });
        else if (RESERVED_HEADERS.has(name.toLowerCase()))
          issues.push({ path, message: 'is set by the transport (it is signed or computed)' });
        // fetch trims values and sends them as bytes; the signature signs them as given, in UTF-8
        else if (typeof value !== 'string' || /[^\x20-\x7e]/.test(value) || value.trim() !== value) {
          issues.push({ path, message: 'must be printable ASCII without leading or trailing whitespace' });
        }
      }
    }
  }
  if (issues.length) throw new CiValidationError('Invalid client configuration', issues);
}

/** Refuses call options of the wrong type with a {@link CiValidationError} (nothing is sent). */
function checkCallOptions(options: CallOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new CiValidationError('Invalid call options: expected { signal?, timeoutMs? }');
  const issues: CiValidationIssue[] = [];
  const { signal, timeoutMs } = options;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 1)) {
    issues.push({ path: 'timeoutMs', message: 'must be a number of milliseconds >= 1' });
  }
  if (
    signal !== undefined &&
    !(typeof signal === 'object' && signal !== null && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')
  ) {
    issues.push({ path: 'signal', message: 'must be an AbortSignal' });
  }
  if (issues.length) throw new CiValidationError('Invalid call options', issues);
}

/**
 * ajv errors as validation issues. The generated validators carry no message strings (smaller code); the
 * message is written here from the keyword and its params.
 */
export function toIssues(validate: ValidateFunction): CiValidationIssue[] {
  return (validate.errors ?? []).map((e) => ({ path: e.instancePath, message: e.message ?? describeKeyword(e.keyword, e.params) }));
}

function describeKeyword(keyword: string | undefined, params: unknown): string {
  const p = (params ?? {}) as Record<string, unknown>;
  switch (keyword) {
    case 'required':
      return `must have required property '${String(p.missingProperty)}'`;
    case 'additionalProperties':
      return `must NOT have additional properties (${String(p.additionalProperty)})`;
    case 'enum':
      return `must be equal to one of the allowed values: ${JSON.stringify(p.allowedValues)}`;
    case 'type':
      return `must be ${String(p.type)}`;
    case 'pattern':
      return `must match pattern "${String(p.pattern)}"`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${String(p.limit)}`;
    case 'minLength':
      return `must NOT have fewer than ${String(p.limit)} characters`;
    case 'maxLength':
      return `must NOT have more than ${String(p.limit)} characters`;
    case 'minItems':
      return `must NOT have fewer than ${String(p.limit)} items`;
    case 'maxItems':
      return `must NOT have more than ${String(p.limit)} items`;
    case 'anyOf':
      return 'must match a schema in anyOf';
    default:
      return `must pass "${String(keyword)}"`;
  }
}

interface PreparedRequest {
  /** Encoded path and query, appended to the endpoint. */
  readonly urlPath: string;
  /** Decoded path, as signed. */
  readonly pathname: string;
  /** Decoded query values, as signed (`''` for flags). */
  readonly signedQuery: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/**
 * Turns an operation input into the request: path parameters substituted (encoded on the URL, decoded in
 * the signature), query parameters in spec order under their wire names, the XML body with its
 * Content-Type and Content-MD5. Validates the input first. Throws {@link CiValidationError}.
 */
export function prepareRequest(op: OperationSpec, input: Readonly<Record<string, unknown>>, offsetMinutes = 480): PreparedRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CiValidationError(`${op.id}: input must be an object`);
  }
  const params = new Map<string, ParamSpec>(op.params.map((p) => [p.name, p]));
  const wire: Record<string, unknown> = {};
  const bodyValue: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value === undefined) continue;
    const p = params.get(key);
    if (p?.kind === 'time') wire[key] = formatCiTime(value as Date | string, offsetMinutes, key);
    else if (p?.kind === 'csv' && typeof value === 'string') wire[key] = value.split(',');
    else wire[key] = value;
    if (!p) bodyValue[key] = value;
  }
  const pathIssues = dotSegmentIssues(op, wire);
  if (op.validateInput && !op.validateInput(wire)) {
    throw new CiValidationError(`Invalid ${op.id} input`, [...pathIssues, ...toIssues(op.validateInput)]);
  }
  if (pathIssues.length) throw new CiValidationError(`Invalid ${op.id} input`, pathIssues);
  let pathname = op.path;
  let urlPath = op.path;
  const signedQuery: Record<string, string> = {};
  const queryParts: string[] = [];
  for (const p of op.params) {
    const value = wire[p.name];
    if (value === undefined) {
      if (p.required) throw new CiValidationError(`Invalid ${op.id} input`, [{ path: `/${p.name}`, message: 'is required' }]);
      continue;
    }
    if (p.kind === 'csv' && (value as unknown[]).some((v) => String(v).includes(','))) {
      // the list goes out comma-joined: an item holding a comma would silently become two
      throw new CiValidationError(`Invalid ${op.id} input`, [{ path: `/${p.name}`, message: 'items must not contain a comma' }]);
    }
    const text = p.kind === 'csv' ? (value as unknown[]).map(String).join(',') : String(value);
    const encode = (v: string): string => {
      try {
        return encodeRfc3986(v);
      } catch (err) {
        if (!(err instanceof CiValidationError)) throw err;
        throw new CiValidationError(`Invalid ${op.id} input`, [
          { path: `/${p.name}`, message: 'holds a lone UTF-16 surrogate (not well-formed Unicode)' },
        ]);
      }
    };
    if (p.in === 'path') {
      if (text === '') throw new CiValidationError(`Invalid ${op.id} input`, [{ path: `/${p.name}`, message: 'must not be empty' }]);
      // a list in a path keeps its commas literal, as the API pages show (`/jobs/a,b`); each item is encoded
      const encoded = p.kind === 'csv' ? (value as unknown[]).map((v) => encode(String(v))).join(',') : encode(text);
      // a replacer function: a string replacement would expand `$$`, `$&`, `$'` in the value
      pathname = pathname.replace(`{${p.name}}`, () => text);
      urlPath = urlPath.replace(`{${p.name}}`, () => encoded);
    } else {
      signedQuery[p.name] = text;
      queryParts.push(`${encodeRfc3986(p.name)}=${encode(text)}`);
    }
  }
  for (const flag of op.flags ?? []) {
    signedQuery[flag] = '';
    queryParts.push(encodeRfc3986(flag));
  }
  if (queryParts.length) urlPath += `?${queryParts.join('&')}`;
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (op.body) {
    body = encodeXml(bodyValue, op.body);
    headers['Content-Type'] = 'application/xml';
    headers['Content-MD5'] = md5Base64(body);
  }
  return { urlPath, pathname, signedQuery, headers, body };
}

/**
 * A path id that is a dot segment: `.` or `..`, or one written with `%2e` (any case). The URL parser of
 * fetch removes such a segment with the one before it (`/template/..` is sent as `/`), and a proxy or
 * server that decodes the path once before normalising it reads `%2e` the same way; encoding cannot
 * protect it, so it is refused.
 */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/** The path parameters (or items of a list in the path) that are dot segments, as validation issues. */
function dotSegmentIssues(op: OperationSpec, wire: Readonly<Record<string, unknown>>): CiValidationIssue[] {
  const issues: CiValidationIssue[] = [];
  for (const p of op.params) {
    if (p.in !== 'path') continue;
    const value = wire[p.name];
    const items = Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];
    if (items.some((v) => DOT_SEGMENT.test(String(v)))) {
      issues.push({ path: `/${p.name}`, message: "must not be '.' or '..' (or '%2e' forms of them): the URL path would be rewritten" });
    }
  }
  return issues;
}

/**
 * Reads a body to its end, each read raced against the deadline (a stalled stream is cancelled when the
 * deadline fires). Throws {@link CiDecodeError} past `maxBytes` (bytes) or on a chunk that is not bytes,
 * {@link CiNetworkError} when the stream fails, the deadline's error when it fires.
 */
async function readBody(response: Response, maxBytes: number, deadline: CallDeadline, redact: Redactor): Promise<Uint8Array> {
  const body = response.body;
  if (!body) return new Uint8Array(0);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    cancelQuietly(() => body.cancel());
    throw new CiDecodeError(`The response body (${declared} bytes) is larger than maxResponseBytes (${maxBytes})`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const reader = body.getReader();
    const cancel = (): void => cancelQuietly(() => reader.cancel());
    for (;;) {
      const { done, value } = await deadline.race(reader.read(), cancel);
      if (done) break;
      // a test double may enqueue strings; chunks from another realm (jest's vm) fail `instanceof`
      if (!ArrayBuffer.isView(value)) {
        cancel();
        throw new CiDecodeError('The response body stream gave a chunk that is not bytes');
      }
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      size += bytes.byteLength;
      if (size > maxBytes) {
        cancel();
        throw new CiDecodeError(`The response body is larger than maxResponseBytes (${maxBytes})`);
      }
      chunks.push(bytes);
    }
  } catch (cause) {
    if (CiError.isInstance(cause)) throw cause;
    if (deadline.fired) throw deadline.error(redactCause(cause, redact));
    throw new CiNetworkError(`Reading the response body failed: ${redact(describe(cause))}`, { cause: redactCause(cause, redact) });
  }
  return concat(chunks, size);
}

/** Runs a cancel (of a stream or reader) without waiting for it and without letting it throw. */
function cancelQuietly(cancel: () => Promise<unknown>): void {
  try {
    cancel().catch(noop);
  } catch {
    // a locked or already-closed stream: nothing to release
  }
}

/** Releases the body of a response that arrived after its call gave up on it. */
function releaseResponse(response: unknown): void {
  if (isResponse(response) && response.body) cancelQuietly(() => response.body!.cancel());
}

/** Whether fetch gave something usable as a Response (any realm: status, headers.get). */
function isResponse(value: unknown): value is Response {
  const r = value as Response | null | undefined;
  return typeof r === 'object' && r !== null && typeof r.status === 'number' && typeof r.headers?.get === 'function';
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/**
 * The name of a document's root element, looking past a BOM, whitespace, the XML declaration, processing
 * instructions and comments; undefined when the text does not start like XML. Linear, and reads no
 * further than the root's start tag.
 */
function rootElementName(text: string): string | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < text.length && text.charCodeAt(i) <= 32) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return undefined;
      i = end + 3;
    } else break;
  }
  if (text.charCodeAt(i) !== 60 /* < */) return undefined;
  return /^[A-Za-z_][\w.:-]*/.exec(text.slice(i + 1, i + 129))?.[0];
}

/** The raw fields of an error answer, before redaction. */
interface ErrorAnswer {
  readonly statusCode: number;
  readonly statusText: string;
  readonly code: string;
  readonly message: string;
  readonly requestId: string | undefined;
  readonly traceId: string | undefined;
  /** Response headers, lower-cased names. */
  readonly headers: Record<string, string>;
  /** Whether the body was an `<Error>` (or `<Response>`) document the fields came from. */
  readonly fromBody: boolean;
}

/** Reads an error answer: the `<Error>` (or `<Response>`) body's Code, Message, RequestId and TraceId, else the status and headers. */
function readErrorAnswer(response: Response, text: string): ErrorAnswer {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  let fields: Record<string, unknown> = {};
  let fromBody = false;
  try {
    const root = parseDocument(text, { maxDepth: DEFAULT_MAX_DEPTH });
    if ((root.name === 'Error' || root.name === 'Response') && typeof root.value === 'object' && root.value !== null) {
      fields = root.value as Record<string, unknown>;
      fromBody = true;
    }
  } catch {
    // not XML: a proxy's HTML page, JSON, an empty body — the status and headers still tell
  }
  const field = (name: string): string | undefined => {
    const v = fields[name];
    const first = Array.isArray(v) ? v[0] : v;
    return typeof first === 'string' && first !== '' ? first : undefined;
  };
  return {
    statusCode: response.status,
    statusText: typeof response.statusText === 'string' ? response.statusText : '',
    code: field('Code') ?? `Http${response.status}`,
    message: field('Message') ?? (response.statusText || `HTTP ${response.status}`),
    requestId: field('RequestId') ?? headers['x-ci-request-id'],
    traceId: field('TraceId') ?? headers['x-ci-trace-id'],
    headers,
    fromBody,
  };
}

/**
 * The {@link CiServiceError} of an answer, every text redacted (message, code, ids, header values, the body
 * excerpt, hence the stack and `util.inspect` too). When the body was not valid UTF-8 (`utf8` false) the
 * message says so: the excerpt then shows the undecodable bytes as U+FFFD.
 */
function toServiceError(answer: ErrorAnswer, text: string, redact: Redactor, utf8 = true): CiServiceError {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(answer.headers)) headers[redact(k)] = redact(v);
  const optional = (v: string | undefined) => (v === undefined ? undefined : redact(v));
  const note = utf8 ? '' : ' (the response body is not valid UTF-8; undecodable bytes show as U+FFFD)';
  return new CiServiceError({
    code: redact(answer.code),
    message: redact(answer.message) + note,
    statusCode: answer.statusCode,
    requestId: optional(answer.requestId),
    traceId: optional(answer.traceId),
    response: { statusCode: answer.statusCode, headers, bodyExcerpt: redactedExcerpt(text, redact) },
  });
}

/** The body excerpt of an error, redacted past the cut (so a secret straddling it is found), then cut. */
function redactedExcerpt(text: string, redact: Redactor): string {
  if (text.length <= BODY_EXCERPT_CHARS) return redact(text);
  const shown = redact(text.slice(0, BODY_EXCERPT_CHARS + REDACT_MARGIN_CHARS)).slice(0, BODY_EXCERPT_CHARS);
  return `${shown}… (${text.length - BODY_EXCERPT_CHARS} more characters)`;
}

/**
 * Builds the {@link CiServiceError} of a non-2xx response, whatever its body; `redact` removes the call's
 * secrets from every text of it (default: none to remove).
 */
export function serviceError(response: Response, text: string, redact: Redactor = identity): CiServiceError {
  return toServiceError(readErrorAnswer(response, text), text, redact);
}

/**
 * Redacts the message, stack, excerpt and cause of a cloud-infinite error in place; returns it. With
 * `withholdExcerpt` (the text it came from holds a secret) an excerpt is replaced by a note.
 */
function redactErrorInPlace(err: unknown, redact: Redactor, withholdExcerpt = false): unknown {
  if (!CiError.isInstance(err)) return err;
  const record = err as unknown as Record<string, unknown>;
  if (withholdExcerpt && typeof record.excerpt === 'string') {
    Object.defineProperty(err, 'excerpt', {
      value: '(withheld: the body holds a secret of the call)',
      writable: true,
      configurable: true,
      enumerable: true,
    });
  }
  for (const key of ['message', 'stack', 'excerpt'] as const) {
    const v = record[key];
    if (typeof v !== 'string') continue;
    const r = redact(v);
    if (r !== v) Object.defineProperty(err, key, { value: r, writable: true, configurable: true, enumerable: key === 'excerpt' });
  }
  if (err.cause !== undefined) {
    const cause = redactCause(err.cause, redact);
    if (cause !== err.cause) Object.defineProperty(err, 'cause', { value: cause, writable: true, configurable: true, enumerable: false });
  }
  return err;
}

/** What a network error code means, in our words. */
const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed for now',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'the response body stopped',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate issuer unknown',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate is for another host',
};
/** Codes that prove the request never reached the server: connecting failed. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** Connect failures that another attempt will not fix. */
const PERMANENT_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * The {@link CiNetworkError} of a failed fetch, saying in our words what failed, e.g. `Could not connect
 * to 127.0.0.1:9 (connection refused, ECONNREFUSED)`; `cause` is the fetch error, redacted. `notSent`:
 * connecting failed, so even a create may be retried; `permanent`: retrying cannot help.
 */
function networkError(
  method: string,
  pathname: string,
  hostPort: string,
  cause: unknown,
  redact: Redactor,
): { error: CiNetworkError; notSent: boolean; permanent: boolean } {
  const code = errorCode(cause);
  const reason = code === undefined ? undefined : NETWORK_REASONS[code];
  const port = hostPort.slice(hostPort.lastIndexOf(':') + 1);
  let message: string;
  let notSent = code !== undefined && (CONNECT_CODES.has(code) || PERMANENT_CODES.has(code));
  let permanent = code !== undefined && PERMANENT_CODES.has(code);
  if (causeMessages(cause).includes('bad port')) {
    // undici refuses the ports the Fetch standard blocks (1, 9, 25, 6000, …) before connecting
    message = `Could not connect to ${hostPort} (fetch refuses port ${port}, a port the Fetch standard blocks)`;
    notSent = true;
    permanent = true;
  } else if (notSent) {
    message = `Could not connect to ${hostPort} (${reason ?? 'failed'}, ${code})`;
  } else if (reason) {
    message = `${method} ${pathname} on ${hostPort} failed: ${reason} (${code})`;
  } else {
    message = `${method} ${pathname} on ${hostPort} failed: ${describe(cause)}`;
  }
  return { error: new CiNetworkError(redact(message), { cause: redactCause(cause, redact) }), notSent, permanent };
}

function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}

/** The messages of an error and its causes (4 levels). */
function causeMessages(err: unknown): string[] {
  const out: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string') out.push(message);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function describe(err: unknown): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${message}${cause}${code && !message.includes(code) && !cause.includes(code) ? ` (${code})` : ''}`;
}
