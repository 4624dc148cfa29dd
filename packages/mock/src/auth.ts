/**
 * Signature check of the fake service: the `q-sign-algorithm=sha1` Authorization is recomputed with the
 * runtime's signer from what was received — method, decoded path, every decoded query parameter, the headers
 * named in `q-header-list` with their received values, and `q-key-time` — and compared.
 */
import { timingSafeEqual } from 'node:crypto';
import { explainAuthorization, parseAuthorization } from '@cloud-infinite/runtime';
import { FakeCiError } from './errors';
import type { ParsedRequest } from './request';

/** How far in the future a KeyTime may start (server clock behind the client's), in seconds: 15 minutes. */
export const MAX_CLOCK_SKEW_SECONDS = 900;

/** A key pair the service accepts. */
export interface FakeCredentials {
  readonly secretId: string;
  readonly secretKey: string;
}

const KEY_TIME = /^(\d{1,12});(\d{1,12})$/;

const missingAuthorization = () =>
  new FakeCiError(401, 'MissingAuthorization', 'The request has no Authorization header; every CI request must be signed.');
const invalidAuthorization = (why: string) => new FakeCiError(401, 'InvalidAuthorization', `The Authorization header is invalid: ${why}.`);

/**
 * Checks the request's signature against the known keys at the service time `nowMs` (milliseconds since the
 * epoch). Returns the SecretId that signed it; throws a {@link FakeCiError}:
 * - 401 `MissingAuthorization` — no Authorization header;
 * - 401 `InvalidAuthorization` — not a `q-sign-algorithm=sha1` value, a malformed KeyTime, or `q-sign-time` ≠ `q-key-time`;
 * - 401 `SecretidNotExist` — unknown `q-ak`;
 * - 403 `RequestTimeTooSkewed` — the KeyTime starts more than {@link MAX_CLOCK_SKEW_SECONDS} after the service clock;
 * - 403 `AccessDenied`, message `Request has expired` — the KeyTime ended before the service clock;
 * - 403 `SignatureDoesNotMatch` — a different signature (the message shows the service's HttpString).
 */
export function verifyAuthorization(req: ParsedRequest, keys: ReadonlyMap<string, string>, nowMs: number): string {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') throw missingAuthorization();
  const auth = parseAuthorization(header.trim());
  if (!auth)
    throw invalidAuthorization(
      'expected q-sign-algorithm=sha1&q-ak=…&q-sign-time=…&q-key-time=…&q-header-list=…&q-url-param-list=…&q-signature=…',
    );
  if (auth.algorithm.toLowerCase() !== 'sha1') throw invalidAuthorization(`q-sign-algorithm ${JSON.stringify(auth.algorithm)} is not sha1`);
  const keyTime = KEY_TIME.exec(auth.keyTime);
  if (!keyTime) throw invalidAuthorization('q-key-time must be "start;end" in Unix seconds');
  if (auth.signTime !== auth.keyTime) throw invalidAuthorization('q-sign-time and q-key-time differ');
  const start = Number(keyTime[1]);
  const end = Number(keyTime[2]);
  if (end < start) throw invalidAuthorization('q-key-time ends before it starts');

  const secretKey = keys.get(auth.secretId);
  if (secretKey === undefined) {
    throw new FakeCiError(401, 'SecretidNotExist', `The SecretId ${JSON.stringify(auth.secretId)} does not exist.`);
  }

  const nowSeconds = Math.floor(nowMs / 1000);
  if (start - nowSeconds > MAX_CLOCK_SKEW_SECONDS) {
    throw new FakeCiError(
      403,
      'RequestTimeTooSkewed',
      `The difference between the request time and the server's time is too large: the signature starts at ${start}, the server time is ${nowSeconds}.`,
    );
  }
  if (end < nowSeconds) throw new FakeCiError(403, 'AccessDenied', 'Request has expired');

  // the headers named in q-header-list, with their received values
  const signedHeaders: Record<string, string> = {};
  for (const entry of auth.headerList) {
    let name: string;
    try {
      name = decodeURIComponent(entry).toLowerCase();
    } catch {
      throw invalidAuthorization(`q-header-list names ${JSON.stringify(entry)}, which is not a header name`);
    }
    const value = req.headers[name];
    if (value === undefined) {
      throw new FakeCiError(403, 'SignatureDoesNotMatch', `The header ${name} is in q-header-list but was not received.`);
    }
    signedHeaders[name] = value;
  }

  const expected = explainAuthorization({
    secretId: auth.secretId,
    secretKey,
    method: req.method,
    pathname: req.pathname,
    query: req.query,
    headers: signedHeaders,
    keyTime: auth.keyTime,
  });
  if (!sameText(expected.signature, auth.signature)) {
    const received = auth.urlParamList.join(';');
    const paramHint =
      received === expected.urlParamList
        ? ''
        : ` The request has the parameters "${expected.urlParamList}" but q-url-param-list signs "${received}".`;
    throw new FakeCiError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.' +
        `${paramHint} HttpString: ${JSON.stringify(expected.httpString)}`,
    );
  }
  return auth.secretId;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
