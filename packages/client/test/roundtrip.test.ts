/**
 * Request bodies round-trip: for every request document of the spec, encode → decode gives back the input
 * exactly (text with &, <, quotes, CJK, emoji and spaces included), but for empty containers: an empty optional
 * array is not written, and an element that holds nothing decodes to nothing (the decoder's empty-container rule).
 */
import fc from 'fast-check';
import { decodeXml, encodeXml } from '@cloud-infinite/runtime';
import { operationTable, shapes } from '../src';
import { objectArbitrary } from './support/arbitraries';

/** `value` with every empty object and empty array removed, bottom up (what the decoder gives back). */
function withoutEmptyContainers(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(withoutEmptyContainers).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const kept = withoutEmptyContainers(v);
      if (kept !== undefined) out[k] = kept;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

const bodies = Object.values(operationTable).flatMap((op) => (op.body ? [[op.id, op.body] as const] : []));

describe.each(bodies)('%s request body', (_id, doc) => {
  test('encode → decode is the identity', () => {
    fc.assert(
      fc.property(objectArbitrary(doc.shape), (value) => {
        const xml = encodeXml(value, doc);
        const back = decodeXml(xml, doc);
        expect(back).toStrictEqual(withoutEmptyContainers(value));
      }),
      { numRuns: 200 },
    );
  });
});

test('the CreateMediaJobs body keeps &, <, quotes and CJK in UserData and object keys', () => {
  const doc = shapes.documents.CreateMediaJobsRequest;
  const value = {
    Tag: 'Animation',
    Input: { Object: 'in/a&b <c> "d" \'e\' 中文.mp4' },
    Operation: {
      TemplateId: 't1',
      Output: { Region: 'ap-beijing', Bucket: 'b-1250000000', Object: 'out/视频 & <gif>.gif' },
      UserData: '{"a":"<&>"}',
    },
  };
  const xml = encodeXml(value, doc);
  expect(xml).toContain('<Object>in/a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos; 中文.mp4</Object>');
  expect(decodeXml(xml, doc)).toEqual(value);
});
