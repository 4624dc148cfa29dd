/**
 * Hand-computed worked examples of the COS/CI `q-sign-algorithm=sha1` signature (Tencent Cloud
 * "Request Signature", https://www.tencentcloud.com/document/product/436/7778).
 *
 * Every expected value below is a string literal, computed once, outside this repository, with node:crypto
 * on hand-written HttpStrings (the percent-encodings were written by hand and double-checked with an
 * independent byte-level encoder). Nothing here is derived from our signer. Each example is checked step
 * by step against our intermediate functions and, end to end, against the official Node SDK
 * (`cos-nodejs-sdk-v5`, `COS.getAuthorization`).
 *
 * The credentials are Tencent's published documentation samples (not real keys); the documentation gives
 * SignKey `eb2519b498b02ac213cb1f3d1a3d27a3b3c9bc5f` for KeyTime `1557989151;1557996351`, which example 1
 * reproduces.
 */
import COS from 'cos-nodejs-sdk-v5';
import {
  buildHttpString,
  buildStringToSign,
  canonicalList,
  computeSignKey,
  createAuthorization,
  encodeRfc3986,
  explainAuthorization,
  formatKeyTime,
  parseAuthorization,
  type AuthorizationInput,
} from '../src/signer';
import { CiValidationError } from '../src/errors';

const DOC_SECRET_ID = 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q';
const DOC_SECRET_KEY = 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz';
const HOST = 'examplebucket-1250000000.ci.ap-chongqing.myqcloud.com';

/** Calls the official SDK's static signer. `Key` is the decoded path without its leading '/'. */
function oracle(opts: {
  SecretId: string;
  SecretKey: string;
  Method: string;
  Key?: string;
  Pathname?: string;
  Query?: Record<string, string>;
  Headers?: Record<string, string>;
  KeyTime: string;
}): string {
  return COS.getAuthorization(opts as unknown as Parameters<typeof COS.getAuthorization>[0]);
}

interface WorkedExample {
  readonly title: string;
  readonly input: AuthorizationInput;
  /** The same request in the oracle's terms. */
  readonly oracleInput: Parameters<typeof oracle>[0];
  readonly keyTime: string;
  readonly signKey: string;
  readonly httpParameters: string;
  readonly httpHeaders: string;
  readonly urlParamList: string;
  readonly headerList: string;
  readonly httpString: string;
  readonly stringToSign: string;
  readonly signature: string;
  readonly authorization: string;
}

const examples: WorkedExample[] = [
  {
    // Mixed-case query key (queueId -> queueid), two params sorted, host signed; documentation credentials.
    title: 'GET /jobs?queueId=…&tag=Animation with host',
    input: {
      secretId: DOC_SECRET_ID,
      secretKey: DOC_SECRET_KEY,
      keyTime: '1557989151;1557996351',
      method: 'GET',
      pathname: '/jobs',
      query: { tag: 'Animation', queueId: 'p2242ab62c7c94486915508540933a2c6' },
      headers: { Host: HOST },
    },
    oracleInput: {
      SecretId: DOC_SECRET_ID,
      SecretKey: DOC_SECRET_KEY,
      Method: 'GET',
      Key: 'jobs',
      Query: { tag: 'Animation', queueId: 'p2242ab62c7c94486915508540933a2c6' },
      Headers: { Host: HOST },
      KeyTime: '1557989151;1557996351',
    },
    keyTime: '1557989151;1557996351',
    signKey: 'eb2519b498b02ac213cb1f3d1a3d27a3b3c9bc5f', // as printed in Tencent's documentation
    httpParameters: 'queueid=p2242ab62c7c94486915508540933a2c6&tag=Animation',
    httpHeaders: `host=${HOST}`,
    urlParamList: 'queueid;tag',
    headerList: 'host',
    httpString:
      'get\n/jobs\nqueueid=p2242ab62c7c94486915508540933a2c6&tag=Animation\nhost=examplebucket-1250000000.ci.ap-chongqing.myqcloud.com\n',
    stringToSign: 'sha1\n1557989151;1557996351\nbe846579c65399fa214d02e64450aaf939f0a90c\n',
    signature: '3d11d5865f4f2e6bc83fba5e7a219a9bd7fbb116',
    authorization:
      'q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1557989151;1557996351' +
      '&q-key-time=1557989151;1557996351&q-header-list=host&q-url-param-list=queueid;tag' +
      '&q-signature=3d11d5865f4f2e6bc83fba5e7a219a9bd7fbb116',
  },
  {
    // A valueless parameter (`?cancel`) signs as `cancel=`; KeyTime from startTime + the default 900 s.
    title: 'PUT /jobs/<id>?cancel',
    input: {
      secretId: DOC_SECRET_ID,
      secretKey: DOC_SECRET_KEY,
      startTime: 1700000000,
      method: 'put',
      pathname: '/jobs/j8d3c1f6e2a9b11ee8a3b525400f1e2c4',
      query: { cancel: '' },
      headers: { host: HOST },
    },
    oracleInput: {
      SecretId: DOC_SECRET_ID,
      SecretKey: DOC_SECRET_KEY,
      Method: 'put',
      Key: 'jobs/j8d3c1f6e2a9b11ee8a3b525400f1e2c4',
      Query: { cancel: '' },
      Headers: { host: HOST },
      KeyTime: '1700000000;1700000900',
    },
    keyTime: '1700000000;1700000900',
    signKey: 'e07528a0f0ce5626d726b2eab2d76f1fa231f940',
    httpParameters: 'cancel=',
    httpHeaders: `host=${HOST}`,
    urlParamList: 'cancel',
    headerList: 'host',
    httpString: 'put\n/jobs/j8d3c1f6e2a9b11ee8a3b525400f1e2c4\ncancel=\nhost=examplebucket-1250000000.ci.ap-chongqing.myqcloud.com\n',
    stringToSign: 'sha1\n1700000000;1700000900\nfa836051769b3253b9601b3b7be80a5e33519acc\n',
    signature: 'c65429ccf7cbbaded2a3986e79a8c2117b0d7cc4',
    authorization:
      'q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1700000000;1700000900' +
      '&q-key-time=1700000000;1700000900&q-header-list=host&q-url-param-list=cancel' +
      '&q-signature=c65429ccf7cbbaded2a3986e79a8c2117b0d7cc4',
  },
  {
    // POST with a body: content-type, content-md5 (base64: '/', '+', '=' are encoded), the session token of
    // temporary credentials as x-ci-security-token; no query, so HttpParameters is an empty line.
    title: 'POST /jobs with content-type, content-md5 and x-ci-security-token',
    input: {
      secretId: 'AKIDtmpEXAMPLEtmpEXAMPLE',
      secretKey: 'tmpSecretKeyEXAMPLE0123456789abc',
      keyTime: '1700000000;1700001800',
      method: 'Post',
      pathname: '/jobs',
      headers: {
        'x-ci-security-token': 'tok+en/example==',
        Host: HOST,
        'Content-Type': 'application/xml',
        'Content-MD5': 'mQ/fVh815F3k6TAUm8m0eg==',
      },
    },
    oracleInput: {
      SecretId: 'AKIDtmpEXAMPLEtmpEXAMPLE',
      SecretKey: 'tmpSecretKeyEXAMPLE0123456789abc',
      Method: 'Post',
      Key: 'jobs',
      Headers: {
        'x-ci-security-token': 'tok+en/example==',
        Host: HOST,
        'Content-Type': 'application/xml',
        'Content-MD5': 'mQ/fVh815F3k6TAUm8m0eg==',
      },
      KeyTime: '1700000000;1700001800',
    },
    keyTime: '1700000000;1700001800',
    signKey: '76a52ad1e29af550cfdd8b4994f5bf87e51b34d4',
    httpParameters: '',
    httpHeaders:
      'content-md5=mQ%2FfVh815F3k6TAUm8m0eg%3D%3D&content-type=application%2Fxml' +
      '&host=examplebucket-1250000000.ci.ap-chongqing.myqcloud.com&x-ci-security-token=tok%2Ben%2Fexample%3D%3D',
    urlParamList: '',
    headerList: 'content-md5;content-type;host;x-ci-security-token',
    httpString:
      'post\n/jobs\n\ncontent-md5=mQ%2FfVh815F3k6TAUm8m0eg%3D%3D&content-type=application%2Fxml' +
      '&host=examplebucket-1250000000.ci.ap-chongqing.myqcloud.com&x-ci-security-token=tok%2Ben%2Fexample%3D%3D\n',
    stringToSign: 'sha1\n1700000000;1700001800\n264cf1b7f0de738402ca3924b1fec1d56a697206\n',
    signature: 'bc298d4190c70bc7843cbff7a93787640c71159e',
    authorization:
      'q-sign-algorithm=sha1&q-ak=AKIDtmpEXAMPLEtmpEXAMPLE&q-sign-time=1700000000;1700001800' +
      '&q-key-time=1700000000;1700001800&q-header-list=content-md5;content-type;host;x-ci-security-token' +
      '&q-url-param-list=&q-signature=bc298d4190c70bc7843cbff7a93787640c71159e',
  },
  {
    // The path is signed DECODED (space, CJK, parentheses as-is); a query value holding `; * = ' ( ) !` is
    // encoded with the `!'()*` extension; a mixed-case x-cos-meta-* header with a CJK/Latin-1 value.
    title: "GET of a path with a space and CJK, and `!'()*` in a value",
    input: {
      secretId: DOC_SECRET_ID,
      secretKey: DOC_SECRET_KEY,
      keyTime: '1700000000;1700000900',
      method: 'GET',
      pathname: '/input/my video 视频 (1).mp4',
      query: {
        time: '1.5',
        'ci-process': 'snapshot',
        'response-content-disposition': "attachment; filename*=UTF-8''a(1)!.jpg",
      },
      headers: { 'X-Cos-Meta-Title': '标题 Ü*', Host: HOST },
    },
    oracleInput: {
      SecretId: DOC_SECRET_ID,
      SecretKey: DOC_SECRET_KEY,
      Method: 'GET',
      Key: 'input/my video 视频 (1).mp4',
      Query: {
        time: '1.5',
        'ci-process': 'snapshot',
        'response-content-disposition': "attachment; filename*=UTF-8''a(1)!.jpg",
      },
      Headers: { 'X-Cos-Meta-Title': '标题 Ü*', Host: HOST },
      KeyTime: '1700000000;1700000900',
    },
    keyTime: '1700000000;1700000900',
    signKey: 'e07528a0f0ce5626d726b2eab2d76f1fa231f940',
    httpParameters: 'ci-process=snapshot&response-content-disposition=attachment%3B%20filename%2A%3DUTF-8%27%27a%281%29%21.jpg&time=1.5',
    httpHeaders: 'host=examplebucket-1250000000.ci.ap-chongqing.myqcloud.com&x-cos-meta-title=%E6%A0%87%E9%A2%98%20%C3%9C%2A',
    urlParamList: 'ci-process;response-content-disposition;time',
    headerList: 'host;x-cos-meta-title',
    httpString:
      'get\n/input/my video 视频 (1).mp4\n' +
      'ci-process=snapshot&response-content-disposition=attachment%3B%20filename%2A%3DUTF-8%27%27a%281%29%21.jpg&time=1.5\n' +
      'host=examplebucket-1250000000.ci.ap-chongqing.myqcloud.com&x-cos-meta-title=%E6%A0%87%E9%A2%98%20%C3%9C%2A\n',
    stringToSign: 'sha1\n1700000000;1700000900\nee78ec16f3bfef290fec5e826ea9f1f57b89ef7d\n',
    signature: 'f575a9e6883eeadca163705a1f8fe54a8c287be2',
    authorization:
      'q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1700000000;1700000900' +
      '&q-key-time=1700000000;1700000900&q-header-list=host;x-cos-meta-title' +
      '&q-url-param-list=ci-process;response-content-disposition;time' +
      '&q-signature=f575a9e6883eeadca163705a1f8fe54a8c287be2',
  },
];

describe.each(examples)('worked example: $title', (ex) => {
  // Each intermediate function reproduces its hand-computed literal.
  it('KeyTime and SignKey', () => {
    if (ex.input.startTime !== undefined) expect(formatKeyTime(ex.input.startTime)).toBe(ex.keyTime);
    expect(computeSignKey(ex.input.secretKey, ex.keyTime)).toBe(ex.signKey);
  });

  it('HttpParameters / HttpHeaders and the key lists', () => {
    expect(canonicalList(ex.input.query)).toEqual({ pairs: ex.httpParameters, keys: ex.urlParamList });
    expect(canonicalList(ex.input.headers)).toEqual({ pairs: ex.httpHeaders, keys: ex.headerList });
  });

  it('HttpString and StringToSign', () => {
    expect(buildHttpString(ex.input)).toBe(ex.httpString);
    expect(buildStringToSign(ex.keyTime, ex.httpString)).toBe(ex.stringToSign);
  });

  it('signature and Authorization (explainAuthorization, createAuthorization)', () => {
    expect(explainAuthorization(ex.input)).toEqual({
      keyTime: ex.keyTime,
      headerList: ex.headerList,
      urlParamList: ex.urlParamList,
      httpString: ex.httpString,
      stringToSign: ex.stringToSign,
      signature: ex.signature,
      authorization: ex.authorization,
    });
    expect(createAuthorization(ex.input)).toBe(ex.authorization);
  });

  // The official SDK computes the very same header value (so the literals are not just our reading of the spec).
  it('matches the official SDK (cos-nodejs-sdk-v5)', () => {
    expect(oracle(ex.oracleInput)).toBe(ex.authorization);
  });

  it('parses back', () => {
    expect(parseAuthorization(ex.authorization)).toEqual({
      algorithm: 'sha1',
      secretId: ex.input.secretId,
      signTime: ex.keyTime,
      keyTime: ex.keyTime,
      headerList: ex.headerList ? ex.headerList.split(';') : [],
      urlParamList: ex.urlParamList ? ex.urlParamList.split(';') : [],
      signature: ex.signature,
    });
  });
});

describe('details of the rules', () => {
  // `!'()*` are encoded on top of encodeURIComponent; space is %20, never '+'; upper-case hex.
  it('encodeRfc3986', () => {
    expect(encodeRfc3986("!'()*")).toBe('%21%27%28%29%2A');
    expect(encodeRfc3986('a b+c/d%e')).toBe('a%20b%2Bc%2Fd%25e');
    expect(encodeRfc3986('-_.~AZaz09')).toBe('-_.~AZaz09');
    expect(encodeRfc3986('视频😀')).toBe('%E8%A7%86%E9%A2%91%F0%9F%98%80');
  });

  // A lone surrogate cannot be encoded: a typed error, not a URIError.
  it('encodeRfc3986 rejects a lone surrogate', () => {
    expect(() => encodeRfc3986('\ud800')).toThrow(CiValidationError);
  });

  // The path in the HttpString is the decoded path: signing `/a%20b` gives a different signature.
  it('an encoded path signs differently from the decoded one', () => {
    const base = { secretId: 'id', secretKey: 'key', keyTime: '1;2', method: 'get' };
    expect(buildHttpString({ ...base, pathname: '/a b' })).toBe('get\n/a b\n\n\n');
    expect(createAuthorization({ ...base, pathname: '/a b' })).not.toBe(createAuthorization({ ...base, pathname: '/a%20b' }));
  });

  // The oracle builds the same pathname from `Key` (it prefixes '/') and from `Pathname`.
  it('oracle: Key without a leading slash = Pathname with one', () => {
    const ex = examples[3]!;
    const { Key, ...rest } = ex.oracleInput;
    expect(oracle({ ...rest, Pathname: `/${Key}` })).toBe(ex.authorization);
  });

  // Empty/undefined entries: `k=` for '' (signed); undefined entries are left out entirely.
  it('undefined entries are not signed, empty ones are', () => {
    expect(canonicalList({ b: '', a: undefined, C: 0 })).toEqual({ pairs: 'b=&c=0', keys: 'b;c' });
    expect(canonicalList(undefined)).toEqual({ pairs: '', keys: '' });
  });

  // Input validation: a typed error instead of a wrong signature.
  it('rejects missing secrets, a malformed KeyTime or no time at all', () => {
    const req = { method: 'get', pathname: '/' };
    expect(() => createAuthorization({ ...req, secretId: '', secretKey: 'k', keyTime: '1;2' })).toThrow(CiValidationError);
    expect(() => createAuthorization({ ...req, secretId: 'i', secretKey: '', keyTime: '1;2' })).toThrow(CiValidationError);
    expect(() => createAuthorization({ ...req, secretId: 'i', secretKey: 'k', keyTime: '1-2' })).toThrow(CiValidationError);
    expect(() => createAuthorization({ ...req, secretId: 'i', secretKey: 'k' })).toThrow(CiValidationError);
    expect(() => formatKeyTime(-1)).toThrow(CiValidationError);
    expect(() => formatKeyTime(0, 0)).toThrow(CiValidationError);
    expect(formatKeyTime(new Date(1700000000999), 60)).toBe('1700000000;1700000060');
  });

  it('parseAuthorization rejects what is not a q-sign-algorithm value', () => {
    expect(parseAuthorization(undefined)).toBeUndefined();
    expect(parseAuthorization('')).toBeUndefined();
    expect(parseAuthorization('Bearer abc')).toBeUndefined();
    expect(parseAuthorization('q-sign-algorithm=sha1&q-ak=x')).toBeUndefined();
  });
});
