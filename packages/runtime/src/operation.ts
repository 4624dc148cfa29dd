/**
 * The operation table entry a generated client hands to {@link invoke}: everything the runtime needs to
 * build, sign, send and decode one operation, with no operation-specific code.
 */
import type { DocumentShape } from './xml/shape';

/** How a parameter value is written on the wire. */
export type ParamKind =
  /** as given */
  | 'string'
  /** a safe integer, in decimal */
  | 'integer'
  | 'number'
  | 'boolean'
  /** an array sent comma-joined (`style: form, explode: false`) */
  | 'csv'
  /** a Date or a `YYYY-MM-DDTHH:MM:SS+HHMM` string (`x-ci-time`) */
  | 'time';

/** A path or query parameter, under its wire name. */
export interface ParamSpec {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required: boolean;
  readonly kind: ParamKind;
}

/** A validator as ajv compiles it: returns true when valid, else sets `errors`. */
export interface ValidateFunction {
  (data: unknown): boolean;
  errors?: ReadonlyArray<{ instancePath: string; message?: string; params?: unknown; keyword?: string }> | null;
}

/**
 * An operation whose input and output types are known: what the generated operation constants are
 * (`describeMediaJobs`), so that `client.send(describeMediaJobs, input)` infers both.
 */
export interface Operation<I = unknown, O = unknown> extends OperationSpec {
  /** Never set: carries the input type (contravariant) and the output type. */
  readonly __types?: (input: I) => O;
}

/** One operation of the spec. */
export interface OperationSpec {
  /** The spec's operationId, e.g. `DescribeMediaJobs`. */
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template, e.g. `/jobs/{jobIds}`. */
  readonly path: string;
  readonly params: readonly ParamSpec[];
  /** Valueless query flags always sent, e.g. `cancel` for `PUT /jobs/{jobId}?cancel`. */
  readonly flags?: readonly string[];
  /** The request body document; its members are the input's other (PascalCase) members. */
  readonly body?: DocumentShape;
  /** The response document; absent when the response has no body. */
  readonly response?: DocumentShape;
  /** Safe to retry once the request may have reached the server (GET, DELETE, PUT). Never true for a create. */
  readonly idempotent: boolean;
  /** Validates the input (parameters and body members, times already formatted). */
  readonly validateInput?: ValidateFunction;
}
