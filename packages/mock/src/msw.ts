/**
 * `@cloud-infinite/mock/msw` — MSW (Mock Service Worker, v2) handlers: {@link createCiHandlers} answers every
 * operation with a {@link FakeCiService}; {@link handlersFromRecordings} replays `.http` recordings. The only
 * module of the package that imports `msw`; install msw (^2.10) to use it.
 *
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createCiHandlers } from '@cloud-infinite/mock/msw';
 * const handlers = createCiHandlers({ jobs: 50 });
 * const server = setupServer(...handlers);
 * // handlers.service is the FakeCiService behind them; handlers.service.notifications the job notifications
 * // it would have sent (state `recorded`: MSW mode sends none unless `notifications: { send: true }`)
 * ```
 */
import { http, HttpResponse, type HttpHandler, type HttpRequestHandler } from 'msw';
import { FakeConnectionError } from './faults';
import { loadRecordings, type Recording } from './recordings';
import type { FakeResponse } from './request';
import { ROUTES } from './router';
import { FakeCiService, type FakeCiOptions } from './service';

/** Options of {@link createCiHandlers}: the service's options, and which requests the handlers answer. */
export interface CiHandlersOptions extends FakeCiOptions {
  /**
   * The origin the handlers answer, e.g. `http://ci.test` or `https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com`.
   * Default: `https://<bucket>.ci.<region>.myqcloud.com` when both `bucket` and `region` are given, else any
   * origin (then the handlers answer `/jobs`, `/queue`, `/template`… of every host, and only those paths).
   */
  readonly baseUrl?: string;
  /** Answer with this service (its own options apply; the service options given here are ignored). */
  readonly service?: FakeCiService;
}

/** The handlers of {@link createCiHandlers}, with the service that answers them. */
export type CiHandlers = HttpHandler[] & { readonly service: FakeCiService };

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A RegExp source matching an origin: the given one exactly, or any `http(s)://host[:port]`. */
function originPattern(baseUrl: string | undefined): string {
  if (baseUrl === undefined) return 'https?:\\/\\/[^/]+';
  let origin: string;
  try {
    origin = new URL(baseUrl).origin;
  } catch {
    throw new TypeError(`baseUrl must be an absolute URL, got ${JSON.stringify(baseUrl)}`);
  }
  return escapeRegExp(origin);
}

/**
 * MSW handlers for every operation of the spec, answered by a {@link FakeCiService} (signature check, state,
 * paging, the job state machine and fault injection, as over HTTP). With a specific origin, other paths of it
 * are answered too (404 `ResourceNotFound`, 405 `MethodNotAllowed`). A `reset` fault answers a network error
 * (`Response.error()`); `truncated` a body stream that fails halfway; `slow` waits (and stops when the request
 * is aborted).
 *
 * ```ts
 * const handlers = createCiHandlers({ bucket: 'examplebucket-1250000000', region: 'ap-beijing', jobProgression: { afterPolls: 1 } });
 * server.use(...handlers);
 * const ci = new CiMediaClient({ bucket: 'examplebucket-1250000000', region: 'ap-beijing', credentials: DEMO_CREDENTIALS });
 * ```
 */
export function createCiHandlers(options: CiHandlersOptions = {}): CiHandlers {
  // a delivery's own fetch would meet these handlers: record notifications unless told to send them
  const service = options.service ?? new FakeCiService({ ...options, notifications: { send: false, ...options.notifications } });
  const baseUrl =
    options.baseUrl ?? (options.bucket && options.region ? `https://${options.bucket}.ci.${options.region}.myqcloud.com` : undefined);
  const origin = originPattern(baseUrl);

  const resolver = async ({ request }: { request: Request }): Promise<Response> => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    headers.host ??= new URL(request.url).host; // fetch never exposes Host; the client signs the URL's
    const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    try {
      return toResponse(await service.handle({ method: request.method, url: request.url, headers, body }, { signal: request.signal }));
    } catch (err) {
      if (err instanceof FakeConnectionError) return HttpResponse.error();
      throw err;
    }
  };

  const handlers: HttpHandler[] = ROUTES.map((route) => {
    const path = route.path
      .split(/\{\w+\}/)
      .map(escapeRegExp)
      .join('[^/]+');
    return forMethod(route.method)(new RegExp(`^${origin}${path}$`), resolver);
  });
  if (baseUrl !== undefined) handlers.push(http.all(new RegExp(`^${origin}(?:\\/.*)?$`), resolver));
  return Object.assign(handlers, { service });
}

/** The msw handler factory of an HTTP method (`http.get` for GET…; `http.all` for another method). */
function forMethod(method: string): HttpRequestHandler {
  switch (method.toUpperCase()) {
    case 'GET':
      return http.get;
    case 'POST':
      return http.post;
    case 'PUT':
      return http.put;
    case 'DELETE':
      return http.delete;
    case 'PATCH':
      return http.patch;
    case 'HEAD':
      return http.head;
    case 'OPTIONS':
      return http.options;
    default:
      return http.all;
  }
}

/** A Response for a FakeResponse; `truncatedFrom` becomes a body stream that errors after the part sent. */
function toResponse(res: FakeResponse): Response {
  const init = { status: res.status, headers: res.headers };
  if (res.truncatedFrom !== undefined) {
    const part = new TextEncoder().encode(res.body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(part);
        controller.error(new TypeError('terminated: the fake CI service dropped the connection mid-body'));
      },
    });
    return new HttpResponse(stream, init);
  }
  return new HttpResponse(res.body === '' ? null : res.body, init);
}

/** Options of {@link handlersFromRecordings}. */
export interface RecordingHandlersOptions {
  /** Answer only requests to this origin; default any origin (the recordings' Host is not compared). */
  readonly baseUrl?: string;
  /** Use only the recordings for which this returns true. */
  readonly filter?: (recording: Recording) => boolean;
  /**
   * A request whose method and path have recordings but whose query matches none of them:
   * `'error'` (default) answers 404 `NoMatchingRecording` naming the recordings of that path; `'next'` lets
   * the next handler answer (e.g. `createCiHandlers`) — with none, MSW lets the request through to the network.
   */
  readonly onMismatch?: 'error' | 'next';
}

/** Decoded query pairs as a sorted multiset key; `+` is a space, as CI reads it. */
function querySet(search: string): string {
  const pairs: string[] = [];
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    pairs.push(JSON.stringify(eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]));
  }
  return pairs.sort().join('&');
}

/**
 * A RegExp source for a decoded path that matches it however it is percent-encoded on the wire: each
 * character outside `A-Z a-z 0-9 - . _ ~ /` matches itself or its UTF-8 percent-encoding (any hex case).
 */
function pathPattern(decodedPath: string): string {
  let out = '';
  for (const char of decodedPath) {
    if (/[A-Za-z0-9\-._~/]/.test(char)) {
      out += escapeRegExp(char);
      continue;
    }
    const encoded = [...new TextEncoder().encode(char)]
      .map(
        (byte) =>
          `%${[...byte.toString(16).toUpperCase().padStart(2, '0')].map((d) => (/[A-F]/.test(d) ? `[${d}${d.toLowerCase()}]` : d)).join('')}`,
      )
      .join('');
    out += `(?:${escapeRegExp(char)}|${encoded})`;
  }
  return out;
}

const normalizeXml = (body: string): string => body.replace(/>\s+</g, '><').trim();

function decodedPathOf(target: string): string {
  const path = target.split('?')[0] ?? '';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * MSW handlers that replay `.http` recordings (the format of `specs/recordings`, see `loadRecordings`): a
 * request is answered with the recorded response of the recording with the same method, the same decoded path
 * and the same set of decoded query parameters (order and percent-encoding do not matter). When several
 * recordings match, the one whose body matches (whitespace between tags ignored) wins, else the first by
 * operation and name. The response is replayed as recorded (status, headers — but `content-length` —, body);
 * signatures are not checked.
 *
 * ```ts
 * const server = setupServer(...handlersFromRecordings('specs/recordings'));
 * ```
 */
export function handlersFromRecordings(source: string | readonly Recording[], options: RecordingHandlersOptions = {}): HttpHandler[] {
  const all = typeof source === 'string' ? loadRecordings(source) : source;
  const recordings = options.filter ? all.filter(options.filter) : [...all];
  const origin = originPattern(options.baseUrl);

  // one handler per method + decoded path
  const groups = new Map<string, Recording[]>();
  for (const rec of recordings) {
    const key = `${rec.request.method} ${decodedPathOf(rec.request.target)}`;
    const group = groups.get(key);
    if (group) group.push(rec);
    else groups.set(key, [rec]);
  }

  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const pattern = new RegExp(`^${origin}${pathPattern(decodedPathOf(first.request.target))}$`);
    const candidates = group.map((rec) => {
      const q = rec.request.target.indexOf('?');
      return { rec, query: querySet(q < 0 ? '' : rec.request.target.slice(q)), body: normalizeXml(rec.request.body) };
    });
    return forMethod(first.request.method)(pattern, async ({ request }) => {
      const url = new URL(request.url);
      const query = querySet(url.search);
      const matching = candidates.filter((c) => c.query === query);
      if (matching.length === 0) {
        if (options.onMismatch === 'next') return undefined;
        const known = candidates.map((c) => `${c.rec.operationId}/${c.rec.name}: ${c.rec.request.target}`).join('; ');
        const message = `No recording answers ${request.method} ${url.pathname}${url.search}; recordings of this path: ${known}`;
        return new HttpResponse(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoMatchingRecording</Code><Message>${escapeXml(message)}</Message></Error>`,
          {
            status: 404,
            headers: { 'content-type': 'application/xml' },
          },
        );
      }
      let chosen = matching[0]!;
      if (matching.length > 1) {
        const body = normalizeXml(await request.text());
        chosen = matching.find((c) => c.body === body) ?? chosen;
      }
      const { response } = chosen.rec;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers))
        if (name !== 'content-length' && name !== 'transfer-encoding') headers[name] = value;
      return new HttpResponse(response.body === '' ? null : response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    });
  });
}

const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
