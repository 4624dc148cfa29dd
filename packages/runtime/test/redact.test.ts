/**
 * Redaction: every form of every secret (raw, percent-encoded in any hex case or rule, twice, XML- and
 * JSON-escaped, `+` for a space), the structures that carry them (an echoed HttpString's
 * x-ci-security-token, q-signature), short secrets, overlapping secrets, and cause chains.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { encodeRfc3986, redactCause, redactSecrets, secretRedactor } from '../src';

const TOKEN = 'tok/en+with=padding&<"quoted">';
const KEY = 'sEcReT kEy 中文';
const SIGNATURE = 'e8d7c2a1b3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8';

const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const mixedHex = (s: string) => {
  let i = 0;
  return s.replace(/%[0-9A-F]{2}/g, (m) => (i++ % 2 ? m.toLowerCase() : m));
};
const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Every form a secret takes on its way back: how a server, proxy or fetch may write it. */
const FORMS: ReadonlyArray<readonly [string, (s: string) => string]> = [
  ['raw', (s) => s],
  ['encodeURIComponent', (s) => encodeURIComponent(s)],
  ['RFC 3986 (the signer)', (s) => encodeRfc3986(s)],
  ['lower-case hex', (s) => lowerHex(encodeRfc3986(s))],
  ['mixed-case hex', (s) => mixedHex(encodeRfc3986(s))],
  ['form encoding (+ for space)', (s) => encodeURIComponent(s).replace(/%20/g, '+')],
  ['encoded twice', (s) => encodeURIComponent(encodeURIComponent(s))],
  ['partly encoded (only / and +)', (s) => s.replace(/\//g, '%2F').replace(/\+/g, '%2b')],
  ['XML-escaped', xml],
  ['XML numeric references', (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)],
  ['JSON-escaped', (s) => JSON.stringify(s).slice(1, -1)],
  [
    'JSON with \\u escapes',
    (s) =>
      JSON.stringify(s)
        .slice(1, -1)
        .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  ],
];

describe('secretRedactor', () => {
  const redact = secretRedactor({ secretKey: KEY, sessionToken: TOKEN, signatures: [SIGNATURE] });

  test.each(FORMS)('removes the token and the key written %s, anywhere in a text', (_form, write) => {
    for (const [secret, name] of [
      [TOKEN, 'sessionToken'],
      [KEY, 'secretKey'],
    ] as const) {
      const text = `before ${write(secret)} middle ${write(secret)}after`;
      const out = redact(text);
      expect(out).not.toContain(write(secret));
      expect(out).toBe(`before [redacted ${name}] middle [redacted ${name}]after`);
    }
  });

  test('the structure of an echoed HttpString or Authorization is redacted whatever the value', () => {
    const other = secretRedactor({ sessionToken: 'not-this-one' });
    const echoes = [
      'get\n/jobs\n\nhost=h&x-ci-security-token=SOMEOTHERTOKEN%2F%3D\n',
      'HttpString: "get\\n/jobs\\n\\nhost=h&x-ci-security-token=SOMEOTHERTOKEN\\n"',
      'x-ci-security-token: SOMEOTHERTOKEN',
      'X-COS-SECURITY-TOKEN=SOMEOTHERTOKEN',
      '{"x-ci-security-token":"SOMEOTHERTOKEN"}',
      'q-sign-algorithm=sha1&q-ak=AKIDx&q-sign-time=1;2&q-key-time=1;2&q-header-list=host&q-url-param-list=&q-signature=0123456789abcdef0123456789ABCDEF01234567',
    ];
    for (const text of echoes) {
      const out = other(text);
      expect(out).not.toMatch(/SOMEOTHERTOKEN|0123456789abcdef/);
      expect(out).toMatch(/\[redacted (sessionToken|signature)\]/);
    }
    // the SecretId is an identifier: kept unless asked for
    expect(other(echoes.at(-1)!)).toContain('q-ak=AKIDx');
    expect(redactSecrets('q-ak=AKIDx', { secretId: 'AKIDx' })).toBe('q-ak=[redacted secretId]');
  });

  test('the signature is redacted as a value too (quoted without its q-signature= key), in either hex case', () => {
    expect(redact(`expected ${SIGNATURE.toUpperCase()} got ${SIGNATURE}`)).toBe('expected [redacted signature] got [redacted signature]');
  });

  test('short secrets are redacted too; markers are not redacted again', () => {
    expect(redactSecrets('a red car', { sessionToken: 'r' })).toBe('a [redacted sessionToken]ed ca[redacted sessionToken]');
    expect(redactSecrets('redacted', { secretKey: 'red' })).toBe('[redacted secretKey]acted');
  });

  test('a secret holding another is replaced whole (longest first)', () => {
    expect(redactSecrets('x KEYTOKEN y TOKEN', { secretKey: 'KEYTOKEN', sessionToken: 'TOKEN' })).toBe(
      'x [redacted secretKey] y [redacted sessionToken]',
    );
  });

  test('no secrets: text unchanged (except the structures)', () => {
    const none = secretRedactor({});
    expect(none('plain text, q-ak=AKID, 1250000000')).toBe('plain text, q-ak=AKID, 1250000000');
  });

  test('property: a random secret in a random form at a random place never survives', () => {
    const unit = fc.constantFrom('a', 'Z', '0', '/', '+', '=', '%', ' ', '&', '<', '"', "'", '中', '😀', '~', '-', '.', '*');
    fc.assert(
      fc.property(
        fc.string({ unit, minLength: 1, maxLength: 40 }),
        fc.string({ maxLength: 60 }),
        fc.string({ maxLength: 60 }),
        fc.integer({ min: 0, max: FORMS.length - 1 }),
        (secret, before, after, form) => {
          const written = FORMS[form]![1](secret);
          const out = redactSecrets(`${before}${written}${after}`, { sessionToken: secret });
          expect(out).toContain('[redacted sessionToken]');
          expect(out.includes(written) && !'[redacted sessionToken]'.includes(written)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('redactCause', () => {
  const redact = secretRedactor({ sessionToken: TOKEN });

  test('an error chain holding a secret becomes a redacted copy: name, code and chain kept', () => {
    const inner = Object.assign(new Error(`header x-ci-security-token: ${TOKEN}`), { code: 'ERR_X' });
    const outer = new TypeError(`Headers.append: "${TOKEN}" is an invalid header value.`, { cause: inner });
    const copy = redactCause(outer, redact) as Error;
    expect(copy).not.toBe(outer);
    expect(copy.name).toBe('TypeError');
    expect((copy.cause as { code?: string }).code).toBe('ERR_X');
    const shown = inspect(copy, { depth: 10, showHidden: true });
    expect(shown).not.toContain(TOKEN);
    expect(shown).toContain('[redacted sessionToken]');
  });

  test('an error holding no secret is kept as is (identity and class)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const err = new TypeError('fetch failed', { cause: refused });
    expect(redactCause(err, redact)).toBe(err);
    expect(redactCause(`a ${TOKEN}`, redact)).toBe('a [redacted sessionToken]');
    expect(redactCause(42, redact)).toBe(42);
  });
});
