/**
 * Job notifications of the fake service: when a job ends (Success or Failed), it POSTs the `TaskFinish`
 * notification (spec webhook `JobNotification`, API 1045/49513) to the job's `CallBack` (CreateMediaJobs), in its
 * `CallBackFormat`, or else to its queue's `NotifyConfig.Url` when that is `On`, of `Type` Url and subscribed to
 * `TaskFinish`, in the queue's `ResultFormat` (the job's `CallBackFormat` wins). `CallBack` `no` turns the queue's
 * callback off for that job (API 1045/73149).
 *
 * Each delivery is recorded ({@link NotificationDelivery}) with its attempts and outcome. A failed attempt (no
 * answer, or a status other than 2xx) is retried with doubling backoff. Redirects are never followed. By default
 * only loopback destinations are sent to (`localhost`, `127.0.0.0/8`, `[::1]`), so a test fake can never relay to
 * other hosts; {@link NotificationOptions.allowHosts} allows more, explicitly, or narrows it (to one port). Loopback
 * is still this machine: a fake that others can reach (`ci-media mock serve --host 0.0.0.0`) would let them POST
 * to its local services, which is why `ci-media mock serve` delivers only when asked, and only on loopback.
 */
import type { JobNotification, MediaJob, MediaQueue } from '@cloud-infinite/client';
import { shapes } from '@cloud-infinite/client';
import { encodeDocument, encodeJsonForm } from './xml';

/** Where a delivery's URL came from: the job's `CallBack`, or its queue's `NotifyConfig.Url`. */
export type NotificationSource = 'CallBack' | 'NotifyConfig';

/**
 * Where a delivery stands.
 * - `pending`: being sent, or waiting to be retried;
 * - `delivered`: a 2xx answer;
 * - `failed`: every attempt failed (see `attempts`), or the service was closed first;
 * - `refused`: not sent: the URL is not an allowed destination (see `reason`);
 * - `recorded`: not sent on purpose (`send: false`, the MSW handlers' default);
 * - `unsupported`: the callback is TDMQ or Kafka, which the fake does not deliver (see `reason`).
 */
export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'refused' | 'recorded' | 'unsupported';

/** One attempt to send a delivery. */
export interface DeliveryAttempt {
  /** When it started, ms since the epoch (real time). */
  readonly startedAt: number;
  /** How long it took, ms. */
  readonly durationMs: number;
  /** The receiver's HTTP status, when it answered. */
  readonly status?: number;
  /** Why there was no answer (connection refused, timeout…), when there was none. */
  readonly error?: string;
}

/**
 * One notification the fake service sent (or would have): its destination, body and outcome. The record is
 * live: `state` and `attempts` change until the delivery settles (any state but `pending`).
 */
export interface NotificationDelivery {
  /** 1, 2, 3… in the order the jobs ended. */
  readonly id: number;
  /** The job that ended. */
  readonly jobId: string;
  /** The destination, as the job or queue gave it. */
  readonly url: string;
  /** Whether the URL is the job's `CallBack` or its queue's `NotifyConfig.Url`. */
  readonly source: NotificationSource;
  /** The body's format: the job's `CallBackFormat`, else the queue's `ResultFormat`, else XML. */
  readonly format: 'XML' | 'JSON';
  /** `application/xml` or `application/json` (CI documents only the XML one). */
  readonly contentType: string;
  /** The body POSTed: the XML document, or its JSON form (no root, strings, a single element not an array). */
  readonly body: string;
  /** The notification as a typed value (what `parseJobNotification` of the body returns). */
  readonly notification: JobNotification;
  /** Where it stands (see {@link DeliveryState}). */
  readonly state: DeliveryState;
  /** Why it was refused, unsupported or failed. */
  readonly reason?: string;
  /** Each attempt to send it, in order (none when it was not sent). */
  readonly attempts: readonly DeliveryAttempt[];
}

/** How the fake service delivers notifications (`FakeCiOptions.notifications`). */
export interface NotificationOptions {
  /** `false`: record deliveries without sending them (state `recorded`). Default true (false for the MSW handlers). */
  readonly send?: boolean;
  /**
   * Where deliveries may go. A list of host names (as `new URL(url).hostname` spells them, compared
   * case-insensitively, e.g. `hooks.internal`) allows those besides loopback ones. A function decides for **every**
   * destination, loopback ones included (so `(url) => url.port === '9100'` allows one local receiver and nothing
   * else). Default: loopback hosts only.
   */
  readonly allowHosts?: readonly string[] | ((url: URL) => boolean);
  /** Attempts per delivery, the first included (1..10); default 4. */
  readonly attempts?: number;
  /** Wait before the first retry, ms (0..60 000); it doubles each time, up to {@link MAX_BACKOFF_MS}. Default 100. */
  readonly backoffMs?: number;
  /** Time an attempt may take, ms (1..60 000); default 5 000. */
  readonly timeoutMs?: number;
  /** Deliveries kept in `service.notifications` (1..1 000 000): beyond it the oldest are dropped. Default 10 000. */
  readonly maxRecords?: number;
  /** The fetch used to send; default the global one. */
  readonly fetch?: typeof fetch;
}

/** What a job's CreateMediaJobs request said about its callback. */
export interface JobCallback {
  /** The job's callback URL; `no`: no callback, not even the queue's. */
  readonly CallBack?: string;
  /** `XML` (default) or `JSON`; wins over the queue's `ResultFormat`. */
  readonly CallBackFormat?: string;
  /** `Url` (default), `TDMQ` or `Kafka` (the fake delivers only Url). */
  readonly CallBackType?: string;
}

/** Which deliveries {@link NotificationOutbox.waitFor} waits for: a job id, or a predicate. */
export type DeliveryMatch = string | ((delivery: NotificationDelivery) => boolean);

/** Options of {@link NotificationOutbox.waitFor}. */
export interface WaitForDeliveryOptions {
  /** Give up after this many ms (rejecting with a RangeError); default 10 000. */
  readonly timeoutMs?: number;
  /** Stop waiting when it aborts (rejecting with its reason). */
  readonly signal?: AbortSignal;
}

/** The content type of a notification body, by format (CI documents only the XML one, API 1045/49513). */
export const NOTIFICATION_CONTENT_TYPES = { XML: 'application/xml', JSON: 'application/json' } as const;

/**
 * The body CI POSTs when `job` ends (spec webhook `JobNotification`, API 1045/49513): `<Response>` with
 * `EventName` TaskFinish and the job as `JobsDetail`, or its JSON form (see `encodeJsonForm`). Handy to test a
 * notification receiver without a service. Throws a CiValidationError when `job` is not a job the spec allows.
 */
export function encodeJobNotification(job: MediaJob, format: 'XML' | 'JSON' = 'XML'): string {
  const notification: JobNotification = { EventName: 'TaskFinish', JobsDetail: [job] };
  return format === 'JSON'
    ? encodeJsonForm(notification, shapes.documents.JobNotification)
    : encodeDocument(notification, shapes.documents.JobNotification);
}

/** The events a queue's `NotifyConfig.Event` may list that mean "a job ended" (`TransCodingFinish` is the legacy name, Java MediaNotifyConfig). */
const JOB_END_EVENTS = new Set(['TaskFinish', 'TransCodingFinish']);

const DEFAULTS = { attempts: 4, backoffMs: 100, timeoutMs: 5_000, maxRecords: 10_000 } as const;

/** Longest wait between two attempts, ms (the doubling stops there). */
export const MAX_BACKOFF_MS = 60_000;

/** Attempts under way at once; more wait their turn, in order (a delivery waiting out its backoff holds none). */
export const MAX_DELIVERIES_IN_FLIGHT = 8;

/** Deliveries waiting for a slot at most; one more is recorded as failed, unsent. */
export const MAX_DELIVERIES_QUEUED = 10_000;

/**
 * Whether a URL's host is a loopback address: `localhost`, an IPv4 address in `127.0.0.0/8` (any spelling the
 * URL parser normalises, e.g. `0x7f.1`), `[::1]`, or an IPv4-mapped `[::ffff:127.x.y.z]`.
 */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  if (host === 'localhost') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  return host === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}

type MutableDelivery = { -readonly [K in keyof NotificationDelivery]: NotificationDelivery[K] } & { attempts: DeliveryAttempt[] };

interface Waiter {
  readonly match: DeliveryMatch | undefined;
  readonly resolve: (delivery: NotificationDelivery) => void;
  readonly reject: (error: unknown) => void;
}

const checkCount = (name: string, value: number | undefined, fallback: number, min: number, max: number): number => {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`notifications.${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
};

/** The error a waiter gets when the service closes. */
const closedError = (): Error => new Error('The fake CI service was closed before the notification settled.');

/**
 * The deliveries of one service: decides where a notification goes, sends it (at most
 * {@link MAX_DELIVERIES_IN_FLIGHT} at once, the others queued in order), retries and records.
 */
export class NotificationOutbox {
  readonly #send: boolean;
  readonly #allow: (url: URL) => boolean;
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #timeoutMs: number;
  readonly #maxRecords: number;
  readonly #fetch: typeof fetch | undefined;
  readonly #callbacks = new Map<string, JobCallback>();
  readonly #deliveries: MutableDelivery[] = [];
  #count = 0;
  readonly #waiters = new Set<Waiter>();
  /** Deliveries waiting for a slot, in order. */
  readonly #queued: MutableDelivery[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  /** Deliveries waiting out their backoff (holding no slot), each until its timer puts it back in the queue. */
  readonly #backingOff = new Map<
    MutableDelivery,
    { readonly timer: ReturnType<typeof setTimeout>; readonly done: Promise<void>; readonly resolve: () => void }
  >();
  readonly #closed = new AbortController();
  /** What to stop when the service closes (retry pauses); one listener on the close signal for all of them. */
  readonly #onClose = new Set<() => void>();

  constructor(options: NotificationOptions = {}) {
    this.#send = options.send ?? true;
    const allowHosts = options.allowHosts ?? [];
    if (typeof allowHosts === 'function') this.#allow = allowHosts;
    else {
      const hosts = new Set(allowHosts.map((h) => String(h).toLowerCase()));
      this.#allow = (url) => isLoopbackUrl(url) || hosts.has(url.hostname.toLowerCase());
    }
    this.#attempts = checkCount('attempts', options.attempts, DEFAULTS.attempts, 1, 10);
    this.#backoffMs = checkCount('backoffMs', options.backoffMs, DEFAULTS.backoffMs, 0, MAX_BACKOFF_MS);
    this.#timeoutMs = checkCount('timeoutMs', options.timeoutMs, DEFAULTS.timeoutMs, 1, 60_000);
    this.#maxRecords = checkCount('maxRecords', options.maxRecords, DEFAULTS.maxRecords, 1, 1_000_000);
    this.#fetch = options.fetch;
    this.#closed.signal.addEventListener(
      'abort',
      () => {
        for (const stop of [...this.#onClose]) stop();
      },
      { once: true },
    );
  }

  /** The deliveries kept (the newest `maxRecords`), in order (live records; see {@link NotificationDelivery}). */
  get deliveries(): readonly NotificationDelivery[] {
    return [...this.#deliveries];
  }

  /** Remembers what a new job's CreateMediaJobs said about its callback (until the job ends). */
  watch(jobId: string, callback: JobCallback): void {
    if (callback.CallBack !== undefined || callback.CallBackFormat !== undefined || callback.CallBackType !== undefined) {
      this.#callbacks.set(jobId, callback);
    }
  }

  /**
   * A job ended: sends its notification where the job (or else its queue) says, if anywhere. A canceled job
   * sends none (CI documents `TaskFinish` for jobs that complete; whether a cancel notifies is not documented).
   * Never throws.
   */
  jobEnded(job: MediaJob, queue: MediaQueue | undefined): void {
    const callback = this.#callbacks.get(job.JobId) ?? {};
    this.#callbacks.delete(job.JobId);
    if (job.State !== 'Success' && job.State !== 'Failed') return;
    const target = destination(callback, queue);
    if (!target) return;
    const notification: JobNotification = { EventName: 'TaskFinish', JobsDetail: [job] };
    const format = target.format === 'JSON' ? 'JSON' : 'XML';
    let body: string;
    let unencodable: string | undefined;
    try {
      body = encodeJobNotification(job, format);
    } catch (error) {
      // a job the store holds but XML cannot carry (a test put it there): recorded as failed, never thrown
      body = '';
      unencodable = `the notification could not be encoded: ${error instanceof Error ? error.message : String(error)}`;
    }
    const delivery: MutableDelivery = {
      id: ++this.#count,
      jobId: job.JobId,
      url: target.url,
      source: target.source,
      format,
      contentType: NOTIFICATION_CONTENT_TYPES[format],
      body,
      notification,
      state: 'pending',
      attempts: [],
    };
    this.#keep(delivery);
    if (unencodable !== undefined) return this.#settle(delivery, 'failed', unencodable);
    if (target.type !== 'Url') return this.#settle(delivery, 'unsupported', `the fake does not deliver ${target.type} callbacks`);
    const refusal = this.#refusal(target.url);
    if (refusal !== undefined) return this.#settle(delivery, 'refused', refusal);
    if (!this.#send) return this.#settle(delivery, 'recorded');
    if (this.#closed.signal.aborted) return this.#settle(delivery, 'failed', 'the fake CI service was closed');
    this.#enqueue(delivery);
  }

  /**
   * Resolves with the first delivery (already made, or to come) that matches and has settled (any state but
   * `pending`): `match` is a job id or a predicate; without one, any delivery. Rejects with a RangeError after
   * `timeoutMs` (default 10 000), with the signal's reason when it aborts, with an Error when the service is (or
   * gets) closed, and with what the predicate throws.
   */
  waitFor(match?: DeliveryMatch, options: WaitForDeliveryOptions = {}): Promise<NotificationDelivery> {
    const timeoutMs = checkCount('waitFor timeoutMs', options.timeoutMs, 10_000, 1, 3_600_000);
    const { signal } = options;
    let found: NotificationDelivery | undefined;
    try {
      found = this.#deliveries.find((d) => d.state !== 'pending' && matches(match, d));
    } catch (error) {
      return Promise.reject(error);
    }
    if (found) return Promise.resolve(found);
    if (this.#closed.signal.aborted) return Promise.reject(closedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<NotificationDelivery>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#onClose.delete(onClose);
        this.#waiters.delete(waiter);
      };
      const waiter: Waiter = {
        match,
        resolve: (delivery) => {
          done();
          resolve(delivery);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      const onAbort = (): void => waiter.reject(signal!.reason);
      const onClose = (): void => waiter.reject(closedError());
      const timer = setTimeout(() => {
        const what = typeof match === 'string' ? ` of job ${match}` : match ? ' matching the predicate' : '';
        waiter.reject(new RangeError(`No notification${what} settled within ${timeoutMs} ms (${this.#count} deliveries so far).`));
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#onClose.add(onClose);
      this.#waiters.add(waiter);
    });
  }

  /** Resolves when no delivery is pending (queued, in flight or waiting out its backoff), with the deliveries kept. */
  async settled(): Promise<readonly NotificationDelivery[]> {
    while (this.#inFlight.size || this.#backingOff.size) {
      await Promise.all([...this.#inFlight, ...[...this.#backingOff.values()].map((b) => b.done)]);
    }
    return this.deliveries;
  }

  /** Stops: in-flight attempts are aborted, queued and pending deliveries fail, waiters reject. Idempotent. */
  close(): void {
    this.#closed.abort(new Error('The fake CI service was closed.'));
    for (const delivery of this.#queued.splice(0)) this.#settle(delivery, 'failed', 'the fake CI service was closed');
    for (const [delivery, { timer, resolve }] of [...this.#backingOff]) {
      clearTimeout(timer);
      this.#backingOff.delete(delivery);
      this.#settle(delivery, 'failed', 'the fake CI service was closed');
      resolve(); // settled() stops waiting for it
    }
  }

  /** Queues a delivery for its next attempt (refused as failed when the queue is full), and starts what may start. */
  #enqueue(delivery: MutableDelivery): void {
    if (this.#queued.length >= MAX_DELIVERIES_QUEUED) {
      return this.#settle(delivery, 'failed', `${MAX_DELIVERIES_QUEUED} deliveries were already waiting to be sent`);
    }
    this.#queued.push(delivery);
    this.#startQueued();
  }

  /** Records a delivery, dropping the oldest beyond `maxRecords` (a dropped pending one still settles, and waiters still see it). */
  #keep(delivery: MutableDelivery): void {
    this.#deliveries.push(delivery);
    if (this.#deliveries.length > this.#maxRecords) this.#deliveries.shift();
  }

  /** Starts queued deliveries while fewer than {@link MAX_DELIVERIES_IN_FLIGHT} are in flight. */
  #startQueued(): void {
    while (this.#inFlight.size < MAX_DELIVERIES_IN_FLIGHT && this.#queued.length) {
      const delivery = this.#queued.shift()!;
      const running: Promise<void> = this.#deliver(delivery).finally(() => {
        this.#inFlight.delete(running);
        this.#startQueued();
      });
      this.#inFlight.add(running);
    }
  }

  /** Why a URL may not be sent to, or undefined when it may. */
  #refusal(text: string): string | undefined {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return 'the callback is not an absolute URL';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `the callback's scheme is ${url.protocol}, not http: or https:`;
    if (url.username || url.password) return 'the callback URL carries user information';
    let allowed = false;
    try {
      allowed = this.#allow(url) === true;
    } catch {
      allowed = false;
    }
    if (allowed) return undefined;
    return isLoopbackUrl(url)
      ? `${url.host} is not allowed by notifications.allowHosts`
      : `${url.hostname} is not a loopback host and is not in notifications.allowHosts`;
  }

  /**
   * One attempt of a delivery, in a slot: settles it on a 2xx or after its last attempt; otherwise it waits out its
   * backoff (doubling, at most {@link MAX_BACKOFF_MS}) outside the slot, then queues again.
   */
  async #deliver(delivery: MutableDelivery): Promise<void> {
    if (this.#closed.signal.aborted) return this.#settle(delivery, 'failed', 'the fake CI service was closed');
    const status = await this.#attempt(this.#fetch ?? globalThis.fetch, delivery);
    if (status !== undefined && status >= 200 && status < 300) return this.#settle(delivery, 'delivered');
    const attempt = delivery.attempts.length;
    if (attempt >= this.#attempts) {
      const last = delivery.attempts.at(-1);
      return this.#settle(delivery, 'failed', `${attempt} attempts failed; the last: ${last?.error ?? `HTTP ${last?.status}`}`);
    }
    if (this.#closed.signal.aborted) return this.#settle(delivery, 'failed', 'the fake CI service was closed');
    this.#backOff(delivery, Math.min(this.#backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS));
  }

  /** Puts a delivery back in the queue after `ms` (a ref'd timer; close() clears it and fails the delivery). */
  #backOff(delivery: MutableDelivery, ms: number): void {
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const timer = setTimeout(() => {
      this.#backingOff.delete(delivery);
      this.#enqueue(delivery);
      resolve();
    }, ms);
    this.#backingOff.set(delivery, { timer, done, resolve });
  }

  /** One attempt, recorded; the receiver's status, or undefined when there was no answer. */
  async #attempt(send: typeof fetch, delivery: MutableDelivery): Promise<number | undefined> {
    const startedAt = Date.now();
    const signal = AbortSignal.any([this.#closed.signal, AbortSignal.timeout(this.#timeoutMs)]);
    try {
      const res = await send(delivery.url, {
        method: 'POST',
        headers: { 'content-type': delivery.contentType },
        body: delivery.body,
        redirect: 'manual',
        signal,
      });
      await res.body?.cancel().catch(() => undefined);
      delivery.attempts.push({ startedAt, durationMs: Date.now() - startedAt, status: res.status });
      return res.status;
    } catch (err) {
      delivery.attempts.push({ startedAt, durationMs: Date.now() - startedAt, error: describe(err, signal, this.#timeoutMs) });
      return undefined;
    }
  }

  /** Settles a delivery and tells the waiters it matches (a waiter whose predicate throws is rejected with it). */
  #settle(delivery: MutableDelivery, state: Exclude<DeliveryState, 'pending'>, reason?: string): void {
    delivery.state = state;
    if (reason !== undefined) delivery.reason = reason;
    for (const waiter of [...this.#waiters]) {
      let hit: boolean;
      try {
        hit = matches(waiter.match, delivery);
      } catch (error) {
        waiter.reject(error);
        continue;
      }
      if (hit) waiter.resolve(delivery);
    }
  }
}

/** Where a job's notification goes: its own callback wins; `CallBack` `no` turns the queue's off. */
function destination(
  callback: JobCallback,
  queue: MediaQueue | undefined,
): { url: string; source: NotificationSource; format: string; type: string } | undefined {
  if (callback.CallBack === 'no') return undefined;
  if (callback.CallBack) {
    return { url: callback.CallBack, source: 'CallBack', format: callback.CallBackFormat ?? 'XML', type: callback.CallBackType ?? 'Url' };
  }
  const notify = queue?.NotifyConfig;
  if (notify?.State !== 'On') return undefined;
  const events = (notify.Event ?? '').split(',').map((e) => e.trim());
  if (!events.some((e) => JOB_END_EVENTS.has(e))) return undefined;
  const type = callback.CallBackType ?? notify.Type ?? 'Url';
  if (type === 'Url' && !notify.Url) return undefined;
  return { url: notify.Url ?? '', source: 'NotifyConfig', format: callback.CallBackFormat ?? notify.ResultFormat ?? 'XML', type };
}

const matches = (match: DeliveryMatch | undefined, delivery: NotificationDelivery): boolean =>
  match === undefined ? true : typeof match === 'string' ? delivery.jobId === match : match(delivery) === true;

/** A short reason for an attempt with no answer (the error's code when it has one). */
function describe(err: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code) return cause.code;
  return err instanceof Error ? err.message : String(err);
}
