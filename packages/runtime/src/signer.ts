/**
 * COS/CI request signature, `q-sign-algorithm=sha1`.
 *
 * Source: Tencent Cloud "Request Signature" (https://www.tencentcloud.com/document/product/436/7778, used by
 * every Cloud Infinite call). Every function here is pure: time is passed in, never read.
 */
// `#crypto`: node:crypto on Node, @noble/hashes elsewhere (package.json `imports`; src/crypto/)
import { hmacSha1Hex, sha1Hex } from '#crypto';
import { CiValidationError } from './errors';

/** Default validity of a signature, in seconds (as the official JS/Node SDKs). */
export const DEFAULT_EXPIRES_SECONDS = 900;

/**
 * URL-encodes a string as the signature requires: UTF-8, `encodeURIComponent` plus `!'()*`, upper-case hex.
 * Space becomes `%20` (never `+`). Throws {@link CiValidationError} on a lone UTF-16 surrogate.
 */
export function encodeRfc3986(value: string): string {
  // most keys and values (ids, wire names) are unreserved and encode to themselves
  if (isUnreserved(value)) return value;
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    throw new CiValidationError('Cannot URL-encode a value holding a lone UTF-16 surrogate', [
      { path: '', message: 'not well-formed Unicode' },
    ]);
  }
  return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Whether every character is unreserved (`A-Z a-z 0-9 - _ . ~`). */
function isUnreserved(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 46 || c === 126))
      return false;
  }
  return true;
}

/** Builds a KeyTime `start;end` from a start in Unix seconds (or a Date) and a validity in seconds. */
export function formatKeyTime(startTime: number | Date, expiresSeconds = DEFAULT_EXPIRES_SECONDS): string {
  const start = typeof startTime === 'number' ? Math.floor(startTime) : Math.floor(startTime.getTime() / 1000);
  if (!Number.isFinite(start) || start < 0) {
    throw new CiValidationError('Invalid signature start time', [{ path: 'startTime', message: 'must be Unix seconds >= 0' }]);
  }
  if (!Number.isInteger(expiresSeconds) || expiresSeconds <= 0) {
    throw new CiValidationError('Invalid signature validity', [
      { path: 'expiresSeconds', message: 'must be a positive integer number of seconds' },
    ]);
  }
  return `${start};${start + expiresSeconds}`;
}

/** `SignKey` = hex(HMAC-SHA1(SecretKey, KeyTime)). The hex string is the key of the final HMAC. */
export function computeSignKey(secretKey: string, keyTime: string): string {
  return hmacSha1Hex(secretKey, keyTime);
}

/** The encoded, lower-cased, sorted `k=v&…` list and its `k;…` key list, for parameters or headers. */
export interface CanonicalList {
  /** `HttpParameters` / `HttpHeaders`: `k=v&k=v`, keys encoded + lower-cased, values encoded, sorted by key. */
  readonly pairs: string;
  /** `UrlParamList` / `HeaderList`: `k;k`. */
  readonly keys: string;
}

/**
 * Canonicalises parameters or headers: each key URL-encoded then lower-cased, each value URL-encoded (an
 * empty value gives `k=`), sorted by the encoded key. Values are the decoded values; never pass an
 * already-encoded value.
 */
export function canonicalList(entries: Readonly<Record<string, string | number | undefined>> | undefined): CanonicalList {
  if (!entries) return { pairs: '', keys: '' };
  const list: Array<[string, string]> = [];
  for (const rawKey of Object.keys(entries)) {
    const raw = entries[rawKey];
    if (raw === undefined) continue;
    list.push([encodeRfc3986(rawKey).toLowerCase(), encodeRfc3986(String(raw))]);
  }
  list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let pairs = '';
  let keys = '';
  for (let i = 0; i < list.length; i++) {
    const [k, v] = list[i]!;
    if (i > 0) {
      pairs += '&';
      keys += ';';
    }
    pairs += `${k}=${v}`;
    keys += k;
  }
  return { pairs, keys };
}

/** The request facts that are signed. */
export interface SignableRequest {
  /** HTTP method, any case (lower-cased in HttpString). */
  readonly method: string;
  /** The URL-decoded path, e.g. `/jobs` or `/jobs/j8f…`. A path with spaces or CJK is given decoded. */
  readonly pathname: string;
  /** Query parameters, decoded values; `''` for a valueless parameter such as `?cancel`. */
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** Headers to sign (every header given is signed); names in any case. */
  readonly headers?: Readonly<Record<string, string | number | undefined>>;
}

/** `HttpString` = `lower(method)\npathname\nHttpParameters\nHttpHeaders\n` (four lines, trailing newline). */
export function buildHttpString(request: SignableRequest): string {
  return httpStringOf(request, canonicalList(request.query), canonicalList(request.headers));
}

function httpStringOf(request: SignableRequest, query: CanonicalList, headers: CanonicalList): string {
  return `${request.method.toLowerCase()}\n${request.pathname}\n${query.pairs}\n${headers.pairs}\n`;
}

/** `StringToSign` = `sha1\nKeyTime\nhex(SHA1(HttpString))\n`. */
export function buildStringToSign(keyTime: string, httpString: string): string {
  return `sha1\n${keyTime}\n${sha1Hex(httpString)}\n`;
}

/** Input of {@link createAuthorization}. Give `keyTime`, or `startTime` (+ `expiresSeconds`). */
export interface AuthorizationInput extends SignableRequest {
  readonly secretId: string;
  readonly secretKey: string;
  /** `start;end` in Unix seconds; wins over `startTime`. */
  readonly keyTime?: string;
  /** Start of validity, Unix seconds or a Date (callers usually pass now − 1 s). */
  readonly startTime?: number | Date;
  /** Validity in seconds from `startTime`; default {@link DEFAULT_EXPIRES_SECONDS} (900). */
  readonly expiresSeconds?: number;
}

/**
 * Every intermediate value of a signature, for debugging a SignatureDoesNotMatch. It holds no secret:
 * not the SecretKey and not the SignKey (which would let anyone sign for this KeyTime).
 */
export interface AuthorizationExplained {
  readonly keyTime: string;
  readonly headerList: string;
  readonly urlParamList: string;
  readonly httpString: string;
  readonly stringToSign: string;
  readonly signature: string;
  /** The `Authorization` header value. */
  readonly authorization: string;
}

const KEY_TIME = /^\d+;\d+$/;

/**
 * Signs a request and returns every intermediate step (without secrets).
 * Throws {@link CiValidationError} on a missing SecretId/SecretKey, a malformed KeyTime, or no time at all.
 */
export function explainAuthorization(input: AuthorizationInput): AuthorizationExplained {
  if (!input.secretId || !input.secretKey) {
    throw new CiValidationError('Cannot sign without a SecretId and a SecretKey', [
      { path: input.secretId ? 'secretKey' : 'secretId', message: 'is missing or empty' },
    ]);
  }
  let keyTime: string;
  if (input.keyTime !== undefined) {
    if (!KEY_TIME.test(input.keyTime)) {
      throw new CiValidationError('Invalid KeyTime', [{ path: 'keyTime', message: 'must be "start;end" in Unix seconds' }]);
    }
    keyTime = input.keyTime;
  } else if (input.startTime !== undefined) {
    keyTime = formatKeyTime(input.startTime, input.expiresSeconds);
  } else {
    throw new CiValidationError('createAuthorization needs a time: pass keyTime, or startTime (and expiresSeconds)', [
      { path: 'keyTime', message: 'is missing' },
    ]);
  }
  // each list is canonicalised once: its keys go in the header, its pairs in the HttpString
  const query = canonicalList(input.query);
  const headers = canonicalList(input.headers);
  const headerList = headers.keys;
  const urlParamList = query.keys;
  const httpString = httpStringOf(input, query, headers);
  const stringToSign = buildStringToSign(keyTime, httpString);
  const signature = hmacSha1Hex(computeSignKey(input.secretKey, keyTime), stringToSign);
  const authorization =
    `q-sign-algorithm=sha1&q-ak=${input.secretId}&q-sign-time=${keyTime}&q-key-time=${keyTime}` +
    `&q-header-list=${headerList}&q-url-param-list=${urlParamList}&q-signature=${signature}`;
  return { keyTime, headerList, urlParamList, httpString, stringToSign, signature, authorization };
}

/**
 * The `Authorization` header value for a CI request:
 * `q-sign-algorithm=sha1&q-ak=…&q-sign-time=…&q-key-time=…&q-header-list=…&q-url-param-list=…&q-signature=…`.
 *
 * Pure: the time comes from `keyTime` or `startTime`. Throws {@link CiValidationError} on bad input.
 * Source: Tencent Cloud "Request Signature" (COS 436/7778).
 */
export function createAuthorization(input: AuthorizationInput): string {
  return explainAuthorization(input).authorization;
}

/** The parts of an `Authorization` header value, as sent (`q-signature` included). */
export interface ParsedAuthorization {
  readonly algorithm: string;
  readonly secretId: string;
  readonly signTime: string;
  readonly keyTime: string;
  readonly headerList: readonly string[];
  readonly urlParamList: readonly string[];
  readonly signature: string;
}

/** Parses an `Authorization` header value; returns undefined when it is not a q-sign-algorithm signature. */
export function parseAuthorization(value: string | null | undefined): ParsedAuthorization | undefined {
  if (!value) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const need = ['q-sign-algorithm', 'q-ak', 'q-sign-time', 'q-key-time', 'q-header-list', 'q-url-param-list', 'q-signature'];
  if (!need.every((k) => fields.has(k))) return undefined;
  const list = (s: string) => (s ? s.split(';') : []);
  return {
    algorithm: fields.get('q-sign-algorithm')!,
    secretId: fields.get('q-ak')!,
    signTime: fields.get('q-sign-time')!,
    keyTime: fields.get('q-key-time')!,
    headerList: list(fields.get('q-header-list')!),
    urlParamList: list(fields.get('q-url-param-list')!),
    signature: fields.get('q-signature')!,
  };
}
