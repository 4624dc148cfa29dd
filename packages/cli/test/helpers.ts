/** In-process harness of the CLI tests: a recording fake fetch and a `run()` wrapper collecting output. */
import { run, type CliIo } from '../src';

/** A response the fake fetch gives. */
export interface FakeResponse {
  readonly status?: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

/** A request the fake fetch received. */
export interface RecordedRequest {
  readonly url: URL;
  /** The URL as sent, before any parsing. */
  readonly rawUrl: string;
  readonly method: string;
  readonly headers: Headers;
  /** The request body as sent (XML), or undefined. */
  readonly body?: string | undefined;
}

function record(input: string | URL | Request, init: RequestInit | undefined): RecordedRequest {
  const rawUrl = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const body = typeof init?.body === 'string' ? init.body : undefined;
  return { url: new URL(rawUrl), rawUrl, method: init?.method ?? 'GET', headers: new Headers(init?.headers), body };
}

/** A fetch that answers by `nextToken` query value ('' for the first page) and records every request. */
export function fakeFetch(byToken: Record<string, FakeResponse>): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const req = record(input, init);
    const url = req.url;
    requests.push(req);
    const token = url.searchParams.get('nextToken') ?? '';
    const answer = byToken[token];
    if (!answer) return new Response(`<Error><Code>NoSuchPage</Code><Message>no page ${token}</Message></Error>`, { status: 404 });
    return new Response(answer.body, {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/xml', 'x-ci-request-id': `req-${requests.length}`, ...answer.headers },
    });
  };
  return { fetch: impl as typeof fetch, requests };
}

/**
 * A fetch that answers with `route(request)` (a response, or undefined for a 404 `<Error>`) and records
 * every request, body included.
 */
export function routeFetch(route: (req: RecordedRequest, index: number) => FakeResponse | undefined): {
  fetch: typeof fetch;
  requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const req = record(input, init);
    requests.push(req);
    const answer = route(req, requests.length - 1);
    if (!answer) {
      return new Response(`<Error><Code>ResourceNotFound</Code><Message>no route ${req.method} ${req.url.pathname}</Message></Error>`, {
        status: 404,
        headers: { 'content-type': 'application/xml' },
      });
    }
    return new Response(answer.status === 204 ? null : answer.body, {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/xml', 'x-ci-request-id': `req-${requests.length}`, ...answer.headers },
    });
  };
  return { fetch: impl as typeof fetch, requests };
}

/** Credentials of the tests (fake). */
export const SECRET_ID = 'AKIDtestSecretIdForTheCli0000000000';
export const SECRET_KEY = 'testSecretKeyNeverPrinted0000000';

/** An environment with credentials, bucket and region. */
export const BASE_ENV: Record<string, string> = {
  TENCENTCLOUD_SECRET_ID: SECRET_ID,
  TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
  CI_BUCKET: 'examplebucket-1250000000',
  CI_REGION: 'ap-beijing',
};

/** What a run produced. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr in the order written, each chunk tagged. */
  readonly chunks: readonly { readonly stream: 'stdout' | 'stderr'; readonly text: string }[];
}

/** Runs `ci-media <argv>` in-process. */
export async function runCli(
  argv: readonly string[],
  options: {
    env?: Record<string, string | undefined>;
    fetch?: typeof fetch;
    /** What `--input -` reads; absent: standard input is not available. */
    stdin?: string;
    signal?: AbortSignal;
    /** Run as if stderr were a terminal. */
    stderrIsTTY?: boolean;
  } = {},
): Promise<RunResult> {
  const chunks: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  const io: CliIo = {
    stdout: (text) => chunks.push({ stream: 'stdout', text }),
    stderr: (text) => chunks.push({ stream: 'stderr', text }),
    env: options.env ?? BASE_ENV,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.stdin !== undefined ? { stdin: () => Promise.resolve(options.stdin ?? '') } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.stderrIsTTY !== undefined ? { stderrIsTTY: options.stderrIsTTY } : {}),
  };
  const code = await run(argv, io);
  const join = (stream: 'stdout' | 'stderr'): string =>
    chunks
      .filter((c) => c.stream === stream)
      .map((c) => c.text)
      .join('');
  return { code, stdout: join('stdout'), stderr: join('stderr'), chunks };
}

/** The queue id used throughout. */
export const QUEUE = 'p893bcda225bf4945a378da6662e81a89';
