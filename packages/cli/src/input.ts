/**
 * Request bodies from `--input file.json|-` and from flags: reading and checking the JSON document,
 * merging flag values into it, and copying what the service returned back into a body (read-modify-write
 * updates). Everything is driven by the spec's generated shapes: the members a body has are the members
 * the client encodes.
 */
import { readFile, stat } from 'node:fs/promises';
import { operationTable, type OperationTypes } from '@cloud-infinite/client';
import type { ObjectShape } from '@cloud-infinite/runtime';
import { UsageError, type CliIo } from './common';

/** A JSON object: a request body, or one of its members. */
export type JsonObject = Record<string, unknown>;

/** The operations that take an XML body. */
export type BodyOperation = 'CreateMediaJobs' | 'UpdateMediaQueue' | 'CreateMediaTemplate' | 'UpdateMediaTemplate';

/** Largest `--input` accepted (a body is a few hundred bytes; this catches the wrong file). */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** The top-level members of an operation's body, in the spec's order (e.g. `Tag`, `Input`, `Operation`, …). */
export function bodyMembers(operationId: BodyOperation): readonly string[] {
  const body = operationTable[operationId].body;
  return body ? body.shape.members.map((m) => m.key) : [];
}

/** A plain (non-array, non-null) object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string'
    ? 'a string'
    : typeof value === 'number'
      ? 'a number'
      : typeof value === 'boolean'
        ? 'a boolean'
        : typeof value;
}

/** Reads a file, or standard input for `-`, bounded by {@link MAX_INPUT_BYTES}. @throws UsageError */
export async function readSource(io: CliIo, source: string, label: string): Promise<string> {
  if (source === '-') {
    if (!io.stdin) throw new UsageError(`${label}: standard input is not available here`);
    const text = await io.stdin();
    if (Buffer.byteLength(text, 'utf8') > MAX_INPUT_BYTES) throw new UsageError(`${label}: larger than ${MAX_INPUT_BYTES} bytes`);
    return text;
  }
  try {
    const info = await stat(source);
    if (info.isDirectory()) throw new UsageError(`${label}: is a directory`);
    if (info.size > MAX_INPUT_BYTES) throw new UsageError(`${label}: larger than ${MAX_INPUT_BYTES} bytes`);
    return await readFile(source, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${label}: no such file`);
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`${label}: permission denied`);
    throw new UsageError(`${label}: cannot be read (${code ?? (err instanceof Error ? err.message : String(err))})`);
  }
}

/**
 * Reads `--input <source>` (a file name, or `-` for standard input) as the body of `operationId`: a JSON
 * object whose members are the body's members under their XML element names (`Tag`, `Input`, …),
 * exactly the body part of the client method's input. Only the top level is checked here (unknown
 * members, path or query parameters put in the body); the client validates the rest against the spec
 * before sending (a `CiValidationError`, one line per issue).
 * @throws UsageError when the source cannot be read, is not JSON, is not an object, or has a member the
 *   body does not have.
 */
export async function readBodyInput(io: CliIo, source: string, operationId: BodyOperation): Promise<JsonObject> {
  const label = source === '-' ? '--input - (standard input)' : `--input ${source}`;
  const text = (await readSource(io, source, label)).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new UsageError(`${label}: empty; expected a JSON object with the members of the ${operationId} body`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${label}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const members = bodyMembers(operationId);
  if (!isJsonObject(value)) {
    throw new UsageError(
      `${label}: expected a JSON object with the members of the ${operationId} body (${members.join(', ')}), got ${describe(value)}`,
    );
  }
  const unknown = Object.keys(value).filter((key) => !members.includes(key));
  if (unknown.length > 0) {
    const params = operationTable[operationId].params.map((p) => p.name);
    const hints = unknown.map((key) => {
      if (params.includes(key)) return `${JSON.stringify(key)} (a URL parameter: give it on the command line)`;
      const sameLetters = members.find((m) => m.toLowerCase() === key.toLowerCase());
      return sameLetters ? `${JSON.stringify(key)} (did you mean "${sameLetters}"?)` : JSON.stringify(key);
    });
    throw new UsageError(
      `${label}: unknown member${unknown.length > 1 ? 's' : ''} ${hints.join(', ')}; the ${operationId} body has ${members.join(', ')}`,
    );
  }
  return value;
}

/** A copy of `obj[key]` when it is an object, else a new empty object. */
export function childOf(obj: JsonObject, key: string): JsonObject {
  const value = obj[key];
  return isJsonObject(value) ? { ...value } : {};
}

/**
 * `obj` with the value at `path` set to `value` (`undefined` leaves `obj` unchanged). Objects along the
 * path are copied, never mutated; a non-object in the way is replaced.
 */
export function setIn(obj: JsonObject, path: readonly string[], value: unknown): JsonObject {
  if (value === undefined) return obj;
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  return { ...obj, [head]: rest.length === 0 ? value : setIn(childOf(obj, head), rest, value) };
}

/** `obj` without `key` at `path` (copied along the path). */
export function deleteIn(obj: JsonObject, path: readonly string[]): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined || !(head in obj)) return obj;
  if (rest.length === 0) {
    const { [head]: _removed, ...kept } = obj;
    return kept;
  }
  const child = obj[head];
  return isJsonObject(child) ? { ...obj, [head]: deleteIn(child, rest) } : obj;
}

/** The value at `path`, or undefined. */
export function getIn(obj: JsonObject, path: readonly string[]): unknown {
  let current: unknown = obj;
  for (const key of path) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * What of a decoded service value can be sent back in a body of `shape`: the members the shape knows
 * (anything the service added that the spec does not know is dropped), without empty strings and empty
 * objects (an empty element means "not set"). Arrays are kept as they are. Returns undefined when nothing
 * is left.
 */
export function pickKnown(value: unknown, shape: ObjectShape): JsonObject | undefined {
  if (!isJsonObject(value)) return undefined;
  const out: JsonObject = {};
  for (const m of shape.members) {
    const v = value[m.key];
    if (v === undefined || v === null || v === '') continue;
    if (typeof m.shape === 'object' && !m.array) {
      const nested = pickKnown(v, m.shape);
      if (nested !== undefined) out[m.key] = nested;
    } else {
      out[m.key] = v;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Casts a checked body to the input type of its operation (the client validates it against the spec). */
export function asInput<K extends BodyOperation>(_operationId: K, body: JsonObject): OperationTypes[K]['input'] {
  return body as unknown as OperationTypes[K]['input'];
}
