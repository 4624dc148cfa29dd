/**
 * The transport-independent request and response of the fake service, and the parsing of a received
 * request: raw (still encoded) URL → decoded path and query pairs, as CI reads them.
 */
import { invalidArgument } from './errors';

/** A request as received by a transport (node:http, MSW, a test calling the service directly). */
export interface FakeRequest {
  /** HTTP method, any case. */
  readonly method: string;
  /**
   * The URL as received, still percent-encoded: absolute (`http://127.0.0.1:9000/jobs?queueId=…`) or
   * origin-form (`/jobs?queueId=…`, the host then comes from the `host` header).
   */
  readonly url: string;
  /** Request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text (absent or empty when there is none). */
  readonly body?: string;
}

/** A response of the fake service. */
export interface FakeResponse {
  /** HTTP status code. */
  readonly status: number;
  /** Response headers, lower-case names (`date`, `server`, `content-type`, `x-ci-request-id`, …). */
  readonly headers: Record<string, string>;
  /** The body (an XML document, or empty). */
  readonly body: string;
  /**
   * Set by the `truncated` fault: `body` is only the first part of a body of this many bytes. The HTTP server
   * declares this `content-length`, sends `body` and drops the connection; MSW errors the body stream.
   */
  readonly truncatedFrom?: number;
}

/** A received request, parsed. */
export interface ParsedRequest {
  /** Upper-case method. */
  readonly method: string;
  /** The URL-decoded path, e.g. `/jobs` (what the signature signs). */
  readonly pathname: string;
  /** The path as received, still encoded. */
  readonly rawPathname: string;
  /** Query parameters in received order, decoded; a valueless `?cancel` is `['cancel', '']`. */
  readonly queryPairs: ReadonlyArray<readonly [string, string]>;
  /** The same as a record (names are unique: a repeated name is refused). */
  readonly query: Readonly<Record<string, string>>;
  /** Headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Decodes one URL component the way CI reads a query: `%XX` sequences as UTF-8, and `+` as a space (form
 * encoding) — which is why a literal `+` (a time's `+0800`) must be sent as `%2B`. Throws 400 on a malformed
 * escape.
 */
export function decodeQueryComponent(text: string, what: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw invalidArgument(`The ${what} ${JSON.stringify(text.slice(0, 64))} is not well-formed percent-encoding.`);
  }
}

/** Parses a received request. Throws a 400 `InvalidArgument` on a malformed URL or a repeated parameter. */
export function parseRequest(req: FakeRequest): ParsedRequest {
  let target = req.url;
  // absolute form: drop scheme and authority; the path is kept exactly as received (no dot-segment folding)
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  if (absolute) target = target.slice(absolute[0].length) || '/';
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  if (!target.startsWith('/')) throw invalidArgument(`The request target ${JSON.stringify(req.url.slice(0, 64))} is not a path.`);
  const q = target.indexOf('?');
  const rawPathname = q >= 0 ? target.slice(0, q) : target;
  const search = q >= 0 ? target.slice(q + 1) : '';
  let pathname: string;
  try {
    pathname = decodeURIComponent(rawPathname);
  } catch {
    throw invalidArgument(`The path ${JSON.stringify(rawPathname.slice(0, 64))} is not well-formed percent-encoding.`);
  }
  const queryPairs: Array<readonly [string, string]> = [];
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const part of search.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeQueryComponent(eq < 0 ? part : part.slice(0, eq), 'query parameter name');
    const value = eq < 0 ? '' : decodeQueryComponent(part.slice(eq + 1), `value of ${name}`);
    if (name in query) throw invalidArgument(`The query parameter ${name} is given more than once.`);
    query[name] = value;
    queryPairs.push([name, value]);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  return { method: req.method.toUpperCase(), pathname, rawPathname, queryPairs, query, headers, body: req.body ?? '' };
}
