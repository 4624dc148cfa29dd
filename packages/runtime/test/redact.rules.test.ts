/** Redaction rules with exact values: empty secrets, metacharacters, every UTF-8 length, the structures, causes. */
import { redactCause, redactedMarker, redactSecrets, secretRedactor } from '../src';

describe('secretRedactor', () => {
  test('empty or missing secrets are ignored: the text is unchanged', () => {
    const r = secretRedactor({ secretKey: '', sessionToken: undefined, secretId: '', signatures: ['', undefined] });
    expect(r('plain text')).toBe('plain text');
    expect(r('')).toBe('');
    expect(r(42 as unknown as string)).toBe(42);
    expect(redactedMarker('x')).toBe('[redacted x]');
  });

  test('a secret is matched literally: regular-expression characters in it are plain characters', () => {
    for (const secret of ['a.b', 'a*', 'x+y', '(a)', '[ab]', 'a|b', '^a$', 'a?', '{1}', 'a\\b', 'a/b', 'a-b']) {
      expect(redactSecrets(`<${secret}>`, { secretKey: secret })).toBe('<[redacted secretKey]>');
    }
    expect(redactSecrets('axb aab', { secretKey: 'a.b' })).toBe('axb aab');
    expect(redactSecrets('b', { secretKey: 'a|b' })).toBe('b');
  });

  test('each name has its marker; secretId only when given', () => {
    const r = secretRedactor({ secretKey: 'KKKK', sessionToken: 'TTTT', secretId: 'IIII', signatures: ['0a1b2c'] });
    expect(r('KKKK TTTT IIII 0A1B2C')).toBe('[redacted secretKey] [redacted sessionToken] [redacted secretId] [redacted signature]');
  });

  test('percent-encoded forms of 1-, 2-, 3- and 4-byte characters, any hex case, encoded twice', () => {
    const r = secretRedactor({ secretKey: ' é中😀' });
    for (const form of [
      '%20%C3%A9%E4%B8%AD%F0%9F%98%80',
      '%20%c3%a9%e4%b8%ad%f0%9f%98%80',
      '+%C3%A9%E4%B8%AD%F0%9F%98%80',
      '%2520%25C3%25A9%25E4%25B8%25AD%25F0%259F%2598%2580',
      ' é中😀',
      ' \\u00e9\\u4E2D\\ud83d\\uDE00',
    ]) {
      expect(r(`[${form}]`)).toBe('[[redacted secretKey]]');
    }
    // unreserved characters have no percent form to look for
    expect(redactSecrets('%61', { secretKey: 'a' })).toBe('%61');
  });

  test('XML forms: named and numeric references, decimal or hex, any case of x and of the digits', () => {
    const r = secretRedactor({ sessionToken: `&<>"'` });
    for (const form of ['&amp;&lt;&gt;&quot;&apos;', '&#38;&#60;&#62;&#34;&#39;', '&#x26;&#x3c;&#x3E;&#X22;&#x27;']) {
      expect(r(form)).toBe('[redacted sessionToken]');
    }
    // JSON-escaped quote and backslash
    expect(redactSecrets('"a\\"b\\\\c"', { sessionToken: 'a"b\\c' })).toBe('"[redacted sessionToken]"');
  });

  test('a lone surrogate in a secret is matched raw', () => {
    expect(redactSecrets('x\ud800y', { secretKey: '\ud800' })).toBe('x[redacted secretKey]y');
  });

  test('a signature that is not hex is matched as text; a hex one in any letter case', () => {
    expect(redactSecrets('sig=not/hex', { signatures: ['not/hex'] })).toBe('sig=[redacted signature]');
    expect(redactSecrets('NOT/HEX', { signatures: ['not/hex'] })).toBe('NOT/HEX');
    expect(redactSecrets('AbCdEf', { signatures: ['abcdef'] })).toBe('[redacted signature]');
    // the key is case-sensitive where it is not hex
    expect(redactSecrets('ABCDEF', { secretKey: 'abcdef' })).toBe('ABCDEF');
  });

  test('the token header and q-signature structures, whatever the value, in each writing; redacted once', () => {
    const r = secretRedactor({});
    expect(r('x-ci-security-token=abc&next=1')).toBe('x-ci-security-token=[redacted sessionToken]&next=1');
    expect(r('X-Cos-Security-Token:\t abc def')).toBe('X-Cos-Security-Token:\t [redacted sessionToken] def');
    expect(r('{"x-ci-security-token" : "abc","b":1}')).toBe('{"x-ci-security-token" : "[redacted sessionToken]","b":1}');
    for (const stop of ['&', ' ', '"', "'", '<', '>', '\\', ',', ';']) {
      expect(r(`x-ci-security-token=abc${stop}rest`)).toBe(`x-ci-security-token=[redacted sessionToken]${stop}rest`);
    }
    expect(r('x-ci-security-token=[redacted sessionToken]')).toBe('x-ci-security-token=[redacted sessionToken]');
    expect(r('Q-Signature=DEADbeef01&x')).toBe('Q-Signature=[redacted signature]&x');
    expect(r('q-signature=[redacted signature]')).toBe('q-signature=[redacted signature]');
    expect(r('q-signature=xyz')).toBe('q-signature=xyz');
    expect(r('x-ci-security-tokens=abc')).toBe('x-ci-security-tokens=abc');
  });
});

describe('redactCause', () => {
  const r = secretRedactor({ sessionToken: 'TOPSECRET' });

  test('a copy keeps name, code and other members redacted; stack and cause not enumerable; the rest enumerable', () => {
    const err = Object.assign(new RangeError('has TOPSECRET'), { code: 'E1', detail: 'TOPSECRET detail', count: 3 });
    const copy = redactCause(err, r) as Error & Record<string, unknown>;
    expect(copy).not.toBe(err);
    expect(copy).toBeInstanceOf(Error);
    expect(copy.name).toBe('RangeError');
    expect(copy.message).toBe('has [redacted sessionToken]');
    expect([copy.code, copy.detail, copy.count]).toStrictEqual(['E1', '[redacted sessionToken] detail', 3]);
    expect(Object.getOwnPropertyDescriptor(copy, 'code')!.enumerable).toBe(true);
    expect(Object.getOwnPropertyDescriptor(copy, 'stack')!.enumerable).toBe(false);
    expect(String(copy.stack)).not.toContain('TOPSECRET');
    const plainName = redactCause(new Error('TOPSECRET'), r) as Error;
    expect(Object.prototype.hasOwnProperty.call(plainName, 'name')).toBe(false);
    expect(plainName.name).toBe('Error');
  });

  test('a secret only in a member, or only in a cause, makes a copy; the cause is not enumerable', () => {
    const inMember = Object.assign(new Error('fine'), { detail: 'TOPSECRET' });
    expect(redactCause(inMember, r)).not.toBe(inMember);
    const inner = new Error('TOPSECRET inside');
    const outer = new Error('fine', { cause: inner });
    const copy = redactCause(outer, r) as Error;
    expect(copy).not.toBe(outer);
    expect((copy.cause as Error).message).toBe('[redacted sessionToken] inside');
    expect(Object.getOwnPropertyDescriptor(copy, 'cause')!.enumerable).toBe(false);
    expect(redactCause('TOPSECRET', r)).toBe('[redacted sessionToken]');
    const obj = { message: 'TOPSECRET' };
    expect(redactCause(obj, r)).toBe(obj);
  });

  test('a member whose getter throws is skipped; a chain is followed 8 levels deep, not further', () => {
    const err = new Error('TOPSECRET');
    Object.defineProperty(err, 'bad', {
      get() {
        throw new Error('no');
      },
      enumerable: true,
    });
    const copy = redactCause(err, r) as Error & Record<string, unknown>;
    expect(copy.message).toBe('[redacted sessionToken]');
    expect(Object.prototype.hasOwnProperty.call(copy, 'bad')).toBe(false);
    let chain: Error = new Error('TOPSECRET at the bottom');
    for (let i = 0; i < 8; i++) chain = new Error(`level ${8 - i}`, { cause: chain });
    // levels 0..7 are copied, the 9th error (depth 8) is returned as is
    let e = redactCause(chain, r) as Error;
    for (let i = 0; i < 8; i++) e = e.cause as Error;
    expect(e.message).toBe('TOPSECRET at the bottom');
    let shallow: Error = new Error('TOPSECRET at the bottom');
    for (let i = 0; i < 7; i++) shallow = new Error(`level ${7 - i}`, { cause: shallow });
    let f = redactCause(shallow, r) as Error;
    for (let i = 0; i < 7; i++) f = f.cause as Error;
    expect(f.message).toBe('[redacted sessionToken] at the bottom');
  });
});
