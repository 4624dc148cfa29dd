/**
 * Routing of the fake service: a table of operations by method and path template. Adding an operation is
 * adding a {@link Route}.
 */
import { methodNotAllowed, resourceNotFound } from './errors';
import type { IdSource } from './ids';
import type { JobEngine } from './lifecycle';
import type { ParsedRequest } from './request';
import type { FakeCiStore } from './store';

/** What a handler gets. */
export interface RouteContext {
  readonly request: ParsedRequest;
  /** Path parameters by name (decoded), e.g. `{ jobIds: 'j…' }` for `/jobs/{jobIds}`. */
  readonly params: Readonly<Record<string, string>>;
  readonly store: FakeCiStore;
  /** The service time of this request, milliseconds since the epoch (read once per request). */
  readonly nowMs: number;
  /** The default queue of the service. */
  readonly queueId: string;
  /** The `x-ci-request-id` of this request (bodies that carry a `<RequestId>` repeat it). */
  readonly requestId: string;
  /** The job state machine. */
  readonly jobs: JobEngine;
  /** Ids of new jobs and templates. */
  readonly ids: IdSource;
  /** The service's bucket (`BucketName-APPID`), e.g. the `BucketId` of new templates. */
  readonly bucket: string;
  /** The service's region. */
  readonly region: string;
}

/** What a handler returns: the status (default 200) and the body (an XML document, or empty). */
export interface RouteResult {
  readonly status?: number;
  readonly body: string;
  /** Extra headers, lower-case names. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A handler throws a `FakeCiError` to refuse. */
export type RouteHandler = (ctx: RouteContext) => RouteResult;

/** One operation. */
export interface Route {
  /** The spec's operationId, e.g. `DescribeMediaJobs`. */
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template, e.g. `/jobs` or `/jobs/{jobIds}`. */
  readonly path: string;
  readonly handler: RouteHandler;
}

interface CompiledRoute extends Route {
  readonly pattern: RegExp;
}

/** The result of {@link Router.match}. */
export interface RouteMatch {
  readonly route: Route;
  readonly params: Readonly<Record<string, string>>;
}

const compile = (path: string): RegExp =>
  new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);

/** Path parameters decoded (the whole path was checked to decode before routing). */
function decodeParams(groups: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(groups ?? {})) out[name] = decodeURIComponent(value);
  return out;
}

/** Matches a request to a route. */
export class Router {
  readonly #routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.#routes = routes.map((r) => ({ ...r, pattern: compile(r.path) }));
  }

  /**
   * The route of `method` + the path as received (still percent-encoded, so that an id holding `%2F` stays one
   * segment), or undefined (never throws). Parameters come back decoded.
   */
  find(method: string, rawPathname: string): RouteMatch | undefined {
    for (const route of this.#routes) {
      const m = route.method === method ? route.pattern.exec(rawPathname) : null;
      if (m) return { route, params: decodeParams(m.groups) };
    }
    return undefined;
  }

  /**
   * The route of `method` + the path as received (still percent-encoded; parameters come back decoded).
   * Throws 404 `ResourceNotFound` when no route has this path, 405 `MethodNotAllowed` when routes have it with
   * other methods; `pathname` (decoded) is only for the messages.
   */
  match(method: string, rawPathname: string, pathname = rawPathname): RouteMatch {
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const m = route.pattern.exec(rawPathname);
      if (!m) continue;
      if (route.method === method) return { route, params: decodeParams(m.groups) };
      allowed.push(route.method);
    }
    if (allowed.length) throw methodNotAllowed(method, pathname, allowed);
    throw resourceNotFound(`No CI operation answers ${method} ${pathname}.`);
  }
}
