/**
 * Routing of the fake service: the operations of the generated table by method and path template, and what an
 * operation's behaviour gets ({@link RouteContext}). No route is written by hand: {@link ROUTES} is the table.
 */
import type { OperationSpec } from '@cloud-infinite/runtime';
import { methodNotAllowed, resourceNotFound } from './errors';
import type { IdSource } from './ids';
import type { JobEngine } from './lifecycle';
import type { NotificationOutbox } from './notifications';
import { OPERATIONS } from './operations';
import type { ParsedRequest } from './request';
import type { FakeCiStore } from './store';

/** What an operation's behaviour gets besides its input. */
export interface RouteContext {
  readonly request: ParsedRequest;
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
  /** Job notifications: CreateMediaJobs tells it each new job's callback. */
  readonly notifications: NotificationOutbox;
}

/** One operation, as the generated table gives it. */
export interface Route {
  /** The spec's operationId, e.g. `DescribeMediaJobs`. */
  readonly operationId: string;
  readonly method: OperationSpec['method'];
  /** Path template, e.g. `/jobs` or `/jobs/{jobIds}`. */
  readonly path: string;
  /** The table entry (parameters, flags, body and response shapes, input validator). */
  readonly operation: OperationSpec;
}

/** Every operation the fake answers: one route per entry of the generated operation table. */
export const ROUTES: readonly Route[] = OPERATIONS.map((operation) => ({
  operationId: operation.id,
  method: operation.method,
  path: operation.path,
  operation,
}));

/** The order methods are listed in an `Allow` header (the spec's order). */
const METHOD_ORDER = ['GET', 'PUT', 'POST', 'DELETE'];

interface CompiledRoute extends Route {
  readonly pattern: RegExp;
}

/** The result of {@link Router.match}. */
export interface RouteMatch {
  readonly route: Route;
  /** Path parameters by name, decoded, e.g. `{ jobIds: 'j1,j2' }` for `/jobs/{jobIds}`. */
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

  constructor(routes: readonly Route[] = ROUTES) {
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
   * other methods (listed in `Allow` in the order GET, PUT, POST, DELETE); `pathname` (decoded) is only for the
   * messages.
   */
  match(method: string, rawPathname: string, pathname = rawPathname): RouteMatch {
    const allowed = new Set<string>();
    for (const route of this.#routes) {
      const m = route.pattern.exec(rawPathname);
      if (!m) continue;
      if (route.method === method) return { route, params: decodeParams(m.groups) };
      allowed.add(route.method);
    }
    if (allowed.size)
      throw methodNotAllowed(
        method,
        pathname,
        METHOD_ORDER.filter((m) => allowed.has(m)),
      );
    throw resourceNotFound(`No CI operation answers ${method} ${pathname}.`);
  }
}
