/**
 * The generator proper: a pure function from the parsed spec to file contents.
 */
import { generateOperations, generateMethods } from './operations';
import { generateShapes } from './shapes';
import { banner, SpecContext, type Json } from './spec';
import { generateEnums, generateTypes } from './types';
import { generateValidators } from './validators';

/** File name (relative to the generated folder) -> content. */
export type Generated = Record<string, string>;

export interface GenerateOptions {
  /** The spec's path, as written into the banners. */
  readonly specFile: string;
}

export async function generate(spec: Json, options: GenerateOptions): Promise<Generated> {
  const ctx = new SpecContext(spec);
  const ops = ctx.operations();
  const header = (what: string) => banner(options.specFile, what);
  return {
    'types.ts': generateTypes(
      ctx,
      ops,
      header("Named types of the spec's components (decoded form; `<Name>Input` for what is sent where it differs)."),
    ),
    'enums.ts': generateEnums(ctx, header('The documented values of each enum component, as constants.')),
    'shapes.ts': generateShapes(
      ctx,
      ops,
      header('XML shapes: which elements repeat, which leaves are integer/number/boolean (the rest are strings).'),
    ),
    'validators.ts': generateValidators(ctx, ops, header('Input validators, precompiled by ajv standalone (no eval, no ajv at run time).')),
    'operations.ts': generateOperations(ctx, ops, header("The operation table and each operation's Input/Output types.")),
    'methods.ts': generateMethods(ops, header('One method per operation of the spec.')),
    'index.ts': `${header('Entry point of the generated code.')}
export * from './types';
export * from './enums';
export { shapes } from './shapes';
export * from './operations';
export { CiMediaOperations } from './methods';
`,
  };
}
