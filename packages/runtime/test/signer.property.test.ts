/**
 * Differential property tests of the COS/CI signature: our `createAuthorization` against the official Node
 * SDK's `COS.getAuthorization` (cos-nodejs-sdk-v5), over generated requests.
 *
 * fast-check prints the seed and the shrunk counterexample when a property fails; re-run with
 * `fc.assert(…, { seed, path })` to reproduce.
 *
 * Why the query-key alphabet is restricted in the differential property: the oracle's `obj2str` sorts
 * HttpParameters by the RAW key lower-cased, while its `q-url-param-list` (and the spec, and we) sort by the
 * ENCODED key lower-cased. The two orders differ as soon as a key character that gets percent-encoded
 * meets, at the same position, an unreserved character that sorts before it ('%' is 0x25, below every
 * unreserved character): e.g. 'a/b' vs 'a.b', or any CJK character vs a letter. For such keys the oracle
 * disagrees with itself (see "the oracle's own ordering quirk" below), so it is no reference. Keys are
 * therefore drawn from unreserved characters plus encoded ASCII characters below '-' (0x2d), for which the
 * two orders provably agree (checked by a property below). Header names are HTTP tokens [a-z0-9-], all
 * unreserved, so the quirk cannot occur for them. Values and paths use the full alphabet (spaces, '+', '%',
 * CJK, emoji, '/', `!'()*`, …).
 */
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import COS from 'cos-nodejs-sdk-v5';
import { createAuthorization, explainAuthorization, parseAuthorization } from '../src/signer';

// The oracle's internal helpers, used only to document its ordering quirk.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an untyped internal module of the SDK, typed by the cast
const cosUtil = require('cos-nodejs-sdk-v5/sdk/util') as {
  obj2str(obj: Record<string, string>, lowerCaseKey: boolean): string;
};

const NUM_RUNS = 1000;

// ---------------------------------------------------------------------------------------------------------
// Generated requests
// ---------------------------------------------------------------------------------------------------------

/** A request as generated: ordered entries, so that insertion order (and the sort rule) is visible. */
interface GenRequest {
  readonly secretId: string;
  readonly secretKey: string;
  readonly keyTime: string;
  readonly method: string;
  /** Decoded path, always starting with '/'. */
  readonly pathname: string;
  readonly query: ReadonlyArray<readonly [string, string | number]>;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Give the oracle `Key` (no leading '/') instead of `Pathname` — both documented call forms. */
  readonly oracleUsesKey: boolean;
}

const chars = (s: string): string[] => Array.from(s); // code points, so the emoji stay whole

/** Characters of paths and values: unreserved, space, + % / , `!'()*`, URL delimiters, Latin-1, CJK, emoji. */
const TEXT_CHARS = chars('aZ09-_.~ +%/!\'()*?#&=;:@,$"éÜ视频😀🎬');
/** Oracle-safe key characters: unreserved + encoded ASCII below '-' (see the header comment). */
const SAFE_KEY_CHARS = chars('abqxyzABQXYZ0189-_.~ !"#$%&\'()*+,');
/** Every key character, including those that trip the oracle's ordering (for oracle-free properties). */
const ANY_KEY_CHARS = chars(`${SAFE_KEY_CHARS.join('')}/:;=?@[]éÄ视频😀`);
const TOKEN_CHARS = chars('abcdefxyz0123456789-');

const text = (maxLength: number) => fc.string({ unit: fc.constantFrom(...TEXT_CHARS), maxLength });

/** A key that is safe as an own property of a plain object (no '__proto__', 'hasOwnProperty', …). */
const keyOf = (alphabet: string[]) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 8 }).filter((k) => !(k in Object.prototype));

const queryEntries = (alphabet: string[]) =>
  fc.uniqueArray(
    fc.tuple(
      fc.mixedCase(keyOf(alphabet)),
      fc.oneof(
        { arbitrary: text(12), weight: 6 },
        { arbitrary: fc.constant(''), weight: 2 }, // `?cancel` style: signs as `cancel=`
        { arbitrary: fc.nat(), weight: 1 },
      ),
    ),
    { selector: ([k]) => k.toLowerCase(), maxLength: 6 }, // no two keys equal once lower-cased
  );

/** Header names from the oracle's allow-list, in mixed case. */
const headerName = fc.mixedCase(
  fc.oneof(
    fc.constantFrom('host', 'content-type', 'content-md5'),
    fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 8 }).map((s) => `x-cos-meta-${s}`),
    fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 8 }).map((s) => `x-ci-${s}`),
  ),
);
const headerEntries = fc.uniqueArray(fc.tuple(headerName, text(16)), {
  selector: ([k]) => k.toLowerCase(),
  maxLength: 5,
});

const keyTime = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 }), fc.integer({ min: 0, max: 7 * 86400 }))
  .map(([start, validity]) => `${start};${start + validity}`);

const requestArb = (keyAlphabet: string[]): fc.Arbitrary<GenRequest> =>
  fc.record({
    secretId: fc.string({ unit: fc.constantFrom(...chars('AKIDakid0123456789xyzXYZ')), minLength: 1, maxLength: 36 }),
    secretKey: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
    keyTime,
    method: fc.mixedCase(fc.constantFrom('get', 'put', 'post', 'delete', 'head', 'options')),
    pathname: text(24).map((p) => `/${p}`),
    query: queryEntries(keyAlphabet),
    headers: headerEntries,
    oracleUsesKey: fc.boolean(),
  });

// ---------------------------------------------------------------------------------------------------------
// The three signers compared: ours, the oracle, and an independent reference with switchable rules
// ---------------------------------------------------------------------------------------------------------

const toRecord = <V>(entries: ReadonlyArray<readonly [string, V]>): Record<string, V> => Object.fromEntries(entries);

function ours(r: GenRequest): string {
  return createAuthorization({
    secretId: r.secretId,
    secretKey: r.secretKey,
    keyTime: r.keyTime,
    method: r.method,
    pathname: r.pathname,
    query: toRecord(r.query),
    headers: toRecord(r.headers),
  });
}

function oracle(r: GenRequest): string {
  // getAuth prefixes '/' to a Key/Pathname that lacks it, so Key = pathname minus its first '/' is the same
  // request, except when the path starts with '//' (Key '/x' would become '/x'): use Pathname then.
  const path = r.oracleUsesKey && !r.pathname.startsWith('//') ? { Key: r.pathname.slice(1) } : { Pathname: r.pathname };
  return COS.getAuthorization({
    SecretId: r.secretId,
    SecretKey: r.secretKey,
    Method: r.method as 'GET',
    ...path,
    Query: toRecord(r.query),
    Headers: toRecord(r.headers),
    KeyTime: r.keyTime,
  });
}

/** The rules of the algorithm; the reference signer can drop any one of them to simulate a regression. */
interface Rules {
  /** HttpString carries the DECODED path (off: the percent-encoded path, as `new URL(...).pathname` gives). */
  readonly decodedPath: boolean;
  /** `!'()*` are percent-encoded on top of encodeURIComponent. */
  readonly encodeBangs: boolean;
  /** Parameters and headers are sorted by encoded, lower-cased key. */
  readonly sort: boolean;
  /** HttpString ends with '\n' after the headers line. */
  readonly trailingNewline: boolean;
  /** Keys (parameter and header names) are lower-cased. */
  readonly lowerCaseKeys: boolean;
}
const ALL_RULES: Rules = { decodedPath: true, encodeBangs: true, sort: true, trailingNewline: true, lowerCaseKeys: true };

function refEncode(s: string, rules: Rules): string {
  const e = encodeURIComponent(s);
  return rules.encodeBangs ? e.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) : e;
}

function refList(entries: ReadonlyArray<readonly [string, string | number]>, rules: Rules) {
  const list = entries.map(([k, v]): [string, string] => {
    const key = refEncode(k, rules);
    return [rules.lowerCaseKeys ? key.toLowerCase() : key, refEncode(String(v), rules)];
  });
  if (rules.sort) list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { pairs: list.map(([k, v]) => `${k}=${v}`).join('&'), keys: list.map(([k]) => k).join(';') };
}

/** An independent implementation of signing.md with node:crypto; `rules` switches single rules off. */
function referenceSign(r: GenRequest, rules: Rules = ALL_RULES): string {
  const path = rules.decodedPath
    ? r.pathname
    : r.pathname
        .split('/')
        .map((seg) => refEncode(seg, rules))
        .join('/');
  const q = refList(r.query, rules);
  const h = refList(r.headers, rules);
  const httpString = `${r.method.toLowerCase()}\n${path}\n${q.pairs}\n${h.pairs}${rules.trailingNewline ? '\n' : ''}`;
  const signKey = createHmac('sha1', r.secretKey).update(r.keyTime, 'utf8').digest('hex');
  const stringToSign = `sha1\n${r.keyTime}\n${createHash('sha1').update(httpString, 'utf8').digest('hex')}\n`;
  const signature = createHmac('sha1', signKey).update(stringToSign, 'utf8').digest('hex');
  return (
    `q-sign-algorithm=sha1&q-ak=${r.secretId}&q-sign-time=${r.keyTime}&q-key-time=${r.keyTime}` +
    `&q-header-list=${h.keys}&q-url-param-list=${q.keys}&q-signature=${signature}`
  );
}

/** The differential property: `signer` gives the oracle's Authorization for every generated request. */
const agreesWithOracle = (signer: (r: GenRequest) => string, keyAlphabet = SAFE_KEY_CHARS) =>
  fc.property(requestArb(keyAlphabet), (r) => signer(r) === oracle(r));

/** True when sorting keys by raw lower-cased key (oracle's obj2str) and by encoded lower-cased key agree. */
function ordersAgree(keys: readonly string[]): boolean {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const byRaw = [...keys].sort((a, b) => cmp(a.toLowerCase(), b.toLowerCase()));
  const byEncoded = [...keys].sort((a, b) => cmp(refEncode(a, ALL_RULES).toLowerCase(), refEncode(b, ALL_RULES).toLowerCase()));
  return byRaw.every((k, i) => k === byEncoded[i]);
}

// ---------------------------------------------------------------------------------------------------------
// 1. Our signer = the oracle
// ---------------------------------------------------------------------------------------------------------

describe('createAuthorization vs the official SDK (differential)', () => {
  // The main property: byte-identical Authorization values over NUM_RUNS generated requests.
  it(`matches COS.getAuthorization on ${NUM_RUNS} generated requests`, () => {
    fc.assert(
      fc.property(requestArb(SAFE_KEY_CHARS), (r) => {
        expect(ours(r)).toBe(oracle(r));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  // Over ANY key alphabet (CJK, emoji, '/', …) the signed key lists always match the oracle's, and the whole
  // value matches whenever the oracle's two orderings agree (otherwise the oracle contradicts itself).
  it('matches the oracle on header/param lists for any key, and fully when its orderings agree', () => {
    let fullComparisons = 0;
    let runs = 0;
    fc.assert(
      fc.property(requestArb(ANY_KEY_CHARS), (r) => {
        runs++;
        const a = parseAuthorization(ours(r))!;
        const b = parseAuthorization(oracle(r))!;
        expect(a.urlParamList).toEqual(b.urlParamList);
        expect(a.headerList).toEqual(b.headerList);
        if (ordersAgree(r.query.map(([k]) => k))) {
          fullComparisons++;
          expect(ours(r)).toBe(oracle(r));
        }
      }),
      { numRuns: NUM_RUNS },
    );
    // a quarter of the runs made (fewer than NUM_RUNS under `npm run test:mutation`)
    expect(fullComparisons).toBeGreaterThan(runs / 4);
  });

  // The key restriction of the main property is sufficient: safe keys never trip the oracle's quirk.
  it('safe query keys sort the same raw and encoded', () => {
    fc.assert(
      fc.property(queryEntries(SAFE_KEY_CHARS), (entries) => ordersAgree(entries.map(([k]) => k))),
      { numRuns: NUM_RUNS },
    );
  });

  // Documents the oracle's ordering quirk (why the restriction exists): for keys 'a.b' and 'a/b' its
  // HttpParameters list 'a.b' first while its q-url-param-list lists 'a%2fb' first. We follow the spec
  // (sort by the encoded key) consistently in both places.
  it("the oracle's own ordering quirk, and our consistent order", () => {
    const query = { 'a.b': '1', 'a/b': '2' };
    expect(cosUtil.obj2str(query, true)).toBe('a.b=1&a%2fb=2');
    const explained = explainAuthorization({ secretId: 'id', secretKey: 'key', keyTime: '1;2', method: 'get', pathname: '/', query });
    expect(explained.urlParamList).toBe('a%2fb;a.b');
    expect(explained.httpString).toBe('get\n/\na%2fb=2&a.b=1\n\n');
    const oracleAuth = COS.getAuthorization({
      SecretId: 'id',
      SecretKey: 'key',
      Method: 'get',
      Pathname: '/',
      Query: query,
      KeyTime: '1;2',
    });
    expect(parseAuthorization(oracleAuth)!.urlParamList).toEqual(['a%2fb', 'a.b']);
    expect(parseAuthorization(oracleAuth)!.signature).not.toBe(explained.signature);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 2. Round trip through parseAuthorization
// ---------------------------------------------------------------------------------------------------------

describe('parseAuthorization(createAuthorization(x))', () => {
  // Every field comes back: the lists are the encoded, lower-cased, sorted keys (computed here
  // independently), split on ';' (a ';' inside a key is encoded as %3B so it cannot split a name).
  it('round-trips the header and url-param lists, the times and the signature', () => {
    fc.assert(
      fc.property(requestArb(ANY_KEY_CHARS), (r) => {
        const explained = explainAuthorization({
          secretId: r.secretId,
          secretKey: r.secretKey,
          keyTime: r.keyTime,
          method: r.method,
          pathname: r.pathname,
          query: toRecord(r.query),
          headers: toRecord(r.headers),
        });
        const expectedList = (entries: ReadonlyArray<readonly [string, unknown]>) =>
          entries.map(([k]) => refEncode(k, ALL_RULES).toLowerCase()).sort();
        expect(parseAuthorization(explained.authorization)).toEqual({
          algorithm: 'sha1',
          secretId: r.secretId,
          signTime: r.keyTime,
          keyTime: r.keyTime,
          headerList: expectedList(r.headers),
          urlParamList: expectedList(r.query),
          signature: explained.signature,
        });
        expect(explained.signature).toMatch(/^[0-9a-f]{40}$/);
        expect(explained.authorization).toBe(ours(r));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// 3. The property catches regressions: mutated signers are refuted
// ---------------------------------------------------------------------------------------------------------

describe('the differential property detects each rule being broken', () => {
  // Control: the independent reference with every rule on passes, so each mutant's failure below is due to
  // the single rule it drops (and not to a flaw of the reference).
  it('control: the reference signer with all rules agrees with the oracle', () => {
    fc.assert(
      agreesWithOracle((r) => referenceSign(r)),
      { numRuns: NUM_RUNS },
    );
  });

  const hasUpper = (s: string) => s !== s.toLowerCase();
  const needsEncoding = (s: string) => /[^A-Za-z0-9\-_.~/]/.test(s);
  const isSorted = (keys: string[]) => keys.every((k, i) => i === 0 || keys[i - 1]! <= k);
  const lowerEncodedKeys = (entries: ReadonlyArray<readonly [string, unknown]>) =>
    entries.map(([k]) => refEncode(k, ALL_RULES).toLowerCase());

  /** Each mutant drops one rule; `witness` says what the shrunk counterexample must exhibit. */
  const mutants: Array<{ rule: keyof Rules; what: string; witness: (r: GenRequest) => boolean }> = [
    {
      rule: 'decodedPath',
      what: 'signs the percent-encoded path',
      witness: (r) => needsEncoding(r.pathname),
    },
    {
      rule: 'encodeBangs',
      what: "leaves !'()* unencoded (plain encodeURIComponent)",
      witness: (r) => [...r.query.flat(), ...r.headers.flat()].some((s) => /[!'()*]/.test(String(s))),
    },
    {
      rule: 'sort',
      what: 'keeps parameters/headers in insertion order',
      witness: (r) => !isSorted(lowerEncodedKeys(r.query)) || !isSorted(lowerEncodedKeys(r.headers)),
    },
    {
      rule: 'trailingNewline',
      what: "omits the '\\n' that ends the HttpString",
      witness: () => true,
    },
    {
      rule: 'lowerCaseKeys',
      what: 'keeps the case of parameter and header names',
      // an upper-case letter in the key, or in its percent-encoding (`%2F`), which lower-casing changes too
      witness: (r) => [...r.query, ...r.headers].some(([k]) => hasUpper(refEncode(k, ALL_RULES))),
    },
  ];

  it.each(mutants)('finds a counterexample when the signer $what ($rule)', ({ rule, witness }) => {
    const mutated: Rules = { ...ALL_RULES, [rule]: false };
    const details = fc.check(
      agreesWithOracle((r) => referenceSign(r, mutated)),
      { numRuns: NUM_RUNS },
    );
    expect(details.failed).toBe(true);
    // the shrunk counterexample exhibits exactly the feature the dropped rule is about
    expect(witness(details.counterexample![0])).toBe(true);
  });
});
