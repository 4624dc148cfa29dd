/** Test helpers: signed raw requests (for what the client refuses to send) and page collection. */
import { createAuthorization, encodeRfc3986 } from '@cloud-infinite/runtime';
import type { CiMediaClient, DescribeMediaJobsInput, DescribeMediaJobsOutput } from '@cloud-infinite/client';
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
  return { method: req.method ?? 'GET', url: `http://${host}${target(req)}`, headers: signedHeaders(req, host) };
}

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
  const res = await fetch(url, { method: req.method ?? 'GET', headers });
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
