/**
 * The signer's rules with exact values: which characters encode, the KeyTime's form and checks, the canonical
 * lists, the missing-input errors (class, summary and issues) and parseAuthorization's refusals.
 */
import { createHash } from 'node:crypto';
import {
  buildHttpString,
  buildStringToSign,
  canonicalList,
  createAuthorization,
  DEFAULT_EXPIRES_SECONDS,
  encodeRfc3986,
  explainAuthorization,
  formatKeyTime,
  parseAuthorization,
} from '../src/signer';
import { CiValidationError } from '../src/errors';

const KEYS = { secretId: 'AKIDsignerrules00000000000000000000', secretKey: 'signer-rules-secret-not-real' };

function validationError(f: () => unknown): CiValidationError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CiValidationError);
    return e as CiValidationError;
  }
  throw new Error('expected a CiValidationError');
}

describe('encodeRfc3986', () => {
  test('unreserved characters stay; the characters next to each unreserved range are encoded', () => {
    const unreserved = 'AZaz09-_.~';
    expect(encodeRfc3986(unreserved)).toBe(unreserved);
    // the neighbours of A-Z (@ [), a-z (` {), 0-9 (/ :) and the four marks
    expect(encodeRfc3986('@[`{/:,+=')).toBe('%40%5B%60%7B%2F%3A%2C%2B%3D');
    for (const c of '@[`{/:,;') expect(encodeRfc3986(`a${c}`)).not.toBe(`a${c}`);
  });

  test("! ' ( ) * are encoded with upper-case hex, space is %20, UTF-8 for the rest", () => {
    expect(encodeRfc3986("!'()*")).toBe('%21%27%28%29%2A');
    expect(encodeRfc3986('a b+c')).toBe('a%20b%2Bc');
    expect(encodeRfc3986('中/é')).toBe('%E4%B8%AD%2F%C3%A9');
    expect(encodeRfc3986('')).toBe('');
  });

  test('a lone surrogate is a CiValidationError, not a URIError', () => {
    const err = validationError(() => encodeRfc3986('a\ud800'));
    expect(err.summary).toBe('Cannot URL-encode a value holding a lone UTF-16 surrogate');
    expect(err.issues).toStrictEqual([{ path: '', message: 'not well-formed Unicode' }]);
  });
});

describe('formatKeyTime', () => {
  test('start;start+expires from Unix seconds (floored) or a Date; 900 s by default', () => {
    expect(DEFAULT_EXPIRES_SECONDS).toBe(900);
    expect(formatKeyTime(1700000000)).toBe('1700000000;1700000900');
    expect(formatKeyTime(1700000000.9, 60)).toBe('1700000000;1700000060');
    expect(formatKeyTime(new Date(1700000000999), 1)).toBe('1700000000;1700000001');
    expect(formatKeyTime(0, 1)).toBe('0;1');
  });

  test.each([-1, Number.NaN, Infinity, new Date(Number.NaN), new Date(-1000)])('a start of %p is refused, naming startTime', (start) => {
    const err = validationError(() => formatKeyTime(start as number | Date));
    expect(err.summary).toBe('Invalid signature start time');
    expect(err.issues).toStrictEqual([{ path: 'startTime', message: 'must be Unix seconds >= 0' }]);
  });

  test.each([0, -5, 1.5, Number.NaN])('a validity of %p is refused, naming expiresSeconds', (expires) => {
    const err = validationError(() => formatKeyTime(1700000000, expires));
    expect(err.summary).toBe('Invalid signature validity');
    expect(err.issues).toStrictEqual([{ path: 'expiresSeconds', message: 'must be a positive integer number of seconds' }]);
  });
});

describe('canonicalList', () => {
  test('keys encoded then lower-cased, values encoded as given, sorted by encoded key, undefined skipped', () => {
    expect(canonicalList({ 'B Key': 'V V', a: 'x/Y', c: undefined, Z: 7, ' ': '' })).toStrictEqual({
      pairs: '%20=&a=x%2FY&b%20key=V%20V&z=7',
      keys: '%20;a;b%20key;z',
    });
    expect(canonicalList(undefined)).toStrictEqual({ pairs: '', keys: '' });
    expect(canonicalList({})).toStrictEqual({ pairs: '', keys: '' });
    expect(canonicalList({ only: undefined })).toStrictEqual({ pairs: '', keys: '' });
    expect(canonicalList({ one: '1' })).toStrictEqual({ pairs: 'one=1', keys: 'one' });
  });

  test('the order is by code unit of the encoded key, upper-case keys lower-cased first', () => {
    expect(canonicalList({ b: '1', A: '2', 'a-b': '3', a_b: '4', 'a.b': '5', ab: '6', 'a~': '7' }).keys).toBe('a;a-b;a.b;a_b;ab;a~;b');
    // equal keys after lower-casing keep a stable order
    expect(canonicalList({ X: '1', x: '2' }).pairs).toBe('x=1&x=2');
  });
});

describe('HttpString and StringToSign', () => {
  test('four lines and a trailing newline; the method lower-cased, the path as given', () => {
    expect(buildHttpString({ method: 'PUT', pathname: '/jobs/a b', query: { cancel: '' }, headers: { Host: 'h' } })).toBe(
      'put\n/jobs/a b\ncancel=\nhost=h\n',
    );
    expect(buildHttpString({ method: 'GET', pathname: '/' })).toBe('get\n/\n\n\n');
  });

  test('StringToSign holds the SHA-1 of the HttpString', () => {
    const digest = createHash('sha1').update('get\n/\n\n\n').digest('hex');
    expect(buildStringToSign('1;2', 'get\n/\n\n\n')).toBe(`sha1\n1;2\n${digest}\n`);
  });
});

describe('explainAuthorization', () => {
  const request = { method: 'GET', pathname: '/jobs', query: { queueId: 'q' }, headers: { host: 'h', 'x-ci-a': 'b' } };

  test('every part, in the documented order', () => {
    const e = explainAuthorization({ ...KEYS, ...request, keyTime: '1700000000;1700000900' });
    expect(e.keyTime).toBe('1700000000;1700000900');
    expect(e.headerList).toBe('host;x-ci-a');
    expect(e.urlParamList).toBe('queueid');
    expect(e.httpString).toBe('get\n/jobs\nqueueid=q\nhost=h&x-ci-a=b\n');
    expect(e.stringToSign).toBe(buildStringToSign('1700000000;1700000900', e.httpString));
    expect(e.signature).toMatch(/^[0-9a-f]{40}$/);
    expect(e.authorization).toBe(
      `q-sign-algorithm=sha1&q-ak=${KEYS.secretId}&q-sign-time=1700000000;1700000900&q-key-time=1700000000;1700000900` +
        `&q-header-list=host;x-ci-a&q-url-param-list=queueid&q-signature=${e.signature}`,
    );
    expect(createAuthorization({ ...KEYS, ...request, keyTime: '1700000000;1700000900' })).toBe(e.authorization);
    expect(Object.keys(e).sort()).toStrictEqual(
      ['authorization', 'headerList', 'httpString', 'keyTime', 'signature', 'stringToSign', 'urlParamList'].sort(),
    );
  });

  test('keyTime wins over startTime; startTime uses expiresSeconds, 900 by default', () => {
    expect(explainAuthorization({ ...KEYS, ...request, keyTime: '5;6', startTime: 100 }).keyTime).toBe('5;6');
    expect(explainAuthorization({ ...KEYS, ...request, startTime: 100 }).keyTime).toBe('100;1000');
    expect(explainAuthorization({ ...KEYS, ...request, startTime: 100, expiresSeconds: 5 }).keyTime).toBe('100;105');
    // a different KeyTime is a different signature
    expect(explainAuthorization({ ...KEYS, ...request, keyTime: '5;6' }).signature).not.toBe(
      explainAuthorization({ ...KEYS, ...request, keyTime: '5;7' }).signature,
    );
  });

  test.each(['1;2;3', '1;', ';2', '1', ' 1;2', '1;2 ', 'a;b', '1.5;2', '-1;2', '1;2\n', ''])('KeyTime %j is refused', (keyTime) => {
    const err = validationError(() => explainAuthorization({ ...KEYS, ...request, keyTime }));
    expect(err.summary).toBe('Invalid KeyTime');
    expect(err.issues).toStrictEqual([{ path: 'keyTime', message: 'must be "start;end" in Unix seconds' }]);
  });

  test('no time at all is refused, naming keyTime', () => {
    const err = validationError(() => explainAuthorization({ ...KEYS, ...request }));
    expect(err.summary).toBe('createAuthorization needs a time: pass keyTime, or startTime (and expiresSeconds)');
    expect(err.issues).toStrictEqual([{ path: 'keyTime', message: 'is missing' }]);
  });

  test.each([
    [{ secretId: '', secretKey: 'k' }, 'secretId'],
    [{ secretId: 'id', secretKey: '' }, 'secretKey'],
    [{ secretId: '', secretKey: '' }, 'secretId'],
  ])('missing keys %j: the missing one is named', (keys, path) => {
    const err = validationError(() => explainAuthorization({ ...keys, ...request, keyTime: '1;2' }));
    expect(err.summary).toBe('Cannot sign without a SecretId and a SecretKey');
    expect(err.issues).toStrictEqual([{ path, message: 'is missing or empty' }]);
  });
});

describe('parseAuthorization', () => {
  const full = 'q-sign-algorithm=sha1&q-ak=AK&q-sign-time=1;2&q-key-time=1;3&q-header-list=host;x-ci-a&q-url-param-list=&q-signature=ab=cd';

  test('every field; empty lists are []; a value keeps any = after the first', () => {
    expect(parseAuthorization(full)).toStrictEqual({
      algorithm: 'sha1',
      secretId: 'AK',
      signTime: '1;2',
      keyTime: '1;3',
      headerList: ['host', 'x-ci-a'],
      urlParamList: [],
      signature: 'ab=cd',
    });
  });

  test('nothing, a part without =, or a missing field is undefined', () => {
    expect(parseAuthorization(undefined)).toBeUndefined();
    expect(parseAuthorization(null)).toBeUndefined();
    expect(parseAuthorization('')).toBeUndefined();
    expect(parseAuthorization(`${full}&junk`)).toBeUndefined();
    for (const field of ['q-sign-algorithm', 'q-ak', 'q-sign-time', 'q-key-time', 'q-header-list', 'q-url-param-list', 'q-signature']) {
      const without = full
        .split('&')
        .filter((p) => !p.startsWith(`${field}=`))
        .join('&');
      expect(parseAuthorization(without)).toBeUndefined();
    }
    // a field at the very start of a part only: `=x` names the empty field
    expect(parseAuthorization(`=x&${full}`)).toMatchObject({ algorithm: 'sha1' });
  });
});
