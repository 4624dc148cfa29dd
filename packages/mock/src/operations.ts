/**
 * The fake's surface, read from the generated operation table (`operationTable` of @cloud-infinite/client) and
 * from nothing else: which operations exist (method + path template), which query parameters and flags each
 * takes, how each parameter is read from the wire (by its `kind`), the request body (decoded by the runtime's
 * decoder with the operation's `body` shape) and its validation (the generated `validateInput`, on the path,
 * query and body members together, as the client validates what it sends). No operation is named here: an
 * operation added to the spec is routed, read and validated as soon as the client is regenerated.
 */
import { operationTable, type OperationTypes } from '@cloud-infinite/client';
import {
  CI_TIME_PATTERN,
  CiDecodeError,
  decodeXml,
  formatCiTime,
  parseCiTime,
  toIssues,
  type OperationSpec,
  type ParamSpec,
} from '@cloud-infinite/runtime';
import { invalidArgument, invalidContent, missingContent } from './errors';
import type { OperationId } from './faults';
import type { ParsedRequest } from './request';

export type { OperationId };

/** What an operation takes, as the fake reads it from a request: parameters under their wire names, then the body's members. */
export type OperationInput<K extends OperationId> = OperationTypes[K]['input'];

/** Every operation of the spec, in the table's order (by operationId). */
export const OPERATIONS: readonly OperationSpec[] = Object.values(operationTable as Record<string, OperationSpec>);

/** Largest request body decoded, in characters. */
const MAX_BODY_CHARS = 1024 * 1024;

/** A decimal integer of at most 15 digits (a safe integer). */
const INTEGER = /^-?\d{1,15}$/;
/** A decimal number (no hex, no `Infinity`, no blank). */
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** A value quoted for a message, cut to `max` characters. */
const quote = (text: string, max = 80): string => JSON.stringify(text.slice(0, max));

/**
 * Parses a CI time strictly: the pattern, and a date that exists (`2024-02-30…`, hour 24 and offset minutes 60 are
 * refused). Returns milliseconds since the epoch, or undefined.
 */
export function parseStrictCiTime(value: string): number | undefined {
  if (!CI_TIME_PATTERN.test(value)) return undefined;
  const hours = Number(value.slice(20, 22));
  const minutes = Number(value.slice(22, 24));
  const offset = (value.charAt(19) === '-' ? -1 : 1) * (hours * 60 + minutes);
  const date = parseCiTime(value);
  // the date must exist: formatting it back in its own offset gives the same wall-clock time
  if (!date || hours >= 24 || minutes >= 60 || formatCiTime(date, offset).slice(0, 19) !== value.slice(0, 19)) return undefined;
  return date.getTime();
}

/**
 * One parameter's value as the operation's input holds it, read from its wire text by its kind: `integer` and
 * `number` a number, `boolean` true|false, `csv` the comma list split (no empty item), `time` a CI time that
 * exists, `string` as received. Throws 400 `InvalidArgument` naming the parameter.
 */
export function readParam(param: ParamSpec, text: string): unknown {
  const fail = (rule: string) => invalidArgument(`The parameter ${param.name} must be ${rule}, got ${quote(text)}.`);
  switch (param.kind) {
    case 'integer':
      if (!INTEGER.test(text)) throw fail('an integer');
      return Number(text);
    case 'number':
      if (!NUMBER.test(text) || !Number.isFinite(Number(text))) throw fail('a decimal number');
      return Number(text);
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw fail('true or false');
      return text === 'true';
    case 'csv': {
      const items = text.split(',');
      if (items.some((item) => item === '')) throw fail('a comma list of non-empty items');
      return items;
    }
    case 'time':
      if (parseStrictCiTime(text) === undefined) throw fail('a time as YYYY-MM-DDTHH:MM:SS+HHMM (e.g. 2024-05-01T08:00:00+0800)');
      return text;
    default:
      return text;
  }
}

/**
 * Refuses a query parameter the operation does not have (stricter than CI, to catch misspelt names), and a
 * missing query flag (`PUT /jobs/<jobId>` without `?cancel`). Throws 400 `InvalidArgument`.
 */
function checkQueryNames(op: OperationSpec, request: ParsedRequest): void {
  const allowed = [...op.params.filter((p) => p.in === 'query').map((p) => p.name), ...(op.flags ?? [])];
  for (const name of Object.keys(request.query)) {
    if (!allowed.includes(name)) {
      const expected = allowed.length ? `expected one of ${allowed.join(', ')}` : 'it takes none';
      throw invalidArgument(`The parameter ${name} is not a parameter of ${op.id}; ${expected}.`);
    }
  }
  for (const flag of op.flags ?? []) {
    if (request.query[flag] === undefined) throw invalidArgument(`${op.method} ${op.path} needs the ?${flag} flag (${op.id}).`);
  }
}

/**
 * The request body decoded with the operation's body shape. Throws 400 `MissingContent` (no body) or
 * `InvalidContent` (not a well-formed document with the expected root).
 */
function readBody(op: OperationSpec, request: ParsedRequest): Record<string, unknown> {
  const doc = op.body!;
  if (request.body.trim() === '') throw missingContent(`The request has no body; expected a <${doc.root}> XML document.`);
  try {
    return decodeXml(request.body, doc, { maxChars: MAX_BODY_CHARS });
  } catch (err) {
    if (err instanceof CiDecodeError) throw invalidContent(`The request body is not a valid <${doc.root}> document: ${err.message}`);
    throw err;
  }
}

/** One validation issue as a sentence: a parameter by name, a body member by its path. */
function describeIssue(op: OperationSpec, input: Record<string, unknown>, path: string, message: string): string {
  const required = /^must have required property '(.+)'$/.exec(message);
  const segments = path.split('/').slice(1);
  const top = required && segments.length === 0 ? required[1]! : segments[0];
  const param = op.params.find((p) => p.name === top);
  if (param) {
    if (required && segments.length === 0) return `the parameter ${param.name} is required`;
    const item = segments.length > 1 ? ` item ${Number(segments[1]) + 1}` : '';
    const value = input[param.name];
    const got = Array.isArray(value) ? value[Number(segments[1])] : value;
    return `the parameter ${param.name}${item} ${message}, got ${JSON.stringify(got)}`;
  }
  if (required) return `${path}/${required[1]} is required`;
  return `${path || '/'} ${message}`;
}

/**
 * What a request gives an operation: its path parameters (decoded by the router), its query parameters and its
 * body's members, read by the table and validated by the generated `validateInput`. Throws a 400
 * (`InvalidArgument`, `MissingContent`, `InvalidContent`) naming what is wrong.
 */
export function readInput(
  op: OperationSpec,
  request: ParsedRequest,
  pathParams: Readonly<Record<string, string>>,
): Record<string, unknown> {
  checkQueryNames(op, request);
  const input: Record<string, unknown> = {};
  for (const param of op.params) {
    const text = param.in === 'path' ? pathParams[param.name] : request.query[param.name];
    if (text !== undefined) input[param.name] = readParam(param, text);
  }
  if (op.body) {
    for (const [key, value] of Object.entries(readBody(op, request))) {
      if (key in input) throw invalidArgument(`The body member ${key} clashes with a parameter of ${op.id}.`);
      input[key] = value;
    }
  }
  const validate = op.validateInput;
  if (validate && !validate(input)) {
    const issues = toIssues(validate).map((i) => describeIssue(op, input, i.path, i.message));
    const text = issues.join('; ');
    throw invalidArgument(`The request is invalid: ${text.charAt(0).toUpperCase()}${text.slice(1)}.`);
  }
  return input;
}
