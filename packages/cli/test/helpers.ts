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
}

/** A fetch that answers by `nextToken` query value ('' for the first page) and records every request. */
export function fakeFetch(byToken: Record<string, FakeResponse>): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const rawUrl = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(rawUrl);
    requests.push({ url, rawUrl, method: init?.method ?? 'GET', headers: new Headers(init?.headers) });
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
  options: { env?: Record<string, string | undefined>; fetch?: typeof fetch } = {},
): Promise<RunResult> {
  const chunks: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  const io: CliIo = {
    stdout: (text) => chunks.push({ stream: 'stdout', text }),
    stderr: (text) => chunks.push({ stream: 'stderr', text }),
    env: options.env ?? BASE_ENV,
    ...(options.fetch ? { fetch: options.fetch } : {}),
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
