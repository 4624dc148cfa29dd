/**
 * The differential test of the decoder's two readers: every document goes through the single-pass reader
 * (`reader: 'auto'`) and through the fast-xml-parser fallback (`reader: 'fallback'`, the oracle), and both must
 * give the same outcome: the same value (key order included), the same issues, or both a `CiDecodeError`. Anything
 * else thrown is a failure.
 *
 * The documents: every recording's bodies; documents generated from every document shape of the spec (values from
 * the shape, pretty-printed or not, with an XML declaration, a BOM, unknown and empty elements); and both kinds
 * mutated (characters and XML snippets inserted, deleted, duplicated, truncated, renamed). At least 100,000 in all
 * (`DIFFERENTIAL_DOCUMENTS` sets another number), seeded (`DIFFERENTIAL_SEED`) so a failure reproduces.
 */
import fc from 'fast-check';
import { CiDecodeError, decodeDocument, encodeXml, type DocumentShape } from '@cloud-infinite/runtime';
import { shapes } from '../src';
import { loadRecordings } from './contract/recordings';
import { objectArbitrary } from './support/arbitraries';

const TOTAL = Number(process.env.DIFFERENTIAL_DOCUMENTS ?? 100_000);
const SEED = Number(process.env.DIFFERENTIAL_SEED ?? 20261201);

const documents = shapes.documents as Record<string, DocumentShape>;
const byRoot = Object.entries(documents);

/** What a reader made of a document: the value, issues and count as JSON, or `CiDecodeError`. */
function outcome(xml: string, doc: DocumentShape, reader: 'auto' | 'fallback'): string {
  try {
    const r = decodeDocument(xml, doc, { reader, maxIssues: 20 });
    return JSON.stringify([r.value, r.issues, r.issueCount]);
  } catch (e) {
    if (e instanceof CiDecodeError) return 'CiDecodeError';
    throw e;
  }
}

let compared = 0;
let decodedOk = 0;

/** Both readers agree on `xml` read as `doc`. */
function agree(xml: string, doc: DocumentShape): boolean {
  compared++;
  const a = outcome(xml, doc, 'auto');
  const b = outcome(xml, doc, 'fallback');
  if (a !== 'CiDecodeError') decodedOk++;
  if (a !== b) {
    throw new Error(
      `the readers disagree on ${JSON.stringify(xml.slice(0, 400))}\n  single-pass: ${a.slice(0, 400)}\n  fallback:    ${b.slice(0, 400)}`,
    );
  }
  return true;
}

// ------------------------------------------------------------------------------------------ the corpus

interface Seed {
  readonly xml: string;
  readonly doc: DocumentShape;
}

const recorded: Seed[] = loadRecordings().flatMap((rec) => {
  const out: Seed[] = [];
  const op = Object.values(documents).find(() => false);
  void op;
  for (const [body, status] of [
    [rec.response.body, rec.response.status],
    [rec.request.body, 0],
  ] as const) {
    if (!body) continue;
    const root = /<([A-Za-z]+)/.exec(body)?.[1];
    // every document of that root: a Response body is read as each response shape (the shapes differ)
    for (const [, doc] of byRoot) if (doc.root === root || (status >= 400 && doc.root === 'Error')) out.push({ xml: body, doc });
  }
  return out;
});

/** Whitespace between tags, as a pretty-printer (or a sloppy one) writes it. */
const layout = fc.constantFrom('', '\n', '\n  ', ' ', '\r\n', '\t');

/** A generated document of one shape: encoded, laid out, with a declaration or a BOM sometimes. */
const generated: fc.Arbitrary<Seed> = fc.constantFrom(...byRoot.map(([, doc]) => doc)).chain((doc) =>
  fc
    .record({
      value: objectArbitrary(doc.shape, 2),
      gap: layout,
      declaration: fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>\n', "<?xml version='1.0' encoding='utf-8' ?>"),
      bom: fc.boolean(),
    })
    .map(({ value, gap, declaration, bom }) => {
      const xml = encodeXml(value, doc).replace(/></g, `>${gap}<`);
      return { xml: `${bom ? '\ufeff' : ''}${declaration}${xml}`, doc };
    }),
);

/** XML-significant characters and snippets: some in the subset, some not (they send a document to the fallback). */
const SNIPPETS = [
  '<',
  '>',
  '&',
  '/',
  '"',
  "'",
  ' ',
  '\n',
  '\r',
  ';',
  '#',
  'x',
  '!',
  '?',
  '=',
  ']',
  '\u0000',
  '\u0001',
  'é',
  '中',
  '\ufffe',
  '😀',
  '<!-- c -->',
  '<![CDATA[x<y]]>',
  '<![CDATA[]]>',
  '<?pi x?>',
  ' a="1"',
  " b='&amp;'",
  '&lol;',
  '&nbsp;',
  '&#0;',
  '&#x4E2D;',
  '&amp;',
  '&#128512;',
  '&#13;',
  '<Unknown>1</Unknown>',
  '<Unknown/>',
  '<Unknown><A>1</A><A/></Unknown>',
  '</Response>',
  '<Response>',
  '<?xml version="1.0"?>',
  '<!DOCTYPE x>',
  '<ns:Tag>1</ns:Tag>',
  '<é>1</é>',
  '<__proto__>p</__proto__>',
  '<constructor/>',
  '<JobsDetail/>',
  '<Audio/>',
  '<TotalCount>-1</TotalCount>',
  '<TotalCount>abc</TotalCount>',
  '<NonExistPIDs><QueueID>q</QueueID></NonExistPIDs>',
  '<NonExistPIDs>q</NonExistPIDs>',
];

type Mutation = (xml: string) => string;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map(
    (at): Mutation =>
      (xml) =>
        xml.slice(0, at % (xml.length + 1)) + xml.slice((at % (xml.length + 1)) + 1),
  ),
  fc.tuple(fc.nat(), fc.constantFrom(...SNIPPETS)).map(([at, s]): Mutation => (xml) => {
    const i = at % (xml.length + 1);
    return xml.slice(0, i) + s + xml.slice(i);
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...SNIPPETS)).map(([at, s]): Mutation => (xml) => {
    // next to a tag boundary, where a snippet is most likely to be well-formed
    const boundaries = [...xml.matchAll(/>/g)].map((m) => (m.index ?? 0) + 1);
    const i = boundaries.length ? boundaries[at % boundaries.length]! : 0;
    return xml.slice(0, i) + s + xml.slice(i);
  }),
  fc.tuple(fc.nat(), fc.nat(64)).map(([at, len]): Mutation => (xml) => {
    const i = at % (xml.length + 1);
    return xml.slice(0, i) + xml.slice(i, i + len) + xml.slice(i);
  }),
  fc.nat().map(
    (at): Mutation =>
      (xml) =>
        xml.slice(0, at % (xml.length + 1)),
  ),
  fc
    .tuple(fc.nat(), fc.constantFrom('Unknown', 'QueueId', 'QueueID', 'Response', 'Error', 'A', 'Message'))
    .map(([at, name]): Mutation => (xml) => {
      const names = [...xml.matchAll(/<\/?([A-Za-z]+)/g)];
      if (!names.length) return xml;
      const m = names[at % names.length]!;
      const start = (m.index ?? 0) + m[0].length - m[1]!.length;
      return xml.slice(0, start) + name + xml.slice(start + m[1]!.length);
    }),
);

const mutated: fc.Arbitrary<Seed> = fc
  .tuple(
    recorded.length ? fc.oneof(fc.constantFrom(...recorded), generated) : generated,
    fc.array(mutation, { minLength: 1, maxLength: 3 }),
  )
  .map(([seed, ms]) => ({ xml: ms.reduce((x, m) => m(x), seed.xml), doc: seed.doc }));

// ------------------------------------------------------------------------------------------------ tests

describe('the single-pass reader and the fast-xml-parser fallback agree', () => {
  afterAll(() => {
    console.log(`decode differential: ${compared} documents compared (${decodedOk} decoded, the others refused by both)`);
  });

  test('on every recording', () => {
    expect(recorded.length).toBeGreaterThan(40);
    for (const { xml, doc } of recorded) agree(xml, doc);
  });

  test('on documents generated from every shape of the spec', () => {
    fc.assert(
      fc.property(generated, ({ xml, doc }) => agree(xml, doc)),
      { numRuns: Math.ceil(TOTAL * 0.3), seed: SEED },
    );
  });

  test('on mutated recordings and generated documents', () => {
    fc.assert(
      fc.property(mutated, ({ xml, doc }) => agree(xml, doc)),
      { numRuns: Math.ceil(TOTAL * 0.7), seed: SEED + 1 },
    );
  });

  test('a truncated document is a CiDecodeError on both paths, never a partial object', () => {
    for (const { xml, doc } of recorded) {
      const end = xml.lastIndexOf('>');
      for (let cut = 0; cut < end; cut += Math.max(1, Math.floor(end / 60))) {
        const prefix = xml.slice(0, cut);
        expect(outcome(prefix, doc, 'auto')).toBe('CiDecodeError');
        expect(outcome(prefix, doc, 'fallback')).toBe('CiDecodeError');
      }
    }
  });

  test('the documents compared number at least what the test promises', () => {
    expect(compared).toBeGreaterThanOrEqual(TOTAL);
    // the corpus is not all refusals: a good part decodes
    expect(decodedOk).toBeGreaterThan(TOTAL * 0.2);
  });
});
