/**
 * FakeCiService: the transport-independent core of the fake CI service. It takes a {@link FakeRequest} and
 * answers a {@link FakeResponse}: signature check, routing, the operation, the documented headers and
 * `<Error>` documents.
 */
import { createHash } from 'node:crypto';
import { shapes } from '@cloud-infinite/client';
import { verifyAuthorization, type FakeCredentials } from './auth';
import { DEMO_CREDENTIALS, DEMO_QUEUE_ID } from './constants';
import { FakeCiError } from './errors';
import { parseRequest, type FakeRequest, type FakeResponse } from './request';
import { Router, type Route } from './router';
import { jobRoutes } from './routes/jobs';
import { seedJobs } from './seed';
import { FakeCiStore } from './store';
import { encodeDocument } from './xml';

/** Options of a {@link FakeCiService}. */
export interface FakeCiOptions {
  /** The key pair requests must be signed with; default {@link DEMO_CREDENTIALS}. `false`: no signature check at all. */
  readonly credentials?: FakeCredentials | false;
  /** Seed of the seeded jobs and of request ids; default 1. */
  readonly seed?: number;
  /** Number of jobs seeded at construction (see `seedJobs`); default 0. */
  readonly jobs?: number;
  /** The default queue (seeded jobs are in it); default {@link DEMO_QUEUE_ID}. */
  readonly queueId?: string;
  /** The service clock in milliseconds since the epoch; read once per request. Default `Date.now`. */
  readonly now?: () => number;
  /** Called after every exchange (e.g. to record requests in a test). Must not throw. */
  readonly onExchange?: (exchange: FakeExchange) => void;
}

/** One request and its response. */
export interface FakeExchange {
  readonly request: FakeRequest;
  readonly response: FakeResponse;
  /** The operation answered, when the request reached one (e.g. `DescribeMediaJobs`). */
  readonly operationId: string | undefined;
}

/** Every operation the fake answers. */
export const ROUTES: readonly Route[] = [...jobRoutes];

/**
 * A stateful, in-memory fake CI service. Every response carries `x-ci-request-id`, `date` (the service clock,
 * RFC 1123), `server: tencent-ci` and `content-type: application/xml`; errors also `x-ci-trace-id`.
 *
 * ```ts
 * const service = new FakeCiService({ jobs: 250, seed: 7 });
 * const res = await service.handle({ method: 'GET', url: 'http://127.0.0.1/jobs?…', headers: { host: '127.0.0.1', authorization } });
 * ```
 */
export class FakeCiService {
  /** The service's state. Tests may add or read jobs directly. */
  readonly store = new FakeCiStore();
  /** The default queue id. */
  readonly queueId: string;
  readonly #keys: ReadonlyMap<string, string> | undefined;
  readonly #now: () => number;
  readonly #router = new Router(ROUTES);
  readonly #requestIdPrefix: string;
  readonly #onExchange: ((exchange: FakeExchange) => void) | undefined;
  #requestCount = 0;

  constructor(options: FakeCiOptions = {}) {
    const credentials = options.credentials === undefined ? DEMO_CREDENTIALS : options.credentials;
    this.#keys = credentials === false ? undefined : new Map([[credentials.secretId, credentials.secretKey]]);
    this.#now = options.now ?? Date.now;
    this.queueId = options.queueId ?? DEMO_QUEUE_ID;
    this.#onExchange = options.onExchange;
    const seed = options.seed ?? 1;
    this.#requestIdPrefix = createHash('sha1').update(`fake-ci-${seed}`).digest('hex').slice(0, 10);
    if (options.jobs) seedJobs(this.store, { count: options.jobs, seed, queueId: this.queueId, now: this.#now });
  }

  /** The service clock, milliseconds since the epoch. */
  now(): number {
    return this.#now();
  }

  /**
   * Answers one request. A refusal is an `<Error>` response, a bug inside an operation a 500 `InternalError`
   * one; it throws only when `onExchange` does. Await the result: later operations may answer asynchronously.
   */
  handle(request: FakeRequest): Promise<FakeResponse> | FakeResponse {
    const nowMs = this.#now();
    const requestId = this.#nextRequestId(nowMs);
    const headers: Record<string, string> = {
      'content-type': 'application/xml',
      date: new Date(nowMs).toUTCString(),
      server: 'tencent-ci',
      'x-ci-request-id': requestId,
    };
    let operationId: string | undefined;
    let response: FakeResponse;
    try {
      const parsed = parseRequest(request);
      if (this.#keys) verifyAuthorization(parsed, this.#keys, nowMs);
      const { route, params } = this.#router.match(parsed.method, parsed.pathname);
      operationId = route.operationId;
      const result = route.handler({ request: parsed, params, store: this.store, nowMs, queueId: this.queueId });
      response = { status: result.status ?? 200, headers: { ...headers, ...result.headers }, body: result.body };
    } catch (err) {
      const fault =
        err instanceof FakeCiError
          ? err
          : new FakeCiError(500, 'InternalError', `The fake CI service failed: ${err instanceof Error ? err.message : String(err)}`);
      response = this.#errorResponse(fault, headers, requestId);
    }
    this.#onExchange?.({ request, response, operationId });
    return response;
  }

  #errorResponse(fault: FakeCiError, headers: Record<string, string>, requestId: string): FakeResponse {
    const traceId = Buffer.from(createHash('sha256').update(requestId).digest('hex')).toString('base64');
    const body = encodeDocument({ Code: fault.code, Message: fault.message, RequestId: requestId, TraceId: traceId }, shapes.documents.Error);
    return { status: fault.status, headers: { ...headers, ...fault.headers, 'x-ci-trace-id': traceId }, body };
  }

  /** Request ids look like CI's: base64 of `<seconds hex>_<service hex>_<counter hex>`. */
  #nextRequestId(nowMs: number): string {
    this.#requestCount++;
    const text = `${Math.floor(nowMs / 1000).toString(16)}_${this.#requestIdPrefix}_${this.#requestCount.toString(16).padStart(4, '0')}`;
    return Buffer.from(text).toString('base64');
  }
}
