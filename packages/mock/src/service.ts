/**
 * FakeCiService: the transport-independent core of the fake CI service. It takes a {@link FakeRequest} and
 * answers a {@link FakeResponse}: fault injection, signature check, Content-MD5 check, routing, the operation,
 * the documented headers and `<Error>` documents.
 */
import { createHash } from 'node:crypto';
import { shapes, type MediaJob } from '@cloud-infinite/client';
import type { OperationSpec } from '@cloud-infinite/runtime';
import { verifyAuthorization, type FakeCredentials } from './auth';
import { DEMO_BUCKET, DEMO_CREDENTIALS, DEMO_QUEUE_ID, DEMO_REGION } from './constants';
import { FakeCiError, invalidArgument, invalidDigest } from './errors';
import { FAULT_HEADER, FakeConnectionError, FaultInjector, PROXY_502_PAGE, breakXml, wait, type Fault, type FaultRule } from './faults';
import { IdSource } from './ids';
import { recordedAnswer } from './answers';
import { BEHAVIOURS, type Behaviour } from './behaviour';
import { JobEngine, type JobOutcomeRule, type JobProgression } from './lifecycle';
import {
  NotificationOutbox,
  type DeliveryMatch,
  type NotificationDelivery,
  type NotificationOptions,
  type WaitForDeliveryOptions,
} from './notifications';
import { readInput, type OperationId } from './operations';
import { parseRequest, type FakeRequest, type FakeResponse, type ParsedRequest } from './request';
import { Router, type RouteContext } from './router';
import { createRandom, generateQueues, makeQueue, officialTemplates, seedJobs } from './seed';
import { FakeCiStore, type JobState } from './store';
import { encodeDocument } from './xml';

/** Options of a {@link FakeCiService}. */
export interface FakeCiOptions {
  /** The key pair requests must be signed with; default {@link DEMO_CREDENTIALS}. `false`: no signature check at all. */
  readonly credentials?: FakeCredentials | false;
  /** `false` turns the signature check off (the same as `credentials: false`). Default true. */
  readonly verifySignature?: boolean;
  /** Seed of the seeded jobs and queues, of new ids, request ids and fault probabilities; default 1. */
  readonly seed?: number;
  /** Number of jobs seeded at construction (see `seedJobs`), with the three templates they use; default 0. */
  readonly jobs?: number;
  /** Number of queues seeded besides the default one (see `generateQueues`: every second one Paused); default 2. */
  readonly queues?: number;
  /** The default queue (seeded jobs are in it; CreateMediaJobs without QueueId uses it); default {@link DEMO_QUEUE_ID}. */
  readonly queueId?: string;
  /** The bucket (`BucketName-APPID`) seeded jobs write to and templates/queues belong to; default {@link DEMO_BUCKET}. */
  readonly bucket?: string;
  /** The bucket's region; default {@link DEMO_REGION}. */
  readonly region?: string;
  /** The service clock in milliseconds since the epoch; read once per request. Default `Date.now`. */
  readonly now?: () => number;
  /** How created jobs progress; default `{ afterMs: 300 }`: 300 ms Submitted, 300 ms Running, on `now` (see {@link JobProgression}). */
  readonly jobProgression?: JobProgression;
  /** How created jobs end; default: `Failed` (InvalidInput) when the input key contains `fail`, else `Success`. */
  readonly jobOutcome?: JobOutcomeRule;
  /** Fault rules (see {@link FaultRule}); more can be added with `injectFault`. Default none. */
  readonly faults?: readonly FaultRule[];
  /**
   * How job notifications are delivered (see {@link NotificationOptions}): by default sent, to loopback hosts
   * only, with 4 attempts 100/200/400 ms apart, 5 s each.
   */
  readonly notifications?: NotificationOptions;
  /** Called after every exchange (e.g. to record requests in a test). Must not throw. */
  readonly onExchange?: (exchange: FakeExchange) => void;
}

/** One request and its response. */
export interface FakeExchange {
  readonly request: FakeRequest;
  /** The answer; status 0 and an empty body when there was none (a `reset` fault, a caller gone). */
  readonly response: FakeResponse;
  /** The operation the request is for (by method and path), when it names one (e.g. `DescribeMediaJobs`). */
  readonly operationId: string | undefined;
  /** The fault injected, as written (e.g. `503`, `slow=200`, `reset;after`), when there was one. */
  readonly fault?: string;
}

/** Options of {@link FakeCiService.handle}. */
export interface HandleOptions {
  /** The caller went away (e.g. the socket closed): a `slow` delay stops early and nothing more runs. */
  readonly signal?: AbortSignal;
}

/** Name of the default queue. */
export const DEFAULT_QUEUE_NAME = 'default';

const NO_RESPONSE: FakeResponse = { status: 0, headers: {}, body: '' };

/** Why there is no answer: the connection is dropped (`reset`), or the caller went away. */
type NoAnswer = 'ECONNRESET' | 'ABORT_ERR';

/**
 * A stateful, in-memory fake CI service. Every response carries `x-ci-request-id`, `date` (the service clock,
 * RFC 1123), `server: tencent-ci` and `content-type: application/xml` (not on an empty body); errors also
 * `x-ci-trace-id`.
 *
 * ```ts
 * const service = new FakeCiService({ jobs: 250, seed: 7, jobProgression: { afterPolls: 2 } });
 * const res = await service.handle({ method: 'GET', url: 'http://127.0.0.1/jobs?…', headers: { host: '127.0.0.1', authorization } });
 * ```
 */
export class FakeCiService {
  /** The service's state. Tests may add or read jobs, queues and templates directly. */
  readonly store = new FakeCiStore();
  /** The default queue id. */
  readonly queueId: string;
  /** The bucket (`BucketName-APPID`). */
  readonly bucket: string;
  /** The region. */
  readonly region: string;
  /** The job state machine. */
  readonly jobs: JobEngine;
  readonly #keys: ReadonlyMap<string, string> | undefined;
  readonly #now: () => number;
  readonly #router = new Router();
  readonly #requestIdPrefix: string;
  readonly #onExchange: ((exchange: FakeExchange) => void) | undefined;
  readonly #ids: IdSource;
  readonly #faults: FaultInjector;
  readonly #outbox: NotificationOutbox;
  /** Jobs move on a timer too (so they end, and notify, with no request coming in): only on the real clock. */
  readonly #realClock: boolean;
  #settleTimer: { readonly at: number; readonly timer: ReturnType<typeof setTimeout> } | undefined;
  #requestCount = 0;
  #closed = false;
  /** What made the timer's move of jobs fail, until a request answers it. */
  #timerFailure: unknown;

  constructor(options: FakeCiOptions = {}) {
    const credentials = options.verifySignature === false ? false : (options.credentials ?? DEMO_CREDENTIALS);
    this.#keys = credentials === false ? undefined : new Map([[credentials.secretId, credentials.secretKey]]);
    this.#now = options.now ?? Date.now;
    this.#realClock = options.now === undefined || options.now === Date.now;
    this.queueId = options.queueId ?? DEMO_QUEUE_ID;
    this.bucket = options.bucket ?? DEMO_BUCKET;
    this.region = options.region ?? DEMO_REGION;
    this.#onExchange = options.onExchange;
    const seed = options.seed ?? 1;
    this.#requestIdPrefix = createHash('sha1').update(`fake-ci-${seed}`).digest('hex').slice(0, 10);
    this.#ids = new IdSource(seed);
    this.#faults = new FaultInjector(options.faults ?? [], createRandom((seed ^ 0xfa17) >>> 0));
    this.#outbox = new NotificationOutbox(options.notifications);
    this.jobs = new JobEngine(this.store, this.#ids, {
      progression: options.jobProgression,
      outcome: options.jobOutcome,
      onEnd: (job) => this.#outbox.jobEnded(structuredClone(job), job.QueueId === undefined ? undefined : this.store.getQueue(job.QueueId)),
    });

    const nowMs = this.#now();
    this.store.addQueue(
      makeQueue({ queueId: this.queueId, name: DEFAULT_QUEUE_NAME, createdMs: nowMs - 90 * 86_400_000, bucket: this.bucket }),
    );
    for (const queue of generateQueues({ count: options.queues ?? 2, seed, now: nowMs, bucket: this.bucket })) this.store.addQueue(queue);
    for (const template of officialTemplates()) this.store.addTemplate(template);
    if (options.jobs) {
      seedJobs(this.store, { count: options.jobs, seed, queueId: this.queueId, now: nowMs, bucket: this.bucket, region: this.region });
    }
  }

  /** The service clock, milliseconds since the epoch. */
  now(): number {
    return this.#now();
  }

  /**
   * Moves jobs through their states (for `jobProgression: 'manual'`, or to force a state in any mode) and
   * returns them as they are now; times come from the service clock.
   * - `advance()`: every created job that has not finished moves one step (Submitted → Running →
   *   Success|Failed); Submitted jobs in a Paused queue stay.
   * - `advance(jobId)`: that job (created or seeded) moves one step; a finished job is returned unchanged.
   * - `advance(jobId, 'Failed')` etc.: straight to that state.
   * Throws a RangeError for an unknown job, moving back to Submitted, or changing a finished job.
   */
  advance(jobId?: string, toState?: JobState): MediaJob[] {
    const nowMs = this.#now();
    this.jobs.settle(nowMs);
    const moved = this.jobs.advance(jobId, toState, nowMs);
    this.#armSettleTimer();
    return moved;
  }

  /**
   * Every job notification so far, in the order the jobs ended: where it went, its body, and its outcome
   * (`pending`, `delivered`, `failed`, `refused`, `recorded`, `unsupported`; see {@link NotificationDelivery}).
   */
  get notifications(): readonly NotificationDelivery[] {
    return this.#outbox.deliveries;
  }

  /**
   * Resolves with the first notification (made, or to come) of the job `match` (or matching a predicate; any,
   * without one) once it has settled — delivered, failed, refused… Rejects with a RangeError after `timeoutMs`
   * (default 10 000 ms), with the signal's reason on abort, and with an Error when the service is closed.
   */
  waitForNotification(match?: DeliveryMatch, options?: WaitForDeliveryOptions): Promise<NotificationDelivery> {
    return this.#outbox.waitFor(match, options);
  }

  /** Resolves when no notification is pending (every delivery in flight has settled), with all of them. */
  notificationsSettled(): Promise<readonly NotificationDelivery[]> {
    return this.#outbox.settled();
  }

  /**
   * Stops the service's background work: the timer that moves jobs on the real clock, and notification
   * deliveries (those in flight fail; waiters reject). Requests are still answered. Idempotent.
   */
  close(): void {
    if (this.#settleTimer) clearTimeout(this.#settleTimer.timer);
    this.#settleTimer = undefined;
    this.#closed = true;
    this.#outbox.close();
  }

  /**
   * On the real clock, arms one timer for when the next job is due to move (`{ afterMs }`), so jobs end and
   * notify on time with no request coming in. The timer is unref'd: it never keeps a process alive. What it throws
   * (a `jobOutcome` rule's error) is answered to the next request, as a 500 `InternalError`.
   */
  #armSettleTimer(): void {
    if (!this.#realClock || this.#closed) return;
    const at = this.jobs.nextDueAt;
    if (at === undefined || (this.#settleTimer && this.#settleTimer.at <= at)) return;
    if (this.#settleTimer) clearTimeout(this.#settleTimer.timer);
    const timer = setTimeout(
      () => {
        this.#settleTimer = undefined;
        try {
          this.jobs.settle(this.#now());
        } catch (err) {
          // a jobOutcome rule that throws, say: never an uncaught exception; the next request answers it (a 500).
          // The other due jobs have moved, and that job is due again afterMs later, so the timer goes on.
          this.#timerFailure ??= err;
        }
        this.#armSettleTimer();
      },
      Math.max(0, at - this.#now()),
    );
    timer.unref?.();
    this.#settleTimer = { at, timer };
  }

  /** Adds a fault rule after the others (see {@link FaultRule}). Throws a RangeError on a bad rule. */
  injectFault(rule: FaultRule): void {
    this.#faults.add(rule);
  }

  /** Removes every fault rule. */
  clearFaults(): void {
    this.#faults.clear();
  }

  /** How many faults each rule has injected so far, in rule order. */
  get faultCounts(): number[] {
    return this.#faults.counts;
  }

  /**
   * Answers one request. A refusal is an `<Error>` response, a bug inside an operation a 500 `InternalError`
   * one. Rejects with a {@link FakeConnectionError} when there is no answer to give (a `reset` fault, or
   * `options.signal` aborted during a `slow` delay), and when `onExchange` throws.
   */
  async handle(request: FakeRequest, options: HandleOptions = {}): Promise<FakeResponse> {
    const nowMs = this.#now();
    const requestId = this.#nextRequestId(nowMs);
    const headers: Record<string, string> = {
      'content-type': 'application/xml',
      date: new Date(nowMs).toUTCString(),
      server: 'tencent-ci',
      'x-ci-request-id': requestId,
    };
    const { operationId, fault, answer } = await this.#respond(request, options.signal, nowMs, requestId, headers);
    this.#armSettleTimer();
    const response = typeof answer === 'string' ? NO_RESPONSE : answer;
    this.#onExchange?.({ request, response, operationId, ...(fault ? { fault: fault.text } : {}) });
    if (typeof answer === 'string') {
      throw new FakeConnectionError(
        answer,
        answer === 'ECONNRESET'
          ? `The fake CI service dropped the connection (fault ${fault?.text}).`
          : 'The caller went away before the answer.',
      );
    }
    return answer;
  }

  /** The answer to a request, or the reason there is none. */
  async #respond(
    request: FakeRequest,
    signal: AbortSignal | undefined,
    nowMs: number,
    requestId: string,
    headers: Record<string, string>,
  ): Promise<{ operationId: string | undefined; fault: Fault | undefined; answer: FakeResponse | NoAnswer }> {
    let operationId: string | undefined;
    let fault: Fault | undefined;
    let response: FakeResponse;
    try {
      const parsed = parseRequest(request);
      operationId = this.#router.find(parsed.method, parsed.rawPathname)?.route.operationId;
      const picked = this.#faults.pick(operationId, parsed.headers[FAULT_HEADER]);
      if (typeof picked === 'string') throw invalidArgument(`The ${FAULT_HEADER} header is invalid: ${picked}.`);
      fault = picked;
      if (fault?.when === 'before') {
        if (fault.kind === 'reset') return { operationId, fault, answer: 'ECONNRESET' };
        if (fault.kind !== 'slow') return { operationId, fault, answer: this.#faultResponse(fault, headers, requestId) };
        if (!(await wait(fault.delayMs, signal))) return { operationId, fault, answer: 'ABORT_ERR' };
      }
      response = this.#answer(parsed, nowMs, requestId, headers);
    } catch (err) {
      response = this.#errorResponse(toFakeCiError(err), headers, requestId);
    }
    if (fault?.when !== 'after') return { operationId, fault, answer: response };
    switch (fault.kind) {
      case 'reset':
        return { operationId, fault, answer: 'ECONNRESET' };
      case 'slow':
        return { operationId, fault, answer: (await wait(fault.delayMs, signal)) ? response : 'ABORT_ERR' };
      case 'malformed':
        return {
          operationId,
          fault,
          answer: { status: 200, headers: { ...response.headers, 'content-type': 'application/xml' }, body: breakXml(response.body) },
        };
      case 'truncated': {
        const truncatedFrom = Buffer.byteLength(response.body, 'utf8');
        return {
          operationId,
          fault,
          answer: { ...response, body: response.body.slice(0, Math.floor(response.body.length / 2)), truncatedFrom },
        };
      }
      default:
        return { operationId, fault, answer: this.#faultResponse(fault, headers, requestId) };
    }
  }

  /**
   * Signature, Content-MD5, routing, the request read and validated by the operation table, then the operation's
   * behaviour (its output encoded with the operation's response shape) or, without one, its recorded answer.
   * Throws a {@link FakeCiError} to refuse.
   */
  #answer(parsed: ParsedRequest, nowMs: number, requestId: string, headers: Record<string, string>): FakeResponse {
    if (this.#timerFailure !== undefined) {
      const failure = this.#timerFailure;
      this.#timerFailure = undefined;
      throw new FakeCiError(
        500,
        'InternalError',
        `The fake CI service failed moving jobs on its timer: ${failure instanceof Error ? failure.message : String(failure)}`,
      );
    }
    this.jobs.settle(nowMs);
    if (this.#keys) verifyAuthorization(parsed, this.#keys, nowMs);
    checkContentMd5(parsed);
    const { route, params } = this.#router.match(parsed.method, parsed.rawPathname, parsed.pathname);
    const { status, body } = this.#operate(route.operation, parsed, readInput(route.operation, parsed, params), nowMs, requestId);
    const out: Record<string, string> = { ...headers };
    if (body === '') delete out['content-type'];
    return { status, headers: out, body };
  }

  /**
   * Runs the operation on its validated input: its behaviour, whose output is encoded with the operation's response
   * shape (an empty body when it has none), or, when it has no behaviour, its recorded answer.
   */
  #operate(
    op: OperationSpec,
    request: ParsedRequest,
    input: Record<string, unknown>,
    nowMs: number,
    requestId: string,
  ): { status: number; body: string } {
    const behaviour = Object.hasOwn(BEHAVIOURS, op.id)
      ? (BEHAVIOURS[op.id as OperationId] as Behaviour<OperationId> | undefined)
      : undefined;
    if (!behaviour) return recordedAnswer(op, request, input, requestId);
    const ctx: RouteContext = {
      request,
      store: this.store,
      nowMs,
      queueId: this.queueId,
      requestId,
      jobs: this.jobs,
      ids: this.#ids,
      bucket: this.bucket,
      region: this.region,
      notifications: this.#outbox,
    };
    const output = behaviour(ctx, input as never);
    return { status: 200, body: op.response ? encodeDocument(output, op.response) : '' };
  }

  #faultResponse(fault: Fault, headers: Record<string, string>, requestId: string): FakeResponse {
    switch (fault.kind) {
      case 'throttle':
        return this.#errorResponse(
          new FakeCiError(429, 'RequestLimitExceeded', 'Request rate exceeded; reduce your request rate and retry.'),
          headers,
          requestId,
        );
      case '500':
        return this.#errorResponse(new FakeCiError(500, 'InternalError', 'Internal error, please retry.'), headers, requestId);
      case '503':
        return this.#errorResponse(
          new FakeCiError(503, 'ServiceUnavailable', 'Service is temporarily unavailable, please retry.'),
          headers,
          requestId,
        );
      default:
        // html502: a proxy in front of CI answered, so none of CI's headers
        return { status: 502, headers: { 'content-type': 'text/html', date: headers.date!, server: 'nginx' }, body: PROXY_502_PAGE };
    }
  }

  #errorResponse(fault: FakeCiError, headers: Record<string, string>, requestId: string): FakeResponse {
    const traceId = Buffer.from(createHash('sha256').update(requestId).digest('hex')).toString('base64');
    const body = encodeDocument(
      { Code: fault.code, Message: fault.message, RequestId: requestId, TraceId: traceId },
      shapes.documents.ErrorDocument,
    );
    return { status: fault.status, headers: { ...headers, ...fault.headers, 'x-ci-trace-id': traceId }, body };
  }

  /** Request ids look like CI's: base64 of `<seconds hex>_<service hex>_<counter hex>`. */
  #nextRequestId(nowMs: number): string {
    this.#requestCount++;
    const text = `${Math.floor(nowMs / 1000).toString(16)}_${this.#requestIdPrefix}_${this.#requestCount.toString(16).padStart(4, '0')}`;
    return Buffer.from(text).toString('base64');
  }
}

function toFakeCiError(err: unknown): FakeCiError {
  return err instanceof FakeCiError
    ? err
    : new FakeCiError(500, 'InternalError', `The fake CI service failed: ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * When `Content-MD5` is sent, it must be the base64 MD5 of the body received (as the client sends it):
 * else 400 `InvalidDigest`.
 */
function checkContentMd5(req: ParsedRequest): void {
  const digest = req.headers['content-md5'];
  if (digest === undefined) return;
  const actual = createHash('md5').update(req.body, 'utf8').digest('base64');
  if (digest.trim() !== actual) {
    throw invalidDigest(
      `The Content-MD5 you specified (${JSON.stringify(digest.slice(0, 40))}) does not match the MD5 of the body received.`,
    );
  }
}
