/**
 * A test-time oracle: the spec's response schemas compiled by ajv (objects closed, enums open, as the decoder
 * treats them), to check decoded results and the decoder's own issue reports against an independent judge.
 * Not used at run time.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { SpecContext, type Json } from './spec';
import { cleanSchema, newAjv } from './validators';

/** The repository's spec, parsed. */
export function loadSpec(): Json {
  return parse(readFileSync(resolve(__dirname, '../../../specs/ci-media.openapi.yaml'), 'utf8')) as Json;
}

/** A validator of each component (decoded form), by component name. Default: the repository's spec. */
export function responseValidators(spec: Json = loadSpec()): (component: string) => ValidateFunction {
  const ctx = new SpecContext(spec);
  const defs: Json = {};
  for (const [name, schema] of Object.entries(ctx.schemas)) defs[name] = ctx.flatten(schema);
  const ajv = newAjv(false);
  ajv.addSchema({ $id: 'ci', $defs: cleanSchema(defs, true, true) as Json });
  return (component) => {
    const validate = ajv.getSchema(`ci#/$defs/${component}`);
    if (!validate) throw new Error(`No component ${component}`);
    return validate;
  };
}

/** The component name of an operation's 200 response document (`DescribeMediaJobsResponse`), if it has one. */
export function responseComponent(spec: Json, operationId: string): string | undefined {
  const ctx = new SpecContext(spec);
  return ctx.operations().find((o) => o.id === operationId)?.responseSchemaName;
}
