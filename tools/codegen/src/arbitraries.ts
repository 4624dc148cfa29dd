/**
 * Test-time generators from the spec: fast-check arbitraries built from JSON schemas, so that a test covering
 * every operation takes its inputs from the spec and needs no edit when an operation is added.
 *
 * {@link arbitraryFromSchema} converts the JSON-Schema subset the spec uses — `object` (`properties`,
 * `required`, `additionalProperties: false`), `string` (`minLength`, `maxLength`, `pattern`, `enum`), `integer`
 * and `number` (`minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`), `boolean`, `array` (`items`,
 * `minItems`, `maxItems`, `uniqueItems`), `const`, `enum`, `$ref`, `allOf` of objects, and `anyOf` / `oneOf` of
 * `required` lists (at least one of these members) — and refuses any other keyword with an error naming it and
 * where it is, rather than generating values the schema does not allow. No library on the npm registry does this
 * for fast-check 4 (json-schema-fast-check needs fast-check 1).
 *
 * {@link inputArbitrary} is an operation's input (its parameters and body members, the schema the generated
 * `validateInput` checks), with what the client and the service add to the schema: an item of a comma-joined
 * parameter is non-empty and holds no comma, a path parameter (or item) is no dot segment (`.`, `..`, `%2e`…, which
 * would rewrite the path: the client refuses them), and an `x-ci-time` parameter is a time that exists.
 */
import fc from 'fast-check';
import { SpecContext, type Json } from './spec';
import { cleanSchema, inputSchema } from './validators';

/** Options of {@link arbitraryFromSchema}. */
export interface SchemaArbitraryOptions {
  /** Schemas a `$ref` may name: `#/$defs/<Name>` or `#/components/schemas/<Name>` both look up `defs[Name]`. */
  readonly defs?: Readonly<Record<string, unknown>>;
  /** Strings of a schema with no `pattern` or `enum` (length bounds are applied after). Default: printable ASCII. */
  readonly string?: fc.Arbitrary<string>;
  /** Most items of an array without `maxItems` (and the default upper length of strings); default 4. */
  readonly maxItems?: number;
  /**
   * Called with every node's arbitrary (path: property names, `[]` for an array's items) and may return another,
   * e.g. to filter the items of one parameter. Default: unchanged.
   */
  readonly refine?: (arbitrary: fc.Arbitrary<unknown>, path: readonly string[], schema: Json) => fc.Arbitrary<unknown>;
}

/** Keywords that only annotate; they never constrain a value. */
const ANNOTATIONS = new Set(['description', 'title', 'default', 'examples', 'example', '$comment', 'deprecated', 'readOnly', 'writeOnly']);

/** Keywords the converter honours, by the type they apply to (`*` any type). */
const KEYWORDS: Record<string, readonly string[]> = {
  '*': ['type', 'enum', 'const', '$ref', 'allOf', 'anyOf', 'oneOf'],
  object: ['properties', 'required', 'additionalProperties'],
  string: ['minLength', 'maxLength', 'pattern'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  array: ['items', 'minItems', 'maxItems', 'uniqueItems'],
  boolean: [],
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Code points, as JSON Schema (and ajv) count a string's length. */
const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

class Converter {
  readonly #defs: Readonly<Record<string, unknown>>;
  readonly #string: fc.Arbitrary<string> | undefined;
  readonly #maxItems: number;
  readonly #refine: NonNullable<SchemaArbitraryOptions['refine']>;

  constructor(options: SchemaArbitraryOptions) {
    this.#defs = options.defs ?? {};
    this.#string = options.string;
    this.#maxItems = options.maxItems ?? 4;
    this.#refine = options.refine ?? ((a) => a);
  }

  convert(node: unknown, path: readonly string[], refs: readonly string[] = []): fc.Arbitrary<unknown> {
    const where = `/${path.join('/')}`;
    if (node === true || (isObject(node) && Object.keys(node).every((k) => ANNOTATIONS.has(k)))) {
      throw new Error(`${where}: an unconstrained schema cannot be generated (give it a type)`);
    }
    if (!isObject(node)) throw new Error(`${where}: a schema must be an object, got ${JSON.stringify(node)}`);
    const seen = [...refs];
    const schema = this.#merge(node, where, seen);
    return this.#refine(this.#build(schema, path, where, seen), path, schema);
  }

  /**
   * `$ref` resolved and `allOf` merged into one schema (objects: properties and required unioned). The names of
   * the schemas followed are added to `refs` (the members below see them, so a recursive schema is refused).
   */
  #merge(node: Json, where: string, refs: string[]): Json {
    let schema = node;
    if (typeof schema.$ref === 'string') {
      const ref = schema.$ref;
      const name = /^#\/(?:\$defs|components\/schemas)\/([^/]+)$/.exec(ref)?.[1];
      if (!name || !(name in this.#defs)) throw new Error(`${where}: $ref ${ref} names no schema of defs`);
      if (refs.includes(name)) throw new Error(`${where}: $ref ${ref} is recursive; a recursive schema cannot be generated`);
      refs.push(name);
      const { $ref: _ref, ...rest } = schema;
      schema = { ...this.#merge(this.#defs[name] as Json, where, refs), ...rest };
    }
    if (Array.isArray(schema.allOf)) {
      const { allOf, ...rest } = schema;
      const properties: Json = {};
      const required: string[] = [];
      const merged: Json = {};
      for (const part of [...(allOf as unknown[]), rest]) {
        const p = part === rest ? rest : this.#merge(part as Json, where, refs);
        if (p !== rest && p.type !== 'object' && !p.properties) throw new Error(`${where}: allOf may only combine object schemas`);
        Object.assign(merged, p);
        Object.assign(properties, p.properties ?? {});
        required.push(...((p.required as string[] | undefined) ?? []));
      }
      schema = { ...merged, type: 'object', properties, required: [...new Set(required)] };
    }
    return schema;
  }

  #build(schema: Json, path: readonly string[], where: string, refs: readonly string[]): fc.Arbitrary<unknown> {
    const type = schema.type ?? (schema.properties ? 'object' : undefined);
    if (Array.isArray(type)) throw new Error(`${where}: a list of types (${type.join(', ')}) is not supported`);
    for (const key of Object.keys(schema)) {
      if (ANNOTATIONS.has(key) || KEYWORDS['*']!.includes(key)) continue;
      if (typeof type === 'string' && KEYWORDS[type]?.includes(key)) continue;
      throw new Error(`${where}: the keyword ${key}${type ? ` (type ${String(type)})` : ''} is not supported`);
    }
    if ((schema.anyOf !== undefined || schema.oneOf !== undefined) && type !== 'object') {
      throw new Error(`${where}: anyOf/oneOf is supported only on an object, as a list of { required: [...] }`);
    }
    if ('const' in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) {
      if (schema.enum.length === 0) throw new Error(`${where}: an empty enum has no value`);
      return fc.constantFrom(...(schema.enum as unknown[]));
    }
    switch (type) {
      case 'object':
        return this.#object(schema, path, where, refs);
      case 'string':
        return this.#stringOf(schema, where);
      case 'integer':
        return this.#integer(schema, where);
      case 'number':
        return this.#number(schema, where);
      case 'boolean':
        return fc.boolean();
      case 'array':
        return this.#array(schema, path, where, refs);
      default:
        throw new Error(`${where}: no type${type === undefined ? '' : ` (${String(type)} is not supported)`}`);
    }
  }

  #object(schema: Json, path: readonly string[], where: string, refs: readonly string[]): fc.Arbitrary<unknown> {
    const properties = (schema.properties ?? {}) as Json;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    if (schema.additionalProperties !== undefined && schema.additionalProperties !== false && schema.additionalProperties !== true) {
      throw new Error(`${where}: additionalProperties must be true or false`);
    }
    for (const name of required) if (!(name in properties)) throw new Error(`${where}: required member ${name} has no schema`);
    const members: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, member] of Object.entries(properties)) members[name] = this.convert(member, [...path, name], refs);
    const choices = this.#requiredChoices(schema, properties, where);
    const record = (extra: readonly string[]) =>
      fc.record(members, { requiredKeys: [...new Set([...required, ...extra])] }) as fc.Arbitrary<unknown>;
    return choices.length ? fc.oneof(...choices.map(record)) : record([]);
  }

  /** `anyOf`/`oneOf` of `{ required: [...] }`: each branch a set of members made required. */
  #requiredChoices(schema: Json, properties: Json, where: string): string[][] {
    const out: string[][] = [];
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = schema[key];
      if (branches === undefined) continue;
      if (!Array.isArray(branches) || branches.length === 0) throw new Error(`${where}: ${key} must be a non-empty list`);
      if (key === 'oneOf' && branches.length > 1) {
        throw new Error(`${where}: oneOf of several required lists is not supported (exactly one may hold)`);
      }
      for (const branch of branches) {
        if (!isObject(branch) || Object.keys(branch).some((k) => k !== 'required') || !Array.isArray(branch.required)) {
          throw new Error(`${where}: ${key} is supported only as a list of { required: [...] }`);
        }
        for (const name of branch.required as string[])
          if (!(name in properties)) throw new Error(`${where}: ${key} names ${name}, no member`);
        out.push(branch.required as string[]);
      }
    }
    return out;
  }

  #stringOf(schema: Json, where: string): fc.Arbitrary<unknown> {
    const min = (schema.minLength as number | undefined) ?? 0;
    const max = schema.maxLength as number | undefined;
    if (max !== undefined && max < min) throw new Error(`${where}: maxLength < minLength`);
    const fits = (s: string) => {
      const n = codePoints(s);
      return n >= min && (max === undefined || n <= max);
    };
    if (typeof schema.pattern === 'string') {
      return fc.stringMatching(new RegExp(schema.pattern, 'u')).filter(fits);
    }
    if (this.#string) return this.#string.filter(fits);
    return fc.string({ minLength: min, maxLength: max ?? Math.max(min, this.#maxItems * 4) });
  }

  #integer(schema: Json, where: string): fc.Arbitrary<unknown> {
    let min = schema.minimum as number | undefined;
    let max = schema.maximum as number | undefined;
    if (typeof schema.exclusiveMinimum === 'number') min = Math.max(min ?? -Infinity, Math.floor(schema.exclusiveMinimum) + 1);
    if (typeof schema.exclusiveMaximum === 'number') max = Math.min(max ?? Infinity, Math.ceil(schema.exclusiveMaximum) - 1);
    const lo = min === undefined ? -(2 ** 31) : Math.ceil(min);
    const hi = max === undefined ? Math.max(lo, 0) + 2 ** 31 : Math.floor(max);
    if (hi < lo) throw new Error(`${where}: no integer in the range`);
    return fc.integer({ min: lo, max: hi });
  }

  #number(schema: Json, where: string): fc.Arbitrary<unknown> {
    const excludeMin = typeof schema.exclusiveMinimum === 'number';
    const excludeMax = typeof schema.exclusiveMaximum === 'number';
    const min = (excludeMin ? schema.exclusiveMinimum : schema.minimum) as number | undefined;
    const max = (excludeMax ? schema.exclusiveMaximum : schema.maximum) as number | undefined;
    if (min !== undefined && max !== undefined && max < min) throw new Error(`${where}: no number in the range`);
    return fc.double({
      noNaN: true,
      noDefaultInfinity: true,
      ...(min !== undefined ? { min, minExcluded: excludeMin } : { min: -1e9 }),
      ...(max !== undefined ? { max, maxExcluded: excludeMax } : { max: 1e9 }),
    });
  }

  #array(schema: Json, path: readonly string[], where: string, refs: readonly string[]): fc.Arbitrary<unknown> {
    if (schema.items === undefined || Array.isArray(schema.items)) throw new Error(`${where}: an array needs one items schema`);
    const items = this.convert(schema.items, [...path, '[]'], refs);
    const minLength = (schema.minItems as number | undefined) ?? 0;
    const maxLength = (schema.maxItems as number | undefined) ?? Math.max(minLength, this.#maxItems);
    if (maxLength < minLength) throw new Error(`${where}: maxItems < minItems`);
    if (schema.uniqueItems === true) {
      return fc.uniqueArray(items, { minLength, maxLength, comparator: (a, b) => JSON.stringify(a) === JSON.stringify(b) });
    }
    return fc.array(items, { minLength, maxLength });
  }
}

/**
 * An arbitrary of the values `schema` allows (see the module's description for the subset). Throws an Error
 * naming the keyword and its place for anything outside the subset.
 */
export function arbitraryFromSchema(schema: unknown, options: SchemaArbitraryOptions = {}): fc.Arbitrary<unknown> {
  return new Converter(options).convert(schema, []);
}

/** Options of {@link inputArbitrary}: those of {@link arbitraryFromSchema} but `defs` (the spec's components). */
export type InputArbitraryOptions = Omit<SchemaArbitraryOptions, 'defs'>;

/** An operation's input schema (parameters and body members, closed), cleaned as the generated validators see it, and its `$defs`. */
export function operationInputSchema(spec: Json, operationId: string): { schema: Json; defs: Json } {
  const ctx = new SpecContext(spec);
  const op = ctx.operations().find((o) => o.id === operationId);
  if (!op) throw new Error(`No operation ${operationId} in the spec`);
  const defs: Json = {};
  for (const [name, s] of Object.entries(ctx.schemas)) defs[name] = cleanSchema(ctx.flatten(s), true);
  return { schema: cleanSchema(inputSchema(ctx, op), true) as Json, defs };
}

/** The kind and place of each parameter, by name. */
function paramsOf(spec: Json, operationId: string): Map<string, { kind: string; in: string }> {
  const op = new SpecContext(spec).operations().find((o) => o.id === operationId)!;
  return new Map(op.params.map((p) => [p.name, { kind: p.kind, in: p.in }]));
}

/** A path segment the URL would resolve away (`.`, `..`, in any percent-encoded form). */
export const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/** An existing time as `YYYY-MM-DDTHH:MM:SS±HHMM`, in an offset from -12:00 to +14:00 (whole hours). */
export const ciTime: fc.Arbitrary<string> = fc
  .tuple(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-01-01'), noInvalidDate: true }), fc.integer({ min: -12, max: 14 }))
  .map(([d, h]) => {
    const shifted = new Date(d.getTime() + h * 3_600_000);
    const p = (n: number) => String(n).padStart(2, '0');
    return (
      `${shifted.getUTCFullYear()}-${p(shifted.getUTCMonth() + 1)}-${p(shifted.getUTCDate())}T` +
      `${p(shifted.getUTCHours())}:${p(shifted.getUTCMinutes())}:${p(shifted.getUTCSeconds())}${h < 0 ? '-' : '+'}${p(Math.abs(h))}00`
    );
  });

/**
 * An arbitrary of an operation's input (what `validateInput` accepts), from the spec. The items of a comma-joined
 * parameter are non-empty and hold no comma (the client refuses one that does), a path parameter or item is no dot
 * segment (`DOT_SEGMENT`: the client refuses it, it would rewrite the path), and a time parameter (`x-ci-time`) is
 * a time that exists (`ciTime`), besides what the schema says.
 */
export function inputArbitrary(
  spec: Json,
  operationId: string,
  options: InputArbitraryOptions = {},
): fc.Arbitrary<Record<string, unknown>> {
  const { schema, defs } = operationInputSchema(spec, operationId);
  const params = paramsOf(spec, operationId);
  const refine: SchemaArbitraryOptions['refine'] = (arbitrary, path, node) => {
    const param = path.length >= 1 ? params.get(path[0]!) : undefined;
    const item = param?.kind === 'csv' && path.length === 2 && path[1] === '[]';
    let out = arbitrary;
    if (item) out = out.filter((v) => typeof v !== 'string' || (v !== '' && !v.includes(',')));
    if (param?.in === 'path' && (path.length === 1 || item)) out = out.filter((v) => typeof v !== 'string' || !DOT_SEGMENT.test(v));
    if (param?.kind === 'time' && path.length === 1) out = ciTime;
    return options.refine ? options.refine(out, path, node) : out;
  };
  return arbitraryFromSchema(schema, { ...options, defs, refine }) as fc.Arbitrary<Record<string, unknown>>;
}
