/**
 * Job notifications: what CI POSTs to a job's `CallBack` URL (or its queue's `NotifyConfig` URL) when the job ends
 * (spec component `JobNotification`; API page 1045/49513), parsed into the same typed `MediaJob` the list calls
 * return, and a receiver for Node's `http` and fetch-style servers.
 *
 * CI signs nothing in a callback (no signature, token or header to verify): to know a notification is yours, put a
 * secret in the callback URL you give CI (`CallBack: 'https://example.com/ci?token=<secret>'`) and let the handler
 * check it (`token` option).
 */
import { CiDecodeError, decodeDocument, decodeJsonDocument, type DecodedDocument } from '@cloud-infinite/runtime';
import { JobNotificationDocument } from './generated/shapes';
import type { JobNotification } from './generated/types';

export type { JobNotification };

/** Options of {@link parseJobNotification}. */
export interface ParseNotificationOptions {
  /**
   * The request's `Content-Type`. An XML type (`application/xml`, `text/xml`, `…+xml`) reads the body as XML, a JSON
   * type (`application/json`, `…+json`) as JSON; none, `text/plain` or `application/octet-stream` let the first
   * character decide (`<` or `{`). Any other type is refused.
   */
  readonly contentType?: string | null | undefined;
  /** Largest body accepted, in bytes (UTF-8). Default {@link DEFAULT_MAX_NOTIFICATION_BYTES}. */
  readonly maxBytes?: number;
}

/** Default largest notification body, in bytes: 1 MiB (a job's notification is a few KB). */
export const DEFAULT_MAX_NOTIFICATION_BYTES = 1024 * 1024;

/** What a notification body is written in. */
export type NotificationFormat = 'XML' | 'JSON';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The format a content type says, `undefined` when it leaves it to the body, or `false` when it is no notification's.
 */
export function formatOfContentType(contentType: string | null | undefined): NotificationFormat | undefined | false {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '' || type === 'text/plain' || type === 'application/octet-stream') return undefined;
  if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return 'XML';
  if (type === 'application/json' || type.endsWith('+json')) return 'JSON';
  return false;
}

function textOf(body: string | Uint8Array, maxBytes: number): string {
  if (typeof body === 'string') {
    // a string's UTF-8 size is at most 3 bytes a code unit; count only when it may matter
    if (body.length * 3 > maxBytes && new TextEncoder().encode(body).byteLength > maxBytes) {
      throw new CiDecodeError(`The notification is larger than ${maxBytes} bytes`);
    }
    return body;
  }
  if (!(body instanceof Uint8Array)) throw new CiDecodeError('A notification body is a string or a Uint8Array');
  if (body.byteLength > maxBytes) throw new CiDecodeError(`The notification (${body.byteLength} bytes) is larger than ${maxBytes} bytes`);
  try {
    return utf8.decode(body);
  } catch (cause) {
    throw new CiDecodeError('The notification is not valid UTF-8', { cause });
  }
}

/**
 * Parses a job notification, XML or JSON, into a typed {@link JobNotification}: `JobsDetail` always an array of
 * `MediaJob` (typed, with the spec's arrays and scalars, as the list calls decode them), `EventName` (`TaskFinish`)
 * when the body has one. An element the spec does not know is kept (`decodeNotification` gives the issues),
 * never refused. In a browser or a worker, a body outside the decoder's single-pass subset (a comment, CDATA)
 * needs `await loadXmlFallback()` first; on Node nothing is needed.
 * @throws CiDecodeError when the body is too large (`maxBytes`, default 1 MiB), not UTF-8, of a content type no
 *   notification has, not the notification document (another root, not well-formed, not JSON), or holds a value
 *   the spec cannot convert (the error names the path).
 */
export function parseJobNotification(body: string | Uint8Array, options: ParseNotificationOptions = {}): JobNotification {
  return decodeNotification(body, options).value as unknown as JobNotification;
}

/** {@link parseJobNotification} with the decoder's issues (elements the spec does not know, and so on). */
export function decodeNotification(body: string | Uint8Array, options: ParseNotificationOptions = {}): DecodedDocument {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_NOTIFICATION_BYTES;
  const declared = formatOfContentType(options.contentType);
  if (declared === false) {
    throw new CiDecodeError(`A notification is XML or JSON, not ${JSON.stringify(String(options.contentType).slice(0, 80))}`);
  }
  const text = textOf(body, maxBytes);
  return decodeText(text, declared ?? sniffFormat(text), maxBytes);
}

/** The format of a body whose content type leaves it open: JSON when its first character is `{`, else XML. */
function sniffFormat(text: string): NotificationFormat {
  return /^\ufeff?\s*(.)/s.exec(text)?.[1] === '{' ? 'JSON' : 'XML';
}

/**
 * Decodes a notification's text in a format; a document without a job (`{}`, `<Response/>`, another event's body
 * such as a workflow's, an `Error` document) is no job notification: a CiDecodeError.
 */
function decodeText(text: string, format: NotificationFormat, maxChars: number): DecodedDocument {
  const decoded =
    format === 'JSON'
      ? decodeJsonDocument(text, JobNotificationDocument, { maxChars })
      : decodeDocument(text, JobNotificationDocument, { maxChars });
  const jobs = (decoded.value as { JobsDetail?: unknown[] }).JobsDetail;
  if (!Array.isArray(jobs) || jobs.length === 0) {
    const keys = Object.keys(decoded.value).slice(0, 5).join(', ');
    throw new CiDecodeError(`Not a job notification: it has no JobsDetail (it has ${keys === '' ? 'nothing' : keys})`);
  }
  return decoded;
}

// ------------------------------------------------------------------------------------------- the receiver

/** What a receiver knows of a notification besides its content. */
export interface NotificationContext {
  /** The format the body was written in. */
  readonly format: NotificationFormat;
  /** The request's `Content-Type`, if any. */
  readonly contentType: string | undefined;
  /** The request's path and query, with the `tokenParameter`'s value replaced by `***` (see {@link redactToken}). */
  readonly url: string;
  /** What the decoder found that the spec does not say (e.g. a field it does not know); the value is kept. */
  readonly issues: DecodedDocument['issues'];
}

/** Why a request was not a notification, as `onError` is told. */
export interface NotificationErrorContext {
  /**
   * The status the request was answered with (400, 401, 405, 408, 413, 415; 500 when a body parser had read the
   * body first), or 200 when `onNotification` failed.
   */
  readonly status: number;
  /** The request's path and query, the token redacted. */
  readonly url: string;
}

/** Options of {@link createNotificationHandler}. */
export interface NotificationHandlerOptions {
  /** Largest body read, in bytes; a larger one is answered 413 unread. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Only this format: the other one is answered 415 (content type) or 400 (body). Default: either. */
  readonly expect?: NotificationFormat;
  /**
   * A secret the callback URL must carry in its query (`?token=<secret>`; the parameter is `tokenParameter`). CI
   * signs nothing, so this is how a receiver tells CI's notifications from anyone else's. A missing or wrong token
   * is answered 401 (compared in constant time, as written and percent-decoded: use a URL-safe secret, e.g. hex).
   * Default: none checked. Giving the option as `undefined` (an unset environment variable) is a TypeError, not
   * "no check".
   */
  readonly token?: string;
  /** The query parameter that carries `token`. Default `token`. */
  readonly tokenParameter?: string;
  /** Longest time the body may take to arrive, in milliseconds; then 408. Default 10000. */
  readonly bodyTimeoutMs?: number;
  /** Told of every refused request and of every failure of `onNotification`. Must not throw (it is caught if it does). */
  readonly onError?: (error: unknown, context: NotificationErrorContext) => void;
  /**
   * Keeps a serverless invocation alive until `onNotification` has settled: called with that promise right after
   * the 200 is answered. Give your platform's own, e.g. `waitUntil` of `@vercel/functions`, or Next.js's `after`.
   * Under Cloudflare Workers there is no need: a context argument with a `waitUntil` method (the third argument of
   * `fetch(request, env, ctx)`) is used by itself. Without either, the function runs after the answer on the event
   * loop, which a serverless platform may freeze once the response is sent.
   */
  readonly waitUntil?: (promise: Promise<void>) => void;
}

/** Called with each notification, after the request has been answered 200. A rejection goes to `onError`. */
export type OnNotification = (notification: JobNotification, context: NotificationContext) => void | Promise<void>;

/** The parts of Node's `http.IncomingMessage` the handler uses. */
export interface NodeRequestLike {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  pause?(): unknown;
  resume?(): unknown;
  destroy?(error?: Error): unknown;
  /** True when the stream was read to its end before the handler ran (by a body parser). */
  readonly readableEnded?: boolean;
  /** What a body parser kept: used when it is the raw body (a string or bytes, e.g. `express.raw()`), else a 500. */
  readonly body?: unknown;
  /** The raw body some frameworks keep beside a parsed `body`. */
  readonly rawBody?: unknown;
}

/** The parts of Node's `http.ServerResponse` the handler uses. */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
  readonly headersSent?: boolean;
}

/**
 * A handler for Node's `http` (`(req, res)`) and for fetch-style servers (`(request, ...context) =>
 * Promise<Response>`; a context argument with a `waitUntil` method, as Workers pass, keeps the invocation alive
 * until `onNotification` settles).
 */
export interface NotificationHandler {
  (req: NodeRequestLike, res: NodeResponseLike): void;
  (request: Request, ...context: unknown[]): Promise<Response>;
  /** The Node `http` form, explicitly. Never throws. */
  node(req: NodeRequestLike, res: NodeResponseLike): void;
  /** The fetch form, explicitly. Always resolves (never rejects). */
  fetch(request: Request, ...context: unknown[]): Promise<Response>;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const HANDLER_DEFAULTS = { maxBodyBytes: DEFAULT_MAX_NOTIFICATION_BYTES, tokenParameter: 'token', bodyTimeoutMs: 10_000 } as const;

/** `a === b`, in time that depends only on the lengths (a token is not leaked by how soon a guess fails). */
function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * A receiver of job notifications for Node's `http` and for fetch-style servers (Deno, Bun, Cloudflare Workers,
 * Next.js route handlers, undici). It answers at once — 200 with an empty body for a notification, before
 * `onNotification` runs, so CI never waits on your code — and never throws into the server:
 *
 * - 405 for a method other than POST; 401 when `token` is set and the URL's token is missing or wrong;
 * - 415 for a content type that is neither XML nor JSON (or not the `expect`ed one); 413 for a body larger than
 *   `maxBodyBytes` (checked on Content-Length first, then while reading); 408 when the body takes longer than
 *   `bodyTimeoutMs`; 400 for a body that is not a notification (see {@link parseJobNotification}) — each reported
 *   to `onError` with the status;
 * - a rejection or a throw of `onNotification` goes to `onError` with status 200.
 *
 * ```ts
 * import { createServer } from 'node:http';
 * const handler = createNotificationHandler((n) => console.log(n.JobsDetail[0]?.State), { token: process.env.CI_CALLBACK_TOKEN });
 * createServer(handler).listen(8080);          // Node
 * export default { fetch: handler };           // a fetch-style server
 * ```
 */
export function createNotificationHandler(onNotification: OnNotification, options: NotificationHandlerOptions = {}): NotificationHandler {
  const maxBodyBytes = checkedCount('maxBodyBytes', options.maxBodyBytes, HANDLER_DEFAULTS.maxBodyBytes, 2 ** 30);
  const bodyTimeoutMs = checkedCount('bodyTimeoutMs', options.bodyTimeoutMs, HANDLER_DEFAULTS.bodyTimeoutMs, 600_000);
  const tokenParameter = options.tokenParameter ?? HANDLER_DEFAULTS.tokenParameter;
  if (typeof onNotification !== 'function')
    throw new TypeError('createNotificationHandler needs a function to call with each notification');
  if ('token' in options && options.token === undefined) {
    // `token: process.env.X` with X unset must not turn the check off without a word
    throw new TypeError('token is undefined (an unset environment variable?): give the secret, or leave the option out to check none');
  }
  if (options.token !== undefined && (typeof options.token !== 'string' || options.token === '')) {
    throw new TypeError('token must be a non-empty string');
  }
  if (typeof tokenParameter !== 'string' || tokenParameter === '') throw new TypeError('tokenParameter must be a non-empty string');

  const report = (error: unknown, context: NotificationErrorContext) => {
    try {
      options.onError?.(error, context);
    } catch {
      // onError must not throw into the server; if it does, there is nowhere else to say it
    }
  };

  const redactedUrl = (raw: string | undefined): string => redactToken(raw ?? '/', tokenParameter);

  /** The checks that need no body: method, token, content type, declared size. Throws a Refusal. */
  const admit = (
    method: string | undefined,
    rawUrl: string | undefined,
    contentType: string | undefined,
    contentLength: string | undefined,
  ) => {
    if ((method ?? 'GET').toUpperCase() !== 'POST')
      throw new Refusal(405, `A notification is a POST, not ${method ?? 'a request without a method'}`);
    if (options.token !== undefined) {
      const given = tokenOf(rawUrl ?? '/', tokenParameter);
      // the value as written, or percent-decoded (a token with `+` pasted into the URL unencoded is still the token)
      const right = given !== undefined && (sameSecret(given.raw, options.token) || sameSecret(given.decoded, options.token));
      if (!right) throw new Refusal(401, `The ${tokenParameter} of the notification URL is missing or wrong`);
    }
    const declared = formatOfContentType(contentType);
    if (declared === false || (options.expect !== undefined && declared !== undefined && declared !== options.expect)) {
      throw new Refusal(415, `Content-Type ${JSON.stringify(String(contentType).slice(0, 80))} is not ${options.expect ?? 'XML or JSON'}`);
    }
    const length = contentLength === undefined ? Number.NaN : Number(contentLength);
    if (Number.isFinite(length) && length > maxBodyBytes)
      throw new Refusal(413, `The notification (${length} bytes) is larger than ${maxBodyBytes} bytes`);
  };

  /** Parses the body; the context for onNotification. Throws a Refusal (400). */
  const parse = (
    body: Uint8Array,
    contentType: string | undefined,
    url: string,
  ): { notification: JobNotification; context: NotificationContext } => {
    let decoded: DecodedDocument;
    let format: NotificationFormat;
    try {
      const text = textOf(body, maxBodyBytes);
      format = formatOfContentType(contentType) || sniffFormat(text);
      if (options.expect !== undefined && format !== options.expect)
        throw new CiDecodeError(`Expected a ${options.expect} notification, got ${format}`);
      decoded = decodeText(text, format, maxBodyBytes);
    } catch (cause) {
      throw new Refusal(400, `Not a job notification: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
    return {
      notification: decoded.value as unknown as JobNotification,
      context: { format, contentType, url, issues: decoded.issues },
    };
  };

  /**
   * Runs the user's function after the answer; nothing it does reaches the server. The promise of its end goes to
   * `waitUntil` (the option, or a platform context's method) so that a serverless invocation lives until then.
   */
  const deliver = (notification: JobNotification, context: NotificationContext, platform?: unknown[]) => {
    const run = async () => {
      try {
        await onNotification(notification, context);
      } catch (error) {
        report(error, { status: 200, url: context.url });
      }
    };
    const settled = new Promise<void>((resolve) => setTimeout(() => void run().then(resolve), 0));
    const keepAlive = options.waitUntil ?? platformWaitUntil(platform);
    if (!keepAlive) return;
    try {
      keepAlive(settled);
    } catch (error) {
      report(error, { status: 200, url: context.url });
    }
  };

  const node = (req: NodeRequestLike, res: NodeResponseLike): void => {
    const url = redactedUrl(req.url);
    const answer = (status: number, message?: string) => {
      try {
        if (res.headersSent) return;
        res.statusCode = status;
        if (status === 405) res.setHeader('allow', 'POST');
        if (status >= 400) res.setHeader('connection', 'close');
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end(message ? `${message}\n` : '');
      } catch (error) {
        report(error, { status, url });
      }
    };
    const refuse = (error: unknown) => {
      const status = error instanceof Refusal ? error.status : 400;
      answer(status, error instanceof Refusal ? error.message : 'Bad request');
      report(error instanceof Refusal && error.cause !== undefined ? error.cause : error, { status, url });
    };
    try {
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v.join(', ') : v;
      };
      const contentType = header('content-type');
      admit(req.method, req.url, contentType, header('content-length'));
      if (req.readableEnded === true) {
        // another middleware (express.json(), body-parser…) read the stream first: use what it kept, if it is the body
        const kept = req.rawBody ?? req.body;
        if (typeof kept !== 'string' && !(kept instanceof Uint8Array)) {
          throw new Refusal(
            500,
            'The request body was already read by another middleware (e.g. express.json()); mount the handler before body parsers, or use express.raw({ type: () => true }) for its route',
          );
        }
        const body = typeof kept === 'string' ? new TextEncoder().encode(kept) : kept;
        if (body.byteLength > maxBodyBytes) throw new Refusal(413, `The notification is larger than ${maxBodyBytes} bytes`);
        const { notification, context } = parse(body, contentType, url);
        answer(200);
        deliver(notification, context);
        return;
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      let done = false;
      const timer = setTimeout(
        () => finish(new Refusal(408, `The notification body did not arrive within ${bodyTimeoutMs} ms`)),
        bodyTimeoutMs,
      );
      const finish = (error?: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (error !== undefined) {
          refuse(error);
          req.destroy?.();
          return;
        }
        try {
          const body = new Uint8Array(size);
          let at = 0;
          for (const c of chunks) {
            body.set(c, at);
            at += c.byteLength;
          }
          const { notification, context } = parse(body, contentType, url);
          answer(200);
          deliver(notification, context);
        } catch (e) {
          refuse(e);
        }
      };
      req.on('data', (chunk) => {
        if (done) return;
        const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
        size += bytes.byteLength;
        if (size > maxBodyBytes) finish(new Refusal(413, `The notification is larger than ${maxBodyBytes} bytes`));
        else chunks.push(bytes);
      });
      req.on('end', () => finish());
      req.on('error', (error) => finish(new Refusal(400, `The notification could not be read: ${error.message}`, { cause: error })));
      req.on('close', () => finish(new Refusal(400, 'The connection closed before the notification was read')));
    } catch (error) {
      refuse(error);
      req.resume?.();
    }
  };

  const fetchHandler = async (request: Request, ...platform: unknown[]): Promise<Response> => {
    const target = (() => {
      try {
        const u = new URL(request.url);
        return `${u.pathname}${u.search}`;
      } catch {
        return '/';
      }
    })();
    const url = redactedUrl(target);
    const refuse = (error: unknown): Response => {
      const status = error instanceof Refusal ? error.status : 400;
      report(error instanceof Refusal && error.cause !== undefined ? error.cause : error, { status, url });
      return new Response(`${error instanceof Refusal ? error.message : 'Bad request'}\n`, {
        status,
        headers: { 'content-type': 'text/plain; charset=utf-8', ...(status === 405 ? { allow: 'POST' } : {}) },
      });
    };
    try {
      const contentType = request.headers.get('content-type') ?? undefined;
      admit(request.method, target, contentType, request.headers.get('content-length') ?? undefined);
      if (request.bodyUsed) {
        // the server's own code read it first: not the sender's fault, so not a 4xx (which CI would not retry)
        throw new Refusal(500, 'The request body was already read before the notification handler ran');
      }
      const body = await readLimited(request, maxBodyBytes, bodyTimeoutMs);
      const { notification, context } = parse(body, contentType, url);
      deliver(notification, context, platform);
      return new Response(null, { status: 200 });
    } catch (error) {
      return refuse(error);
    }
  };

  // the Node form only when the second argument is a response: fetch-style servers pass other things there
  // (Workers `env`, Bun's `server`, Deno's `info`, Next.js's `{ params }`)
  const handler = ((a: NodeRequestLike | Request, ...rest: unknown[]) => {
    if (isNodeResponse(rest[0])) return node(a as NodeRequestLike, rest[0]);
    return fetchHandler(a as Request, ...rest);
  }) as NotificationHandler;
  handler.node = node;
  handler.fetch = fetchHandler;
  return handler;
}

/** The `waitUntil` of a platform context among the fetch form's extra arguments (Workers' `ctx`), bound to it. */
function platformWaitUntil(args: readonly unknown[] | undefined): ((promise: Promise<void>) => void) | undefined {
  for (const arg of args ?? []) {
    const method = typeof arg === 'object' && arg !== null ? (arg as { waitUntil?: unknown }).waitUntil : undefined;
    if (typeof method === 'function') return (promise) => void method.call(arg, promise);
  }
  return undefined;
}

/** Whether a value is a Node `ServerResponse` (or like one): it has `setHeader` and `end`. */
function isNodeResponse(value: unknown): value is NodeResponseLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as NodeResponseLike).setHeader === 'function' &&
    typeof (value as NodeResponseLike).end === 'function'
  );
}

/** An option that must be an integer from 1 to `max`; its default when absent. Throws a RangeError. */
function checkedCount(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${name} must be an integer from 1 to ${max}, got ${String(value)}`);
  }
  return value;
}

/** Percent-decodes a query component (`+` is a space); undefined when it is not valid percent-encoding. */
function decodeQueryPart(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The first query parameter of a URL (path and query) whose decoded name is `name`: its value as written and decoded. */
function tokenOf(url: string, name: string): { raw: string; decoded: string } | undefined {
  const query = url.split('#')[0]!.split('?').slice(1).join('?');
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    if (decodeQueryPart(rawName) !== name) continue;
    const raw = eq < 0 ? '' : part.slice(eq + 1);
    return { raw, decoded: decodeQueryPart(raw) ?? raw };
  }
  return undefined;
}

/**
 * A URL (path and query) with the value of every query parameter whose decoded name is `name` replaced by `***`
 * (so `?tok%65n=…` is hidden too).
 */
export function redactToken(url: string, name = 'token'): string {
  const hash = url.indexOf('#');
  const head = hash < 0 ? url : url.slice(0, hash);
  const q = head.indexOf('?');
  if (q < 0) return head;
  const parts = head
    .slice(q + 1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const rawName = eq < 0 ? part : part.slice(0, eq);
      return decodeQueryPart(rawName) === name ? `${rawName}=***` : part;
    });
  return `${head.slice(0, q)}?${parts.join('&')}`;
}

/** A fetch Request's body, at most `maxBytes`, within `timeoutMs`. Throws a Refusal (413, 408, 400). */
async function readLimited(request: Request, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timedOut = false;
  // one timer for the whole body: it cancels the read under way (which then ends), instead of a race per chunk
  const timer = setTimeout(() => {
    timedOut = true;
    void reader.cancel().catch(() => undefined);
  }, timeoutMs);
  const late = () => new Refusal(408, `The notification body did not arrive within ${timeoutMs} ms`);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (timedOut) throw late();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw new Refusal(413, `The notification is larger than ${maxBytes} bytes`);
      chunks.push(value);
    }
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    if (error instanceof Refusal) throw error;
    if (timedOut) throw late();
    throw new Refusal(400, `The notification could not be read: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}
