/**
 * TypeScript types of the spec's components, as named, documented interfaces.
 *
 * A component can travel both ways: `Animation` is sent in a CreateMediaJobs request and decoded from a job's
 * `Operation`. The two differ when the component holds an enum: a request enum stays as documented (the
 * input validator refuses another value), a response enum is open (`'gif' | 'webp' | (string & {})`: a value the
 * service adds still decodes, and the type says so). Such a component gets two types: its own name for what is
 * decoded (`Animation`) and `<Name>Input` for what is sent (`AnimationInput`); every other component gets one.
 * Members the spec requires are non-optional: in a response, what the service always returns (a required array
 * is `[]` when absent, see the runtime's decoder).
 */
import { doc, type Direction, type Json, type Op, type Schema, type SpecContext } from './spec';

/** Names the TypeScript type of a component as seen from one direction. */
export type TypeNamer = (component: string, direction: Direction) => string;

/** Which components get two types, and the type name of each (component, direction). */
export function typeNamer(
  ctx: SpecContext,
  ops: readonly Op[],
): { name: TypeNamer; split: ReadonlySet<string>; views: Map<string, Direction[]> } {
  const directions = ctx.directions(ops);
  const split = new Set<string>();
  const views = new Map<string, Direction[]>();
  for (const name of Object.keys(ctx.schemas)) {
    const dirs = directions.get(name) ?? new Set<Direction>(['response']);
    if (dirs.size === 2 && ctx.holdsEnum(ctx.schemas[name])) {
      split.add(name);
      views.set(name, ['response', 'request']);
    } else views.set(name, [dirs.has('response') ? 'response' : 'request']);
  }
  const name: TypeNamer = (component, direction) => (split.has(component) && direction === 'request' ? `${component}Input` : component);
  for (const component of split) {
    if (ctx.schemas[`${component}Input`]) throw new Error(`${component}Input is a component name; ${component}'s request type needs it`);
  }
  return { name, split, views };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key as written in a type: bare when it is an identifier, else quoted. */
export function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** The JSDoc text of a schema: its description, its default and its range. */
export function describeSchema(ctx: SpecContext, node: Schema): string {
  const schema = ctx.resolve(node);
  const notes: string[] = [];
  const description = (node.description ?? schema.description) as string | undefined;
  if (description) notes.push(description.trim());
  if (schema.default !== undefined) notes.push(`Default: \`${String(schema.default)}\`.`);
  if (schema.minimum !== undefined || schema.maximum !== undefined) {
    notes.push(`Range: ${String(schema.minimum ?? '-∞')}..${String(schema.maximum ?? '∞')}.`);
  }
  return notes.join('\n');
}

/** The type emitter of one direction. */
export class TypeEmitter {
  constructor(
    private readonly ctx: SpecContext,
    private readonly name: TypeNamer,
  ) {}

  /** The type expression of a schema (`indent`: of the line it starts on). */
  expr(node: unknown, direction: Direction, indent = ''): string {
    const ref = this.ctx.refName(node);
    if (ref !== undefined) return this.name(ref, direction);
    const schema = this.ctx.flatten(node as Schema);
    for (const k of ['oneOf', 'anyOf']) {
      const alts = schema[k] as Schema[] | undefined;
      if (alts && !alts.every((a) => Object.keys(a).every((key) => key === 'required' || key === 'description'))) {
        throw new Error(`${k} is not supported (only alternatives of required members): ${JSON.stringify(schema).slice(0, 120)}`);
      }
    }
    if (Array.isArray(schema.enum)) {
      const literals = (schema.enum as unknown[]).map((v) => JSON.stringify(v));
      if (direction === 'response' && schema.type === 'string') literals.push('(string & {})');
      return literals.join(' | ');
    }
    switch (schema.type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array': {
        const item = this.expr(schema.items, direction, indent);
        return /[|&]/.test(item) && !/^\{/.test(item) ? `Array<${item}>` : `${item}[]`;
      }
      case 'object':
      case undefined:
        if (schema.properties) return this.objectLiteral(schema, direction, indent);
        if (schema.type === 'object') return 'Record<string, unknown>';
        throw new Error(`A schema without a type: ${JSON.stringify(schema).slice(0, 120)}`);
      default:
        throw new Error(`Unsupported schema type ${JSON.stringify(schema.type)}`);
    }
  }

  /** `{ … }` with one documented line per member. */
  objectLiteral(schema: Schema, direction: Direction, indent: string): string {
    return `{\n${this.members(schema, direction, `${indent}  `)}${indent}}`;
  }

  /** The members of an object schema, one documented line each. */
  members(schema: Schema, direction: Direction, indent: string): string {
    const flat = this.ctx.flatten(schema);
    const required = new Set((flat.required as string[] | undefined) ?? []);
    let out = '';
    for (const [key, prop] of Object.entries((flat.properties ?? {}) as Record<string, Json>)) {
      out += doc(describeSchema(this.ctx, prop), indent);
      out += `${indent}${propertyKey(key)}${required.has(key) ? '' : '?'}: ${this.expr(prop, direction, indent)};\n`;
    }
    return out;
  }

  /** The declaration of a component in one direction: an interface for an object, else a type alias. */
  declaration(component: string, direction: Direction): string {
    const schema = this.ctx.flatten(this.ctx.schemas[component]!);
    const typeName = this.name(component, direction);
    const what =
      direction === 'request' && typeName !== component
        ? `\`${component}\` as sent in a request (enums as documented; \`${component}\` is the decoded form).`
        : '';
    const text = [String(schema.description ?? '').trim(), what].filter(Boolean).join('\n\n');
    if (schema.properties) {
      return `${doc(text)}export interface ${typeName} {\n${this.members(schema, direction, '  ')}}\n`;
    }
    return `${doc(text)}export type ${typeName} = ${this.expr(schema, direction)};\n`;
  }
}

/** types.ts: every component, in each direction it travels. */
export function generateTypes(ctx: SpecContext, ops: readonly Op[], header: string): string {
  const { name, views } = typeNamer(ctx, ops);
  const emitter = new TypeEmitter(ctx, name);
  const parts: string[] = [];
  for (const component of Object.keys(ctx.schemas).sort()) {
    for (const direction of views.get(component)!) parts.push(emitter.declaration(component, direction));
  }
  return `${header}/* eslint-disable */
// Response enums are open: \`(string & {})\` keeps the documented values as suggestions and accepts any other.

${parts.join('\n')}`;
}

/** enums.ts: the documented values of every enum component, as constants (`JobStateValues`). */
export function generateEnums(ctx: SpecContext, header: string): string {
  const parts: string[] = [];
  for (const component of Object.keys(ctx.schemas).sort()) {
    const schema = ctx.flatten(ctx.schemas[component]!);
    if (!Array.isArray(schema.enum)) continue;
    parts.push(
      `${doc(`The documented values of \`${component}\`. ${String(schema.description ?? '').trim()}`)}export const ${component}Values = ${JSON.stringify(schema.enum)} as const;\n`,
    );
  }
  return `${header}\n${parts.join('\n')}`;
}
