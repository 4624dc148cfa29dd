/**
 * The transport: builds the URL and body of an operation from its input, signs (`host` always, plus
 * content-type, content-md5 and `x-ci-*`), sends with `fetch`, retries what is safe to retry, corrects
 * clock skew, and decodes the XML response or turns it into a typed error.
 */
import { md5Base64 } from '#crypto';
import { toCredentialProvider, type CredentialProvider, type CredentialsInput } from './credentials';
import {
  CiAbortError,
  CiDecodeError,
  CiError,
  CiNetworkError,
  CiServiceError,
  CiTimeoutError,
  CiValidationError,
  excerpt,
  type CiValidationIssue,
} from './errors';
import type { OperationSpec, ParamSpec, ValidateFunction } from './operation';
import { createAuthorization, encodeRfc3986, DEFAULT_EXPIRES_SECONDS } from './signer';
import { formatCiTime } from './time';
import { ResponseChecker, VALIDATION_MODES, type Logger, type ValidationMode } from './validation';
import { decodeDocument, parseDocument, DEFAULT_MAX_DEPTH } from './xml/decode';
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
/** Network error codes that prove the request never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
const MIN_SKEW_MS = 30_000;

/** A configured transport: signs and sends operations. One per client; it keeps the clock offset. */
export class Transport {
  readonly #config: TransportConfig;
  readonly #credentials: CredentialProvider;
  readonly #checker: ResponseChecker;
  /** Server time minus local time, learned from a RequestTimeTooSkewed answer, in milliseconds. */
  #clockOffsetMs = 0;

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
    // [key, smallest value, what the message says]
    const limits = [
      ['timeoutMs', 1, 'must be a number of milliseconds >= 1'],
      ['maxAttempts', 1, 'must be a whole number >= 1 (1: no retries)'],
      ['retryBaseDelayMs', 0, 'must be a number of milliseconds >= 0'],
      ['retryMaxDelayMs', 0, 'must be a number of milliseconds >= 0'],
      ['maxResponseBytes', 1, 'must be a number of bytes >= 1'],
    ] as const;
    for (const [key, min, message] of limits) {
      const v = config[key];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < min || (key === 'maxAttempts' && !Number.isInteger(v)))) {
        throw new CiValidationError('Invalid client configuration', [{ path: key, message }]);
      }
    }
    if (config.validateResponses !== undefined && !VALIDATION_MODES.includes(config.validateResponses)) {
      throw new CiValidationError('Invalid client configuration', [
        { path: 'validateResponses', message: `must be one of ${VALIDATION_MODES.map((m) => `'${m}'`).join(', ')}` },
      ]);
    }
    this.#config = { ...config, endpoint: url.href.replace(/\/+$/, '') };
    this.#credentials = toCredentialProvider(config.credentials);
    this.#checker = new ResponseChecker(config.validateResponses, config.logger ?? console);
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
   * with `$metadata`. Throws the typed errors of `./errors`.
   */
  async invoke<T = Record<string, unknown>>(
    op: OperationSpec,
    input: Readonly<Record<string, unknown>>,
    options: CallOptions = {},
  ): Promise<WithMetadata<T>> {
    const cfg = this.#config;
    checkCallOptions(options);
    if (options.signal?.aborted) throw new CiAbortError('The request was aborted before it was sent', { cause: options.signal.reason });
    const prepared = prepareRequest(op, input, cfg.timeOffsetMinutes ?? DEFAULTS.timeOffsetMinutes);
    const timeoutMs = options.timeoutMs ?? cfg.timeoutMs ?? DEFAULTS.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const aborted = (cause?: unknown): CiError =>
      options.signal?.aborted
        ? new CiAbortError('The request was aborted', { cause: options.signal.reason })
        : new CiTimeoutError(timeoutMs, { cause });

    const maxAttempts = cfg.maxAttempts ?? DEFAULTS.maxAttempts;
    let attempts = 0;
    let totalRetryDelayMs = 0;
    let skewCorrected = false;
    for (;;) {
      attempts++;
      const credentials = await this.#credentials();
      let response: Response;
      const url = cfg.endpoint + prepared.urlPath;
      const headers: Record<string, string> = { ...cfg.headers, ...prepared.headers };
      if (credentials.sessionToken) headers['x-ci-security-token'] = credentials.sessionToken;
      const signed: Record<string, string> = { host: new URL(url).host };
      for (const [k, v] of Object.entries(headers)) {
        const lower = k.toLowerCase();
        if (lower === 'content-type' || lower === 'content-md5' || lower.startsWith('x-ci-') || lower.startsWith('x-cos-')) {
          signed[lower] = v;
        }
      }
      const nowMs = (cfg.now ?? Date.now)() + this.#clockOffsetMs;
      headers.Authorization = createAuthorization({
        secretId: credentials.secretId,
        secretKey: credentials.secretKey,
        method: op.method,
        pathname: prepared.pathname,
        query: prepared.signedQuery,
        headers: signed,
        startTime: Math.floor(nowMs / 1000) - 1,
        expiresSeconds: cfg.signatureExpiresSeconds ?? DEFAULT_EXPIRES_SECONDS,
      });
      let failure: CiError;
      let retryAfterMs: number | undefined;
      try {
        if (signal.aborted) throw aborted(signal.reason);
        const fetchImpl = cfg.fetch ?? globalThis.fetch;
        try {
          response = await fetchImpl(url, { method: op.method, headers, body: prepared.body, signal, redirect: 'manual' });
        } catch (cause) {
          if (signal.aborted) throw aborted(cause);
          const code = errorCode(cause);
          const err = new CiNetworkError(`${op.method} ${prepared.pathname} failed: ${describe(cause)}`, { cause });
          (err as { notSent?: boolean }).notSent = code !== undefined && NOT_SENT_CODES.has(code);
          throw err;
        }
        const text = await readBody(response, cfg.maxResponseBytes ?? DEFAULTS.maxResponseBytes, signal, aborted);
        const requestId = response.headers.get('x-ci-request-id') ?? undefined;
        if (response.status >= 200 && response.status < 300) {
          const result = this.#decode<T>(op, text);
          const $metadata: ResponseMetadata = { requestId, statusCode: response.status, attempts, totalRetryDelayMs };
          Object.defineProperty(result, '$metadata', { value: $metadata, enumerable: false });
          return result as WithMetadata<T>;
        }
        throw serviceError(response, text);
      } catch (err) {
        if (!CiError.isInstance(err)) throw err;
        failure = err;
        if (err instanceof CiServiceError) {
          retryAfterMs = parseRetryAfter(err.$response.headers['retry-after'], (cfg.now ?? Date.now)());
          // clock skew: re-sign with the server's time and retry once
          if (!skewCorrected && isSkewError(err)) {
            const serverDate = Date.parse(err.$response.headers.date ?? '');
            const offset = serverDate - (cfg.now ?? Date.now)();
            if (Number.isFinite(offset) && Math.abs(offset) >= MIN_SKEW_MS) {
              this.#clockOffsetMs = offset;
              skewCorrected = true;
              attempts--; // a skew correction is not a retry
              continue;
            }
          }
        }
      }
      if (attempts >= maxAttempts || !isRetryable(failure, op.idempotent)) throw failure;
      const cap = cfg.retryMaxDelayMs ?? DEFAULTS.retryMaxDelayMs;
      const base = cfg.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs;
      let delay = Math.floor((cfg.random ?? Math.random)() * Math.min(cap, base * 2 ** (attempts - 1)));
      if (retryAfterMs !== undefined) delay = Math.min(Math.max(delay, retryAfterMs), cap);
      await sleep(delay, signal, aborted);
      totalRetryDelayMs += delay;
    }
  }

  #decode<T>(op: OperationSpec, text: string): T {
    if (!op.response) return {} as T;
    const decoded = decodeDocument(text, op.response, { maxChars: this.#config.maxResponseBytes ?? DEFAULTS.maxResponseBytes });
    this.#checker.check(op.id, decoded);
    return decoded.value as T;
  }

  /** Keeps credentials and config out of `util.inspect` and logs. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Transport { endpoint: '${this.#config.endpoint}' }`;
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.#config.endpoint };
  }
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
  if (op.validateInput && !op.validateInput(wire)) {
    throw new CiValidationError(`Invalid ${op.id} input`, toIssues(op.validateInput));
  }
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
    if (p.in === 'path') {
      if (text === '') throw new CiValidationError(`Invalid ${op.id} input`, [{ path: `/${p.name}`, message: 'must not be empty' }]);
      // a list in a path keeps its commas literal, as the API pages show (`/jobs/a,b`); each item is encoded
      const encoded = p.kind === 'csv' ? (value as unknown[]).map((v) => encodeRfc3986(String(v))).join(',') : encodeRfc3986(text);
      // a replacer function: a string replacement would expand `$$`, `$&`, `$'` in the value
      pathname = pathname.replace(`{${p.name}}`, () => text);
      urlPath = urlPath.replace(`{${p.name}}`, () => encoded);
    } else {
      signedQuery[p.name] = text;
      queryParts.push(`${encodeRfc3986(p.name)}=${encodeRfc3986(text)}`);
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

async function readBody(response: Response, maxBytes: number, signal: AbortSignal, aborted: (cause?: unknown) => CiError): Promise<string> {
  if (!response.body) return '';
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new CiDecodeError(`The response body (${declared} bytes) is larger than maxResponseBytes (${maxBytes})`);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new CiDecodeError(`The response body is larger than maxResponseBytes (${maxBytes})`);
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (CiError.isInstance(cause)) throw cause;
    if (signal.aborted) throw aborted(cause);
    throw new CiNetworkError(`Reading the response body failed: ${describe(cause)}`, { cause });
  }
  return new TextDecoder('utf-8').decode(concat(chunks, size));
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

/** Builds the {@link CiServiceError} of a non-2xx response, whatever its body. */
export function serviceError(response: Response, text: string): CiServiceError {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  let fields: Record<string, unknown> = {};
  try {
    const root = parseDocument(text, { maxDepth: DEFAULT_MAX_DEPTH });
    if ((root.name === 'Error' || root.name === 'Response') && typeof root.value === 'object' && root.value !== null) {
      fields = root.value as Record<string, unknown>;
    }
  } catch {
    // not XML: a proxy's HTML page, JSON, an empty body — the status and headers still tell
  }
  const field = (name: string): string | undefined => {
    const v = fields[name];
    const first = Array.isArray(v) ? v[0] : v;
    return typeof first === 'string' && first !== '' ? first : undefined;
  };
  return new CiServiceError({
    code: field('Code') ?? `Http${response.status}`,
    message: field('Message') ?? (response.statusText || `HTTP ${response.status}`),
    statusCode: response.status,
    requestId: field('RequestId') ?? headers['x-ci-request-id'],
    traceId: field('TraceId') ?? headers['x-ci-trace-id'],
    response: { statusCode: response.status, headers, bodyExcerpt: excerpt(text) },
  });
}

function isSkewError(err: CiServiceError): boolean {
  return err.code === 'RequestTimeTooSkewed' || (err.code === 'AccessDenied' && /request has expired/i.test(err.message));
}

function isRetryable(err: CiError, idempotent: boolean): boolean {
  if (err instanceof CiNetworkError) return idempotent || (err as { notSent?: boolean }).notSent === true;
  if (!idempotent) return false;
  if (err instanceof CiServiceError) return RETRYABLE_STATUS.has(err.statusCode) || RETRYABLE_CODES.has(err.code);
  return false;
}

function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}

function sleep(ms: number, signal: AbortSignal, aborted: (cause?: unknown) => CiError): Promise<void> {
  if (signal.aborted) return Promise.reject(aborted(signal.reason));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(signal.reason));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
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
