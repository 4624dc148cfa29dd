/**
 * validators.ts: one ajv standalone validator per operation input (parameters and body members, request
 * enums closed, objects closed). Shared schemas are compiled once, as functions every input validator calls
 * (`inlineRefs: false`). Responses are not validated here: the decoder reports what does not match the spec in
 * the same pass that reads it (see the runtime's `xml/shaper.ts`).
 */
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import type { Json, Op, Schema, SpecContext } from './spec';

/** Removes what ajv does not know (xml, x-*, OpenAPI-only keywords) and closes objects. */
export function cleanSchema(node: unknown, closeObjects: boolean, openEnums = false): unknown {
  if (Array.isArray(node)) return node.map((n) => cleanSchema(n, closeObjects, openEnums));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  const anyRequired = (node as Json)['x-ci-require-any'];
  if (Array.isArray(anyRequired)) out.anyOf = anyRequired.map((name) => ({ required: [name] }));
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'xml' || k.startsWith('x-') || k === 'example' || k === 'externalDocs' || k === 'discriminator') continue;
    // annotations: not needed to validate, and ajv would embed them in the generated code
    if (k === 'description' || k === 'summary' || k === 'title' || k === 'default' || k === 'examples') continue;
    if (openEnums && k === 'enum') continue;
    if (k === '$ref' && typeof v === 'string') {
      out.$ref = v.replace('#/components/schemas/', '#/$defs/');
      continue;
    }
    if (k === 'properties' || k === '$defs') {
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([pk, pv]) => [pk, cleanSchema(pv, closeObjects, openEnums)]));
      continue;
    }
    out[k] = cleanSchema(v, closeObjects, openEnums);
  }
  if (closeObjects && (out.type === 'object' || out.properties) && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * Every subschema (besides the `$defs` themselves) that stands, the same to the letter, in more than one place and is
 * more than a bare type — the `pageSize` range of two listings, the `templateId` of two operations — moved into
 * `$defs` (`_shared0`, …) and referenced from each place, so ajv compiles it once, as one function, instead of
 * writing its checks out at every use.
 */
export function hoistRepeated(defs: Json): Json {
  const counts = new Map<string, number>();
  const worth = (node: Json) => Object.keys(node).length > 1 || 'properties' in node || 'items' in node;
  const visit = (node: unknown, count: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, count));
    if (!node || typeof node !== 'object') return;
    const n = node as Json;
    if (count && !('$ref' in n) && worth(n)) {
      const key = JSON.stringify(n);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [k, v] of Object.entries(n)) {
      if (k === 'properties') for (const p of Object.values(v as Json)) visit(p, true);
      else if (k === 'items') visit(v, true);
      else if (typeof v === 'object') visit(v, false);
    }
  };
  for (const def of Object.values(defs)) visit(def, false);
  const shared = new Map<string, string>();
  const out: Json = { ...defs };
  const replace = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(replace);
    if (!node || typeof node !== 'object') return node;
    const n = node as Json;
    const rewritten: Json = {};
    for (const [k, v] of Object.entries(n)) {
      if (k === 'properties') {
        rewritten[k] = Object.fromEntries(Object.entries(v as Json).map(([pk, pv]) => [pk, refIfShared(pv)]));
      } else if (k === 'items') rewritten[k] = refIfShared(v);
      else rewritten[k] = replace(v);
    }
    return rewritten;
  };
  const refIfShared = (node: unknown): unknown => {
    const key = node && typeof node === 'object' && !Array.isArray(node) ? JSON.stringify(node) : undefined;
    if (key !== undefined && (counts.get(key) ?? 0) > 1) {
      let name = shared.get(key);
      if (name === undefined) {
        name = `_shared${shared.size}`;
        shared.set(key, name);
        out[name] = replace(node);
      }
      return { $ref: `#/$defs/${name}` };
    }
    return replace(node);
  };
  for (const [name, def] of Object.entries(defs)) out[name] = replace(def);
  return out;
}

/** The JSON schema of an operation's input: its parameters and its body's members, in one closed object. */
export function inputSchema(ctx: SpecContext, op: Op): Schema {
  const properties: Json = {};
  const required: string[] = [];
  for (const p of op.params) {
    properties[p.name] = p.schema;
    if (p.required) required.push(p.name);
  }
  if (op.bodySchemaName) {
    const body = ctx.flatten(ctx.schemas[op.bodySchemaName]!);
    for (const [k, v] of Object.entries((body.properties ?? {}) as Json)) {
      if (k in properties) throw new Error(`${op.id}: body member ${k} clashes with a parameter`);
      properties[k] = v;
    }
    required.push(...(((body.required as string[] | undefined) ?? []) as string[]));
    for (const k of ['anyOf', 'oneOf']) {
      if (body[k]) return { type: 'object', properties, required, additionalProperties: false, [k]: body[k] };
    }
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

/** The ajv instance and options shared by the generated validators and the test oracle. */
export function newAjv(source: boolean): Ajv {
  return new Ajv({
    ...(source ? { code: { source: true, esm: true, lines: true, optimize: true } } : {}),
    allErrors: true,
    // no message strings in the generated code (smaller bundles); the runtime writes them from keyword + params
    messages: !source,
    strict: true,
    // `anyOf: [{ required: [TemplateId] }, { required: [Animation] }]` names members defined beside it
    strictRequired: false,
    // referenced schemas become shared functions instead of being inlined at every use (much smaller code)
    inlineRefs: false,
    unicodeRegExp: true,
  });
}

export function generateValidators(ctx: SpecContext, ops: readonly Op[], header: string): string {
  const defs: Json = {};
  for (const [name, schema] of Object.entries(ctx.schemas)) defs[name] = ctx.flatten(schema);
  const exports: Record<string, string> = {};
  for (const op of ops) {
    defs[`${op.id}Input`] = inputSchema(ctx, op);
    exports[`validate${op.id}Input`] = `ci#/$defs/${op.id}Input`;
  }
  const ajv = newAjv(true);
  ajv.addSchema({ $id: 'ci', $defs: hoistRepeated(cleanSchema(defs, true) as Json) });
  // ajv's one runtime helper we use (string length in code points) is inlined, so the client needs no ajv
  const code = standaloneCode(ajv, exports).replace(
    /require\("ajv\/dist\/runtime\/ucs2length"\)\.default/g,
    '((s) => { let n = 0; for (const _ of s) n++; return n; })',
  );
  if (/\brequire\(/.test(code)) {
    throw new Error('The standalone validators need an ajv runtime module; avoid the keyword that pulls it in');
  }
  const names = Object.keys(exports).sort();
  return `${header}/* eslint-disable */
// @ts-nocheck
// exports: ${names.join(', ')}
${code}
`;
}
