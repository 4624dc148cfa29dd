/**
 * shapes.ts: the XML shape of every document — which elements repeat, which leaves are integer/number/boolean
 * (the rest are strings), element names and aliases, required members, numeric ranges and nested list forms.
 */
import type { Json, Op, Schema, SpecContext } from './spec';

/** Marks a call esbuild and other bundlers may drop when its result is unused (what an unused operation needs). */
const PURE = '/* @__PURE__ */ ';

/** The name of a document's shape constant: `DescribeMediaJobsResponseDocument`. */
export function documentConst(component: string): string {
  return `${component}Document`;
}

export function generateShapes(ctx: SpecContext, ops: readonly Op[], header: string): string {
  const emitted = new Map<string, string>(); // component name -> const name
  const lines: string[] = [];
  const inProgress = new Set<string>();

  const constName = (name: string) => `${name}Shape`;

  function component(name: string): string {
    const existing = emitted.get(name);
    if (existing) return existing;
    if (inProgress.has(name)) throw new Error(`Recursive schema ${name} is not supported by XML shapes`);
    inProgress.add(name);
    const expr = shapeExpr(ctx.schemas[name] ?? ctx.resolve({ $ref: `#/components/schemas/${name}` }), name);
    inProgress.delete(name);
    const id = constName(name);
    lines.push(`/** \`${name}\` */\nexport const ${id}: ${expr.startsWith(PURE) ? 'ObjectShape' : 'Shape'} = ${expr};\n`);
    emitted.set(name, id);
    return id;
  }

  function shapeOf(node: unknown, where: string): string {
    const name = ctx.refName(node);
    if (name) return component(name);
    return shapeExpr(node as Schema, where);
  }

  function shapeExpr(input: Schema, where: string): string {
    const schema = ctx.flatten(input);
    for (const k of ['oneOf', 'anyOf']) {
      // alternatives that only say which members are required (TemplateId | Animation) change no shape
      const alts = schema[k] as Schema[] | undefined;
      if (alts && !alts.every((a) => Object.keys(a).every((key) => key === 'required' || key === 'description'))) {
        throw new Error(`${where}: ${k} is not supported in XML shapes (only alternatives of required members)`);
      }
    }
    const type = schema.type;
    if (type === 'object' || schema.properties) {
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const members = Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([key, prop]) =>
        memberExpr(key, prop, required.has(key), where),
      );
      return `${PURE}objectShape([\n${members.map((m) => `  ${m.replace(/\n/g, '\n  ')},`).join('\n')}\n])`;
    }
    if (type === 'integer' || type === 'number' || type === 'boolean' || type === 'string') return JSON.stringify(type);
    if (type === 'array') throw new Error(`${where}: an array must be an object's property (a repeated element)`);
    throw new Error(`${where}: unsupported schema type ${JSON.stringify(type)}`);
  }

  function memberExpr(key: string, prop: Schema, required: boolean, where: string): string {
    const resolved = ctx.flatten(ctx.resolve(prop));
    const opts: string[] = [];
    let inner: string;
    let leaf: Schema = resolved;
    if (resolved.type === 'array') {
      if ((resolved.xml as Json | undefined)?.wrapped) {
        throw new Error(`${where}.${key}: wrapped XML arrays are not supported (use x-ci-nested-item)`);
      }
      const itemXml = ctx.resolve(resolved.items).xml as Json | undefined;
      if (itemXml?.name && itemXml.name !== key && !ctx.refName(resolved.items)) {
        throw new Error(`${where}.${key}: an unwrapped array's items take the property's element name`);
      }
      opts.push('array: true');
      inner = shapeOf(resolved.items, `${where}.${key}[]`);
      leaf = ctx.resolve(resolved.items);
      const nested = prop['x-ci-nested-item'] ?? resolved['x-ci-nested-item'];
      if (nested !== undefined) {
        const names = typeof nested === 'string' ? [nested] : nested;
        if (
          !Array.isArray(names) ||
          !names.length ||
          !names.every((n) => typeof n === 'string') ||
          leaf.type === 'object' ||
          leaf.properties
        ) {
          throw new Error(`${where}.${key}: x-ci-nested-item names the item element(s) of an array of scalars`);
        }
        opts.push(`nestedItems: ${JSON.stringify(names)}`);
      }
    } else {
      inner = shapeOf(prop, `${where}.${key}`);
    }
    if (required) opts.push('required: true');
    const xmlName = (prop.xml as Json | undefined)?.name ?? (resolved.xml as Json | undefined)?.name;
    if (typeof xmlName === 'string' && xmlName !== key && !ctx.refName(prop)) opts.push(`xmlName: ${JSON.stringify(xmlName)}`);
    const aliases = (prop['x-ci-aliases'] ?? resolved['x-ci-aliases']) as string[] | undefined;
    if (aliases?.length) opts.push(`aliases: ${JSON.stringify(aliases)}`);
    if (leaf.type === 'integer' || leaf.type === 'number') {
      if (typeof leaf.minimum === 'number') opts.push(`minimum: ${leaf.minimum}`);
      if (typeof leaf.maximum === 'number') opts.push(`maximum: ${leaf.maximum}`);
    }
    return `${PURE}member(${JSON.stringify(key)}, ${inner}${opts.length ? `, { ${opts.join(', ')} }` : ''})`;
  }

  const docs: string[] = [];
  const documentConsts: string[] = [];
  for (const d of ctx.documents(ops)) {
    const id = component(d.name);
    documentConsts.push(
      `/** The \`<${d.root}>\` document \`${d.name}\` (${d.direction}). */\nexport const ${documentConst(d.name)}: DocumentShape = ${PURE}documentShape(${JSON.stringify(d.root)}, ${id} as ObjectShape);\n`,
    );
    docs.push(`  ${d.name}: ${documentConst(d.name)},`);
  }
  return `${header}
import { documentShape, member, objectShape, type DocumentShape, type ObjectShape, type Shape } from '@cloud-infinite/runtime';

${lines.join('\n')}
${documentConsts.join('\n')}
/** Every request and response document of the spec, by component name. */
export const documents = {
${docs.join('\n')}
} satisfies Record<string, DocumentShape>;

/**
 * Every shape and document, as one object (\`shapes.MediaJobShape\`, \`shapes.documents.DescribeMediaJobsResponse\`).
 * A plain object rather than a module namespace, so a bundler drops it, and the shapes it alone names, when
 * nothing reads it.
 */
export const shapes = {
${[...emitted.values()].map((id) => `  ${id},`).join('\n')}
${ctx
  .documents(ops)
  .map((d) => `  ${documentConst(d.name)},`)
  .join('\n')}
  documents,
};
`;
}
