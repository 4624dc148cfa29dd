/**
 * Decoder fuzzing: arbitrary text and mutated recordings never produce anything but a result or a
 * CiDecodeError, and a result always has the spec's types (arrays stay arrays, strings stay strings,
 * integers are numbers). Over 10,000 cases a run.
 */
import fc from 'fast-check';
import { CiDecodeError, decodeXml, type DocumentShape, type ObjectShape, type OperationSpec, type Shape } from '@cloud-infinite/runtime';
import { operationTable, shapes } from '../src';
import { loadRecordings } from './contract/recordings';

const docs = shapes.documents as Record<string, DocumentShape>;
const responseDoc = (operationId: string) => (operationTable as Record<string, OperationSpec>)[operationId]?.response;
const recordings = loadRecordings().filter((r) => r.response.status === 200 && responseDoc(r.operationId) !== undefined);
const docFor = (operationId: string): DocumentShape => responseDoc(operationId)!;

/** Checks that a decoded value has the shape's runtime types; unknown members are not checked. */
function conforms(value: unknown, shape: Shape, path: string): void {
  if (typeof shape === 'string') {
    const expected = shape === 'integer' ? 'number' : shape;
    if (typeof value !== expected) throw new Error(`${path}: expected ${shape}, got ${typeof value}`);
    if (shape === 'integer' && !Number.isSafeInteger(value)) throw new Error(`${path}: not an integer`);
    return;
  }
  conformsObject(value, shape, path);
}

function conformsObject(value: unknown, shape: ObjectShape, path: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path}: expected an object`);
  const record = value as Record<string, unknown>;
  for (const m of shape.members) {
    const v = record[m.key];
    if (v === undefined) {
      if (m.array && m.required) throw new Error(`${path}.${m.key}: a required array is missing`);
      continue;
    }
    if (m.array) {
      if (!Array.isArray(v)) throw new Error(`${path}.${m.key}: expected an array`);
      v.forEach((item, i) => conforms(item, m.shape, `${path}.${m.key}[${i}]`));
    } else conforms(v, m.shape, `${path}.${m.key}`);
  }
}

function decodeOrDecodeError(body: string, doc: DocumentShape): void {
  let result: Record<string, unknown>;
  try {
    result = decodeXml(body, doc);
  } catch (e) {
    if (!(e instanceof CiDecodeError)) throw e;
    return;
  }
  conformsObject(result, doc.shape, doc.root);
}

const mutation = (body: string) =>
  fc.oneof(
    // cut the document short
    fc.nat({ max: body.length }).map((n) => body.slice(0, n)),
    // delete a slice
    fc.tuple(fc.nat({ max: body.length }), fc.nat({ max: 40 })).map(([at, len]) => body.slice(0, at) + body.slice(at + len)),
    // duplicate a slice
    fc
      .tuple(fc.nat({ max: body.length }), fc.nat({ max: 200 }))
      .map(([at, len]) => body.slice(0, at) + body.slice(at, at + len) + body.slice(at)),
    // insert hostile or random text
    fc
      .tuple(
        fc.nat({ max: body.length }),
        fc.oneof(
          fc.constantFrom(
            '<',
            '>',
            '&',
            '&amp;',
            '&#x0;',
            '&#xD800;',
            '<![CDATA[x]]>',
            '<!-- c -->',
            '<__proto__>x</__proto__>',
            '<constructor/>',
            '<JobsDetail>',
            '</JobsDetail>',
            '<NextToken>1</NextToken>',
            '<TotalCount>abc</TotalCount>',
            '<TotalCount>12</TotalCount>',
            '<?pi x?>',
            '\ufeff',
            '<a b="1">',
          ),
          fc.string({ maxLength: 20 }),
        ),
      )
      .map(([at, text]) => body.slice(0, at) + text + body.slice(at)),
    // rename an element
    fc.nat({ max: body.length }).map((at) => body.slice(0, at).replace(/<(\w+)>([^<]*)$/, '<$1x>$2') + body.slice(at)),
  );

describe('decoder fuzzing', () => {
  test('arbitrary text: a result or a CiDecodeError (3,000 cases)', () => {
    const doc = docs.DescribeMediaJobsResponse!;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('utf8')),
        ),
        (text) => {
          decodeOrDecodeError(text, doc);
          decodeOrDecodeError(`<Response>${text}</Response>`, doc);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('mutated recordings: results keep the spec types (8,000 cases)', () => {
    expect(recordings.length).toBeGreaterThan(5);
    const perRecording = Math.ceil(8000 / recordings.length);
    for (const rec of recordings) {
      const doc = docFor(rec.operationId);
      // the unmutated body decodes and conforms
      decodeOrDecodeError(rec.response.body, doc);
      fc.assert(
        fc.property(mutation(rec.response.body), (body) => decodeOrDecodeError(body, doc)),
        { numRuns: perRecording },
      );
    }
  });
});
