/**
 * operations.ts (the operation table and each operation's Input/Output types) and methods.ts (one method per
 * operation).
 */
import { documentConst } from './shapes';
import { camel, doc, type Op, type SpecContext } from './spec';
import { describeSchema, propertyKey, TypeEmitter, typeNamer } from './types';

export function generateOperations(ctx: SpecContext, ops: readonly Op[], header: string): string {
  const { name } = typeNamer(ctx, ops);
  const emitter = new TypeEmitter(ctx, name);
  const typeImports = new Set<string>();
  const validatorImports: string[] = [];
  const documentImports = new Set<string>();
  const tables: string[] = [];
  const types: string[] = [];
  const entries: string[] = [];
  const use = (t: string) => {
    for (const m of t.matchAll(/\b[A-Z][A-Za-z0-9]*\b/g))
      if (ctx.schemas[m[0]] || ctx.schemas[m[0].replace(/Input$/, '')]) typeImports.add(m[0]);
    return t;
  };
  for (const op of ops) {
    validatorImports.push(`validate${op.id}Input`);
    const fields = [
      `id: ${JSON.stringify(op.id)}`,
      `method: ${JSON.stringify(op.method)}`,
      `path: ${JSON.stringify(op.path)}`,
      `params: [\n${op.params
        .map((p) => `    { name: ${JSON.stringify(p.name)}, in: '${p.in}', required: ${p.required}, kind: '${p.kind}' },`)
        .join('\n')}\n  ]`,
    ];
    if (op.flags.length) fields.push(`flags: ${JSON.stringify(op.flags)}`);
    if (op.bodySchemaName) {
      documentImports.add(documentConst(op.bodySchemaName));
      fields.push(`body: ${documentConst(op.bodySchemaName)}`);
    }
    if (op.responseSchemaName) {
      documentImports.add(documentConst(op.responseSchemaName));
      fields.push(`response: ${documentConst(op.responseSchemaName)}`);
    }
    fields.push(`idempotent: ${op.idempotent}`);
    fields.push(`validateInput: validate${op.id}Input as ValidateFunction`);
    const target = `${op.method} ${op.path}${op.flags.length ? `?${op.flags.join('&')}` : ''}`;
    tables.push(
      `${doc(`${target} — ${op.summary}\n\nThe operation as \`client.send(${camel(op.id)}, input)\` takes it (a \`CiClient\` carries only the operations it is given).`)}export const ${camel(op.id)}: Operation<${op.id}Input, ${op.id}Output> = {\n  ${fields.join(',\n  ')},\n};\n`,
    );

    // Input: parameters under their wire names, then the body's members under their element names
    let members = '';
    for (const p of op.params) {
      const type = p.kind === 'time' ? 'string | Date' : use(emitter.expr(p.schema, 'request', '  '));
      const notes = [describeSchema(ctx, { ...p.schema, description: p.description })];
      if (p.kind === 'time') notes.push("A Date is formatted in the client's `timeOffsetMinutes` (default +0800).");
      if (p.kind === 'csv') notes.push('Sent comma-joined; an item may not hold a comma.');
      members += doc(notes.filter(Boolean).join('\n'), '  ');
      members += `  ${propertyKey(p.name)}${p.required ? '' : '?'}: ${type};\n`;
    }
    if (op.bodySchemaName) members += use(emitter.members(ctx.schemas[op.bodySchemaName]!, 'request', '  '));
    types.push(
      `${doc(
        `Input of ${op.id} (\`${target}\`): parameters under their wire names${
          op.bodySchemaName ? `, then the \`<Request>\` body's members under their XML element names` : ''
        }.`,
      )}export interface ${op.id}Input {\n${members}}\n`,
    );
    if (op.responseSchemaName) {
      typeImports.add(op.responseSchemaName);
      types.push(
        `${doc(`Result of ${op.id}: the decoded \`<Response>\` without its root.`)}export interface ${op.id}Output extends ${op.responseSchemaName} {}\n`,
      );
    } else {
      types.push(`${doc(`Result of ${op.id}: its response has no body.`)}export type ${op.id}Output = Record<string, never>;\n`);
    }
    entries.push(`  ${op.id}: { input: ${op.id}Input; output: ${op.id}Output };`);
  }
  return `${header}/* eslint-disable */
import type { Operation, OperationSpec, ValidateFunction } from '@cloud-infinite/runtime';
import type {
${[...typeImports]
  .sort()
  .map((t) => `  ${t},`)
  .join('\n')}
} from './types';
import {
${[...documentImports]
  .sort()
  .map((d) => `  ${d},`)
  .join('\n')}
} from './shapes';
import {
${validatorImports
  .sort()
  .map((v) => `  ${v},`)
  .join('\n')}
} from './validators';

${types.join('\n')}
/** Every operation's input and output types, by operationId. */
export interface OperationTypes {
${entries.join('\n')}
}

${tables.join('\n')}
/** Every operation of the spec, by operationId. */
export const operationTable = {
${ops.map((o) => `  ${o.id}: ${camel(o.id)},`).join('\n')}
} as const satisfies Record<keyof OperationTypes, OperationSpec>;
`;
}

export function generateMethods(ops: readonly Op[], header: string): string {
  const methods = ops.map((op) => {
    const target = `${op.method} ${op.path}${op.flags.length ? `?${op.flags.join('&')}` : ''}`;
    const text = [
      `${op.summary}.`,
      '',
      op.description.trim(),
      '',
      `Sends \`${target}\` (spec operation \`${op.id}\`).`,
      `@returns the decoded \`<Response>\` without its root, with \`$metadata\`.`,
      '@throws CiValidationError when the input does not match the spec (nothing is sent),',
      '  CiServiceError on a non-2xx answer, CiNetworkError, CiTimeoutError, CiAbortError, CiDecodeError.',
    ].join('\n');
    const optional = op.params.every((p) => !p.required) && !op.bodySchemaName;
    return `${doc(text, '  ')}  ${camel(op.id)}(input: ${op.id}Input${optional ? ' = {}' : ''}, options?: CallOptions): Promise<WithMetadata<${op.id}Output>> {
    return this.send(${camel(op.id)}, input, options);
  }`;
  });
  const imports = ops
    .flatMap((op) => [`type ${op.id}Input`, `type ${op.id}Output`, camel(op.id)])
    .sort((a, b) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, '')));
  return `${header}
import type { CallOptions, Operation, WithMetadata } from '@cloud-infinite/runtime';
import {
${imports.map((i) => `  ${i},`).join('\n')}
} from './operations';

/** The operations of the spec as methods; \`CiMediaClient\` supplies \`send\`. */
export abstract class CiMediaOperations {
  /** Sends one operation (one of the generated operation constants). */
  abstract send<I, O>(operation: Operation<I, O>, input: I, options?: CallOptions): Promise<WithMetadata<O>>;

${methods.join('\n\n')}
}
`;
}
