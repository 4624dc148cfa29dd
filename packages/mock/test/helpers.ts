/** Test helpers: signed raw requests (for what the client refuses to send) and page collection. */
import { createHash } from 'node:crypto';
import { createAuthorization, encodeRfc3986 } from '@cloud-infinite/runtime';
import {
  CiMediaClient,
  CiServiceError,
  type CiMediaClientConfig,
  type DescribeMediaJobsInput,
  type DescribeMediaJobsOutput,
} from '@cloud-infinite/client';
import { DEMO_CREDENTIALS, type FakeRequest } from '../src';

/** A raw request to sign: decoded query pairs, in order; `value: undefined` sends a valueless `?name`. */
export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly query?: ReadonlyArray<readonly [string, string | undefined]>;
  readonly credentials?: { secretId: string; secretKey: string };
  /** Unix seconds `start;end`; default now-1;now+899 (by the local clock). */
  readonly keyTime?: string;
  /** Headers sent and signed besides host. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The host to sign; default the URL's host. */
  readonly signedHost?: string;
  /** A request body (sent as is; give `content-type`/`content-md5` in `headers` to send and sign them). */
  readonly body?: string;
}

/** The target (path + encoded query) of a raw request. */
export function target(req: RawRequest): string {
  const parts = (req.query ?? []).map(([k, v]) => (v === undefined ? encodeRfc3986(k) : `${encodeRfc3986(k)}=${encodeRfc3986(v)}`));
  return `${req.path.split('/').map(encodeRfc3986).join('/')}${parts.length ? `?${parts.join('&')}` : ''}`;
}

/** The headers of a raw request, Authorization included, for the given host. */
export function signedHeaders(req: RawRequest, host: string): Record<string, string> {
  const credentials = req.credentials ?? DEMO_CREDENTIALS;
  const now = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { host, ...req.headers };
  const query: Record<string, string> = {};
  for (const [k, v] of req.query ?? []) query[k] = v ?? '';
  const authorization = createAuthorization({
    ...credentials,
    method: req.method ?? 'GET',
    pathname: req.path,
    query,
    headers: { ...headers, host: req.signedHost ?? host },
    keyTime: req.keyTime ?? `${now - 1};${now + 899}`,
  });
  return { ...headers, authorization };
}

/** A signed FakeRequest for `service.handle()`. */
export function signedRequest(req: RawRequest, host = '127.0.0.1:9000'): FakeRequest {
  return {
    method: req.method ?? 'GET',
    url: `http://${host}${target(req)}`,
    headers: signedHeaders(req, host),
    ...(req.body !== undefined ? { body: req.body } : {}),
  };
}

/** The headers of an XML body as the client sends them: content-type and its Content-MD5. */
export const xmlHeaders = (body: string): Record<string, string> => ({
  'content-type': 'application/xml',
  'content-md5': createHash('md5').update(body, 'utf8').digest('base64'),
});

/** A client of a running fake with the demo key, strict response validation and the given options. */
export function clientOf(url: string, config: Partial<CiMediaClientConfig> = {}): CiMediaClient {
  return new CiMediaClient({ endpoint: url, credentials: DEMO_CREDENTIALS, validateResponses: 'strict', ...config });
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (err: unknown) => err,
  );
}

/** The CiServiceError a promise rejects with. */
export async function serviceErrorOf(promise: Promise<unknown>): Promise<CiServiceError> {
  const err = await rejectionOf(promise);
  if (!(err instanceof CiServiceError)) throw new Error(`expected a CiServiceError, got ${String(err)}`);
  return err;
}

/** Quick polling for waitForMediaJob in tests (1..5 ms between polls). */
export const FAST_POLL = { minDelayMs: 1, maxDelayMs: 5, maxWaitSeconds: 10 } as const;

/** What a raw fetch answered. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Sends a signed raw request to a running fake with fetch. */
export async function signedFetch(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const url = `${baseUrl}${target(req)}`;
  const headers = signedHeaders(req, new URL(url).host);
  delete headers.host; // fetch sets it
  const res = await fetch(url, { method: req.method ?? 'GET', headers, ...(req.body !== undefined ? { body: req.body } : {}) });
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    out[k] = v;
  });
  return { status: res.status, headers: out, body: await res.text() };
}

/** The `<Code>` of an error body. */
export const errorCode = (body: string): string | undefined => /<Code>([^<]*)<\/Code>/.exec(body)?.[1];

/** Every page of a listing, through the client's paginator. */
export async function collectPages(client: CiMediaClient, input: DescribeMediaJobsInput): Promise<DescribeMediaJobsOutput[]> {
  const pages: DescribeMediaJobsOutput[] = [];
  for await (const page of client.paginateMediaJobPages(input)) pages.push(page);
  return pages;
}
