/**
 * Fault injection for resilience tests: rules (the `faults` option, `service.injectFault`) and the
 * per-request `x-fake-ci-fault` header make the service answer with a throttle, a 5xx, a proxy's HTML page, a
 * broken or cut body, a delay, or a dropped connection.
 */
import type { OperationTypes } from '@cloud-infinite/client';

/** The request header that asks for a fault, e.g. `x-fake-ci-fault: 503` or `x-fake-ci-fault: reset;after`. */
export const FAULT_HEADER = 'x-fake-ci-fault';

/**
 * A fault:
 * - `throttle`: 429 `RequestLimitExceeded` (`<Error>` document).
 * - `500`: 500 `InternalError`; `503`: 503 `ServiceUnavailable`.
 * - `html502`: 502 with a proxy's HTML page (`text/html`, no CI headers).
 * - `reset`: no answer, the connection is dropped (the HTTP server destroys the socket, MSW answers a network
 *   error, `service.handle()` rejects with a {@link FakeConnectionError}).
 * - `slow=<ms>`: the answer comes `ms` milliseconds late.
 * - `malformed`: the operation runs; the answer is a 200 whose XML is broken (an end tag mangled).
 * - `truncated`: the operation runs; the answer stops halfway: the HTTP server declares the whole
 *   `content-length`, sends half the body and drops the connection (MSW: the body stream errors); in-process
 *   the body is cut in half and {@link FakeResponse.truncatedFrom} holds the whole length in bytes.
 */
export type FaultKind = 'throttle' | '500' | '503' | 'html502' | 'reset' | 'malformed' | 'truncated' | `slow=${number}`;

/** An operation of the spec, e.g. `DescribeMediaJobs`. */
export type OperationId = keyof OperationTypes;

/**
 * A fault rule. A request matches when its operation is one of `operation` (any request, unknown paths
 * included, when absent). Of the matching requests the first `skip` pass; then each faults with
 * `probability` (default 1, drawn from the service's seeded PRNG) until the rule has fired `times` times
 * (default: no limit). Rules are tried in order; the first that fires wins. The header wins over every rule.
 */
export interface FaultRule {
  readonly fault: FaultKind;
  readonly operation?: OperationId | readonly OperationId[];
  /** Most faults this rule injects; default unlimited. */
  readonly times?: number;
  /** Matching requests let through before the rule applies; default 0. */
  readonly skip?: number;
  /** Chance in [0, 1] that a matching request faults; default 1. */
  readonly probability?: number;
  /**
   * For `throttle`, `500`, `503`, `html502`, `reset` and `slow`: `'before'` (default) answers the fault
   * without running the operation (for `slow`: waits, then runs it — unless the caller went away meanwhile);
   * `'after'` runs the operation (a create creates its job) and then answers the fault (for `slow`: holds the
   * answer back) — the case where a client must not retry a create.
   * `malformed` and `truncated` always run the operation.
   */
  readonly when?: 'before' | 'after';
}

/** A fault, parsed. */
export interface Fault {
  readonly kind: 'throttle' | '500' | '503' | 'html502' | 'reset' | 'malformed' | 'truncated' | 'slow';
  /** The delay of `slow`, in milliseconds. */
  readonly delayMs: number;
  readonly when: 'before' | 'after';
  /** As written, e.g. `slow=200`, `reset;after`. */
  readonly text: string;
}

const KINDS = new Set(['throttle', '500', '503', 'html502', 'reset', 'malformed', 'truncated']);

/** Longest `slow` delay, in milliseconds (10 minutes). */
export const MAX_SLOW_MS = 600_000;

/**
 * Parses a fault as the header writes it: `<fault>` or `<fault>;after` / `<fault>;before`. Returns an error
 * message for an unknown one.
 */
export function parseFault(text: string, when?: 'before' | 'after'): Fault | string {
  const [head = '', ...options] = text.split(';').map((s) => s.trim());
  let phase: 'before' | 'after' = when ?? 'before';
  for (const option of options) {
    if (option !== 'after' && option !== 'before') return `unknown option ${JSON.stringify(option)} (after or before)`;
    phase = option;
  }
  const slow = /^slow=(\d{1,7})$/.exec(head);
  if (slow) {
    const delayMs = Number(slow[1]);
    if (delayMs > MAX_SLOW_MS) return `slow takes at most ${MAX_SLOW_MS} ms`;
    return { kind: 'slow', delayMs, when: phase, text };
  }
  if (!KINDS.has(head))
    return `unknown fault ${JSON.stringify(head.slice(0, 40))}; expected throttle, 500, 503, html502, reset, malformed, truncated or slow=<ms>`;
  const kind = head as Fault['kind'];
  return { kind, delayMs: 0, when: kind === 'malformed' || kind === 'truncated' ? 'after' : phase, text };
}

interface RuleState {
  readonly rule: FaultRule;
  readonly fault: Fault;
  readonly operations: ReadonlySet<string> | undefined;
  matched: number;
  fired: number;
}

/** Checks a rule; throws a RangeError on a bad one. */
function compile(rule: FaultRule): RuleState {
  const fault = parseFault(rule.fault, rule.when);
  if (typeof fault === 'string') throw new RangeError(`Bad fault rule: ${fault}`);
  const { times, skip, probability } = rule;
  if (times !== undefined && !(Number.isInteger(times) && times >= 0))
    throw new RangeError('Bad fault rule: times must be an integer >= 0');
  if (skip !== undefined && !(Number.isInteger(skip) && skip >= 0)) throw new RangeError('Bad fault rule: skip must be an integer >= 0');
  if (probability !== undefined && !(probability >= 0 && probability <= 1))
    throw new RangeError('Bad fault rule: probability must be in [0, 1]');
  const operations =
    rule.operation === undefined ? undefined : new Set<string>(typeof rule.operation === 'string' ? [rule.operation] : rule.operation);
  return { rule, fault, operations, matched: 0, fired: 0 };
}

/** Decides which requests fault. */
export class FaultInjector {
  readonly #rules: RuleState[];
  readonly #random: () => number;

  constructor(rules: readonly FaultRule[], random: () => number) {
    this.#rules = rules.map(compile);
    this.#random = random;
  }

  /** Adds a rule after the others. Throws a RangeError on a bad rule. */
  add(rule: FaultRule): void {
    this.#rules.push(compile(rule));
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules.length = 0;
  }

  /** How many faults each rule has injected, in rule order. */
  get counts(): number[] {
    return this.#rules.map((r) => r.fired);
  }

  /**
   * The fault of a request: the header's when it has one (an unknown header value is returned as an error
   * message), else the first rule that fires. Counts the request against the rules.
   */
  pick(operationId: string | undefined, header: string | undefined): Fault | string | undefined {
    if (header !== undefined && header.trim() !== '') return parseFault(header.trim());
    for (const state of this.#rules) {
      if (state.operations && (operationId === undefined || !state.operations.has(operationId))) continue;
      state.matched++;
      if (state.matched <= (state.rule.skip ?? 0)) continue;
      if (state.rule.times !== undefined && state.fired >= state.rule.times) continue;
      const p = state.rule.probability ?? 1;
      if (p < 1 && !(this.#random() < p)) continue;
      state.fired++;
      return state.fault;
    }
    return undefined;
  }
}

/**
 * The request ended without an answer: the connection was dropped (`reset` fault, code `ECONNRESET`) or the
 * caller went away during a `slow` delay (code `ABORT_ERR`). `service.handle()` rejects with it; the HTTP
 * server destroys the socket, MSW answers `Response.error()`.
 */
export class FakeConnectionError extends Error {
  /** `ECONNRESET` or `ABORT_ERR`, as Node network errors carry. */
  readonly code: 'ECONNRESET' | 'ABORT_ERR';

  constructor(code: 'ECONNRESET' | 'ABORT_ERR', message: string) {
    super(message);
    this.name = 'FakeConnectionError';
    this.code = code;
  }
}

/** The page a proxy answers 502 with. */
export const PROXY_502_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/**
 * A broken version of an XML body: the first end tag's name is changed (`</JobId>` → `</JobIdX>`), so the
 * document is not well-formed; an empty body becomes `<Response><`.
 */
export function breakXml(body: string): string {
  const broken = body.replace(/<\/([A-Za-z_][\w.-]*)>/, '</$1X>');
  return broken === body ? `${body}<Response><` : broken;
}

/** Waits `ms` milliseconds; resolves false early when `signal` aborts. */
export function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
