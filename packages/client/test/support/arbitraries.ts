/**
 * fast-check arbitraries of the values a document shape describes: what the round-trip and differential tests
 * encode. Text is XML 1.0 text (no control characters but tab and LF, no lone surrogates; CR is left out, as XML
 * normalises it) with the characters that need escaping well represented.
 */
import fc from 'fast-check';
import type { ObjectShape, Shape } from '@cloud-infinite/runtime';

export const xmlText = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('&', '<', '>', '"', "'", ' ', '\t', '\n', '中', '文', '😀', ';', ']]>'),
      fc.string({ unit: 'grapheme', maxLength: 1 }),
    ),
  })
  // eslint-disable-next-line no-control-regex -- the control characters XML 1.0 does not allow are left out
  .filter((s) => !/[\u0000-\u0008\u000b-\u001f\ufffe\uffff]/.test(s));

/** A value of a shape's leaf or object. */
export function arbitraryOf(shape: Shape, maxArray = 3): fc.Arbitrary<unknown> {
  if (shape === 'string') return xmlText;
  if (shape === 'integer') return fc.integer();
  if (shape === 'number') return fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));
  if (shape === 'boolean') return fc.boolean();
  return objectArbitrary(shape, maxArray);
}

/** An object of a shape: required members always, optional ones sometimes, arrays of up to `maxArray` items. */
export function objectArbitrary(shape: ObjectShape, maxArray = 3): fc.Arbitrary<Record<string, unknown>> {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const m of shape.members) {
    record[m.key] = m.array
      ? fc.array(arbitraryOf(m.shape, maxArray), { minLength: m.required ? 1 : 0, maxLength: maxArray })
      : arbitraryOf(m.shape, maxArray);
    if (m.required) required.push(m.key);
  }
  return fc.record(record, { requiredKeys: required });
}
