/**
 * The JSON-Schema → fast-check converter: every value it generates validates (ajv, the generated validators'
 * own options), each keyword of the subset is honoured at its bounds, optional members are both present and
 * absent, and anything outside the subset is refused by name. Then every operation of the spec: its input
 * arbitrary only yields inputs the operation's validator accepts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { arbitraryFromSchema, ciTime, DOT_SEGMENT, inputArbitrary, operationInputSchema } from '../src/arbitraries';
import { SpecContext, type Json } from '../src/spec';
import { newAjv } from '../src/validators';

const spec = parse(readFileSync(resolve(__dirname, '../../../specs/ci-media.openapi.yaml'), 'utf8')) as Json;

/** Samples of `schema`'s arbitrary, each checked by ajv; returns them. */
function samplesOf(schema: Json, defs: Json = {}, runs = 300): unknown[] {
  const validate = newAjv(false).compile({ $defs: defs, ...schema });
  const values = fc.sample(arbitraryFromSchema(schema, { defs }), { numRuns: runs, seed: 42 });
  for (const v of values) assert.ok(validate(v), `${JSON.stringify(v)} does not validate: ${JSON.stringify(validate.errors)}`);
  return values;
}

describe('arbitraryFromSchema', () => {
  test('strings: length bounds in code points (both reached), pattern, enum, const', () => {
    const lengths = samplesOf({ type: 'string', minLength: 2, maxLength: 5 }).map((s) => [...(s as string)].length);
    assert.equal(Math.min(...lengths), 2);
    assert.equal(Math.max(...lengths), 5);
    const times = samplesOf({ type: 'string', pattern: '^\\d{4}-\\d{2}$' }) as string[];
    assert.ok(times.every((t) => /^\d{4}-\d{2}$/.test(t)));
    assert.deepEqual(new Set(samplesOf({ type: 'string', enum: ['a', 'b'] })), new Set(['a', 'b']));
    assert.deepEqual(new Set(samplesOf({ const: 'x' })), new Set(['x']));
    const printable = samplesOf({ type: 'string', maxLength: 3, pattern: '^[\\x20-\\x7E]*$' }) as string[];
    assert.ok(printable.some((s) => s === '') && printable.some((s) => s.length === 3));
  });

  test('a custom string arbitrary is used for plain strings, and filtered by length', () => {
    const values = fc.sample(
      arbitraryFromSchema({ type: 'string', minLength: 1, maxLength: 2 }, { string: fc.constantFrom('', '😀', 'ab', 'abc') }),
      200,
    );
    assert.deepEqual(new Set(values), new Set(['😀', 'ab']));
  });

  test('integers and numbers: inclusive and exclusive bounds, both ends reached', () => {
    const ints = samplesOf({ type: 'integer', minimum: 1, maximum: 100 }) as number[];
    assert.ok(ints.includes(1) && ints.includes(100) && ints.every(Number.isInteger));
    const excl = samplesOf({ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 3 }) as number[];
    assert.deepEqual(new Set(excl), new Set([1, 2]));
    const nums = samplesOf({ type: 'number', exclusiveMinimum: 0, maximum: 60 }) as number[];
    assert.ok(nums.every((n) => n > 0 && n <= 60));
    assert.ok(nums.includes(60));
  });

  test('arrays: minItems and maxItems (both reached), uniqueItems, items by $ref', () => {
    const defs = { Item: { type: 'string', enum: ['x', 'y', 'z'] } };
    const arrays = samplesOf(
      { type: 'array', minItems: 1, maxItems: 3, uniqueItems: true, items: { $ref: '#/$defs/Item' } },
      defs,
    ) as string[][];
    assert.equal(Math.min(...arrays.map((a) => a.length)), 1);
    assert.equal(Math.max(...arrays.map((a) => a.length)), 3);
    assert.ok(arrays.every((a) => new Set(a).size === a.length));
  });

  test('objects: required members always, optional ones sometimes, no other member; allOf merged; anyOf of required', () => {
    const defs = { Base: { type: 'object', properties: { a: { type: 'boolean' } }, required: ['a'] } };
    const schema = {
      type: 'object',
      properties: { a: { type: 'boolean' }, b: { type: 'integer', minimum: 0, maximum: 1 }, c: { type: 'string', maxLength: 1 } },
      required: ['a'],
      additionalProperties: false,
      anyOf: [{ required: ['b'] }, { required: ['c'] }],
    };
    const values = samplesOf(schema) as Json[];
    assert.ok(values.every((v) => 'a' in v && ('b' in v || 'c' in v) && Object.keys(v).every((k) => 'abc'.includes(k))));
    assert.ok(values.some((v) => !('b' in v)) && values.some((v) => !('c' in v)) && values.some((v) => 'b' in v && 'c' in v));
    const merged = samplesOf(
      {
        allOf: [{ $ref: '#/$defs/Base' }, { type: 'object', properties: { d: { type: 'string', enum: ['d'] } }, required: ['d'] }],
      },
      defs,
    ) as Json[];
    assert.ok(merged.every((v) => typeof v.a === 'boolean' && v.d === 'd'));
  });

  test('anything outside the subset is refused, naming the keyword and where it is', () => {
    const refused = (schema: unknown, message: RegExp) => assert.throws(() => arbitraryFromSchema(schema), message);
    refused({ type: 'string', format: 'date-time' }, /^Error: \/: the keyword format \(type string\) is not supported$/);
    refused({ type: 'object', properties: { x: { type: 'integer', multipleOf: 2 } } }, /\/x: the keyword multipleOf/);
    refused({ type: 'object', properties: { x: { type: 'array', items: { type: ['string', 'null'] } } } }, /\/x\/\[\]: a list of types/);
    refused({ oneOf: [{ type: 'string' }, { type: 'integer' }] }, /anyOf\/oneOf is supported only on an object/);
    refused(
      { type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ properties: {} }] },
      /anyOf is supported only as a list of \{ required/,
    );
    refused({ type: 'object', properties: {}, additionalProperties: { type: 'string' } }, /additionalProperties must be true or false/);
    refused({ $ref: '#/$defs/Nope' }, /\$ref #\/\$defs\/Nope names no schema/);
    refused({ description: 'anything' }, /an unconstrained schema cannot be generated/);
    refused({ type: 'string', enum: [] }, /an empty enum/);
    refused({ type: 'integer', minimum: 3, maximum: 2 }, /no integer in the range/);
  });

  test('a recursive $ref is refused rather than generated forever', () => {
    const defs = { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } };
    assert.throws(() => arbitraryFromSchema({ $ref: '#/$defs/Node' }, { defs }), /recursive/);
  });

  test('a path parameter is never a dot segment, even from a string arbitrary that yields them', () => {
    const dots = fc.constantFrom('.', '..', '%2e', '%2E.', 'ok');
    for (const input of fc.sample(inputArbitrary(spec, 'DescribeMediaJob', { string: dots }), 200)) {
      assert.deepEqual(
        (input.jobIds as string[]).filter((id) => DOT_SEGMENT.test(id)),
        [],
      );
    }
  });

  test('ciTime is a time that exists, in the CI format', () => {
    for (const t of fc.sample(ciTime, 300)) {
      assert.match(t, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/);
      const [date, time] = t.split('T') as [string, string];
      const offset = time.slice(8);
      const utc = Date.parse(`${date}T${time.slice(0, 8)}${offset.slice(0, 3)}:${offset.slice(3)}`);
      assert.ok(Number.isFinite(utc), t);
      const back = new Date(utc + (offset.startsWith('-') ? -1 : 1) * Number(offset.slice(1, 3)) * 3_600_000).toISOString();
      assert.equal(back.slice(0, 19), t.slice(0, 19));
    }
  });
});

describe('inputArbitrary: every operation of the spec', () => {
  const ops = new SpecContext(spec).operations();
  for (const op of ops) {
    test(`${op.id}: every input validates against the operation's input schema; csv items hold no comma, path ids are no dot segment`, () => {
      const { schema, defs } = operationInputSchema(spec, op.id);
      const validate = newAjv(false).compile({ $defs: defs, ...schema });
      const csv = op.params.filter((p) => p.kind === 'csv').map((p) => p.name);
      const seen = new Set<string>();
      for (const input of fc.sample(inputArbitrary(spec, op.id), { numRuns: 200, seed: 7 })) {
        assert.ok(validate(input), `${JSON.stringify(input)}: ${JSON.stringify(validate.errors)}`);
        for (const name of csv) {
          const items = input[name] as unknown[] | undefined;
          assert.ok(!items || items.every((i) => typeof i !== 'string' || (i !== '' && !i.includes(','))), JSON.stringify(items));
        }
        for (const p of op.params.filter((x) => x.in === 'path')) {
          for (const v of [input[p.name]].flat()) assert.ok(typeof v !== 'string' || !DOT_SEGMENT.test(v), `${p.name}: ${String(v)}`);
        }
        for (const key of Object.keys(input)) seen.add(key);
      }
      // every parameter and member the schema has is generated at some point
      assert.deepEqual([...seen].sort(), Object.keys(schema.properties as Json).sort());
    });
  }
});
