/**
 * The spec as the generators see it: `$ref` resolution, `allOf` flattening, the operations, the documents, and
 * which components each direction (request, response) reaches.
 */

export type Json = Record<string, unknown>;
export type Schema = Json;

export const METHODS = ['get', 'put', 'post', 'delete'] as const;

/** Which way a document travels: `request` (we write it), `response` (we decode it). */
export type Direction = 'request' | 'response';

/** One operation. */
export interface Op {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  readonly params: readonly Param[];
  readonly flags: readonly string[];
  readonly bodySchemaName?: string | undefined;
  readonly responseSchemaName?: string | undefined;
  readonly idempotent: boolean;
}

export interface Param {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required: boolean;
  readonly kind: 'string' | 'integer' | 'number' | 'boolean' | 'csv' | 'time';
  readonly schema: Schema;
  readonly description: string;
}

/** A document the runtime reads or writes: a component with an XML root. */
export interface Document {
  readonly name: string;
  readonly root: string;
  readonly direction: Direction;
}

export class SpecContext {
  constructor(readonly spec: Json) {}

  get schemas(): Record<string, Schema> {
    return ((this.spec.components as Json | undefined)?.schemas ?? {}) as Record<string, Schema>;
  }

  resolve<T = Schema>(node: unknown): T {
    let n = node as Json;
    for (let i = 0; i < 16 && n && typeof n.$ref === 'string'; i++) n = this.ref(n.$ref as string) as Json;
    return n as T;
  }

  ref(ref: string): unknown {
    if (!ref.startsWith('#/')) throw new Error(`Only local $ref is supported: ${ref}`);
    let node: unknown = this.spec;
    for (const part of ref.slice(2).split('/')) {
      node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      if (node === undefined) throw new Error(`Unresolved $ref ${ref}`);
    }
    return node;
  }

  /**
   * An `allOf` of object schemas merged into one object schema (properties in order, required unioned);
   * other schemas unchanged. Lets XML shapes and closed validators treat a composed body as one element.
   */
  flatten(schema: Schema): Schema {
    if (!Array.isArray(schema.allOf)) return schema;
    const properties: Json = {};
    const required: string[] = [];
    const { allOf, ...rest } = schema;
    for (const part of [...(allOf as unknown[]), rest]) {
      const p = this.flatten(this.resolve(part));
      if (p !== rest && p.type !== 'object' && !p.properties) throw new Error('allOf may only combine object schemas');
      Object.assign(properties, p.properties ?? {});
      required.push(...((p.required as string[] | undefined) ?? []));
      if (p !== rest && (p.anyOf || p.oneOf)) throw new Error('allOf parts may not use anyOf/oneOf');
    }
    return { ...rest, type: 'object', properties, ...(required.length ? { required: [...new Set(required)] } : {}) };
  }

  /** The component name a `$ref` to `#/components/schemas/X` points at. */
  refName(node: unknown): string | undefined {
    const ref = (node as Json | undefined)?.$ref;
    const prefix = '#/components/schemas/';
    return typeof ref === 'string' && ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined;
  }

  operations(): Op[] {
    const ops: Op[] = [];
    const paths = (this.spec.paths ?? {}) as Record<string, Json>;
    for (const [path, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        const op = item[method] as Json | undefined;
        if (!op) continue;
        const id = op.operationId as string;
        if (!id) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
        if (!/^[A-Z][A-Za-z0-9]*$/.test(id)) throw new Error(`${method.toUpperCase()} ${path}: operationId ${id} must be PascalCase`);
        const params = [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])].map((p) =>
          this.param(this.resolve(p), id),
        );
        const body = this.resolve<Json | undefined>(op.requestBody);
        const bodySchema = (body?.content as Json | undefined)?.['application/xml'] as Json | undefined;
        if (body && !bodySchema) throw new Error(`${id}: a request body must be application/xml`);
        const responses = (op.responses ?? {}) as Json;
        const ok = this.resolve<Json | undefined>(responses['200'] ?? responses['204']);
        if (!ok) throw new Error(`${id}: no 200 response`);
        const okSchema = ((ok.content as Json | undefined)?.['application/xml'] as Json | undefined)?.schema;
        const bodyName = bodySchema ? this.refName(bodySchema.schema) : undefined;
        if (bodySchema && !bodyName) throw new Error(`${id}: the request body schema must be a $ref to a component`);
        const responseName = okSchema ? this.refName(okSchema) : undefined;
        if (okSchema && !responseName) throw new Error(`${id}: the response schema must be a $ref to a component`);
        const explicit = op['x-ci-idempotent'];
        ops.push({
          id,
          method: method.toUpperCase(),
          path,
          summary: String(op.summary ?? ''),
          description: String(op.description ?? ''),
          params,
          flags: (op['x-ci-query-flags'] as string[] | undefined) ?? [],
          bodySchemaName: bodyName,
          responseSchemaName: responseName,
          idempotent: typeof explicit === 'boolean' ? explicit : method !== 'post',
        });
      }
    }
    return ops.sort((a, b) => a.id.localeCompare(b.id));
  }

  param(p: Json, opId: string): Param {
    const where = p.in;
    if (where !== 'path' && where !== 'query') throw new Error(`${opId}: parameter ${String(p.name)} in ${String(where)} is not supported`);
    const schema = this.resolve(p.schema);
    let kind: Param['kind'];
    if (p['x-ci-time'] === true) kind = 'time';
    else if (schema.type === 'array') {
      const style = p.style ?? (where === 'path' ? 'simple' : 'form');
      if (style !== (where === 'path' ? 'simple' : 'form')) {
        throw new Error(`${opId}: array parameter ${String(p.name)} must be style ${where === 'path' ? 'simple' : 'form'}`);
      }
      if (p.explode !== false) throw new Error(`${opId}: array parameter ${String(p.name)} must have explode: false (comma-joined)`);
      kind = 'csv';
    } else if (schema.type === 'integer' || schema.type === 'number' || schema.type === 'boolean' || schema.type === 'string') {
      kind = schema.type;
    } else throw new Error(`${opId}: parameter ${String(p.name)} has an unsupported schema type ${String(schema.type)}`);
    return {
      name: String(p.name),
      in: where,
      required: p.required === true,
      kind,
      schema: p.schema as Schema,
      description: String(p.description ?? ''),
    };
  }

  /**
   * Every document: each operation's request body (request) and response (response), each webhook's request body
   * (response: CI sends it, we decode it — the job notification), and each component marked `x-ci-document`
   * (the `<Error>` document). Sorted by name.
   */
  documents(ops: readonly Op[]): Document[] {
    const docs = new Map<string, Document>();
    const add = (name: string, direction: Direction) => {
      const schema = this.schemas[name];
      if (!schema) throw new Error(`No component schema ${name}`);
      const root = ((schema.xml as Json | undefined)?.name as string | undefined) ?? name;
      const existing = docs.get(name);
      if (existing && existing.direction !== direction) throw new Error(`${name} is both a request and a response document`);
      docs.set(name, { name, root, direction });
    };
    for (const op of ops) {
      if (op.bodySchemaName) add(op.bodySchemaName, 'request');
      if (op.responseSchemaName) add(op.responseSchemaName, 'response');
    }
    // a webhook's request body is a document CI sends: decoded like a response
    for (const item of Object.values((this.spec.webhooks ?? {}) as Record<string, Json>)) {
      for (const method of METHODS) {
        const content = (this.resolve<Json | undefined>((item[method] as Json | undefined)?.requestBody)?.content ?? {}) as Record<
          string,
          Json
        >;
        for (const media of Object.values(content)) {
          const name = this.refName(media.schema);
          if (name) add(name, 'response');
        }
      }
    }
    for (const [name, schema] of Object.entries(this.schemas)) {
      const mark = schema['x-ci-document'];
      if (mark === undefined) continue;
      if (mark !== 'response' && mark !== 'request') throw new Error(`${name}: x-ci-document must be request or response`);
      add(name, mark);
    }
    return [...docs.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The component names a schema reaches through `$ref`s (itself excluded unless recursive). */
  reachable(node: unknown, into = new Set<string>()): Set<string> {
    const visit = (n: unknown): void => {
      if (Array.isArray(n)) {
        for (const item of n) visit(item);
        return;
      }
      if (!n || typeof n !== 'object') return;
      const name = this.refName(n);
      if (name !== undefined) {
        if (into.has(name)) return;
        into.add(name);
        visit(this.schemas[name]);
        return;
      }
      for (const [k, v] of Object.entries(n as Json)) if (k !== 'examples' && k !== 'example') visit(v);
    };
    visit(node);
    return into;
  }

  /**
   * For each component, the directions that reach it: `request` from operation parameters and request bodies,
   * `response` from response documents.
   */
  directions(ops: readonly Op[]): Map<string, Set<Direction>> {
    const out = new Map<string, Set<Direction>>();
    const mark = (names: Iterable<string>, d: Direction) => {
      for (const n of names) {
        let set = out.get(n);
        if (!set) out.set(n, (set = new Set()));
        set.add(d);
      }
    };
    for (const op of ops) {
      mark(this.reachable(op.params.map((p) => p.schema)), 'request');
    }
    for (const doc of this.documents(ops)) {
      mark([doc.name, ...this.reachable(this.schemas[doc.name])], doc.direction);
    }
    return out;
  }

  /** Whether a schema, following `$ref`s, holds a string enum (its type then differs by direction). */
  holdsEnum(node: unknown, seen = new Set<string>()): boolean {
    if (Array.isArray(node)) return node.some((n) => this.holdsEnum(n, seen));
    if (!node || typeof node !== 'object') return false;
    const name = this.refName(node);
    if (name !== undefined) {
      if (seen.has(name)) return false;
      seen.add(name);
      return this.holdsEnum(this.schemas[name], seen);
    }
    if (Array.isArray((node as Json).enum)) return true;
    return Object.entries(node as Json).some(([k, v]) => k !== 'examples' && k !== 'example' && this.holdsEnum(v, seen));
  }
}

/** `DescribeMediaJobs` → `describeMediaJobs`. */
export function camel(id: string): string {
  return id.charAt(0).toLowerCase() + id.slice(1);
}

/** A JSDoc block of `text` (nothing for empty text). */
export function doc(text: string, indent = ''): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  const lines = trimmed.replace(/\*\//g, '*\\/').split('\n');
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

/** The banner every generated file opens with. */
export function banner(specFile: string, what: string): string {
  return (
    `// @generated by tools/codegen from ${specFile} — DO NOT EDIT.\n` +
    `// ${what}\n` +
    '// Edit the spec and run `npm run generate` instead; CI fails when this file drifts from the spec.\n'
  );
}
