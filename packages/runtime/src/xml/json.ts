/**
 * The JSON form of a document, as CI sends a notification when its format is JSON: the XML document without its
 * root, converted the generic way (element names as keys, a repeated element an array, a single one a value, text
 * as strings, empty elements left out). {@link decodeJsonDocument} turns it into the same events an XML reader
 * would send and feeds the same {@link Shaper}, so the result is what the XML form decodes to: arrays from the
 * shape (a lone object is a one-item array), scalars from the shape (a JSON number in a `string` member is its
 * text; `"10"` in an `integer` member is 10), `{}` and `null` containers absent, unknown keys kept as arrays.
 */
import { CiDecodeError } from '../errors';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_DOCUMENT_CHARS, type DecodeOptions } from './decode';
import { tooDeep } from './reader';
import { DEFAULT_MAX_ISSUES, Shaper, type DecodedDocument } from './shaper';
import type { DocumentShape } from './shape';

/**
 * Decodes the JSON form of `doc`: an object of the root element's children (`{"EventName": …, "JobsDetail": …}`),
 * or that object under the root's name (`{"Response": {…}}`). Throws {@link CiDecodeError} on text that is not
 * JSON, a JSON value that is not an object, nesting deeper than `maxDepth`, a text larger than `maxChars`, or a
 * value the shape cannot convert (naming the path).
 */
export function decodeJsonDocument(text: string, doc: DocumentShape, options: DecodeOptions = {}): DecodedDocument {
  const maxChars = options.maxChars ?? DEFAULT_MAX_DOCUMENT_CHARS;
  if (typeof text !== 'string') throw new CiDecodeError('Expected a JSON document as text');
  if (text.length > maxChars)
    throw new CiDecodeError(`The document is larger than ${maxChars} characters`, { excerpt: text.slice(0, 200) });
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (cause) {
    // a SyntaxError, or a RangeError when nesting exhausts the stack
    throw new CiDecodeError(`Not JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { excerpt: text, cause });
  }
  if (!isObject(value)) throw new CiDecodeError(`Expected a JSON object (the <${doc.root}> document's members)`, { excerpt: text });
  const keys = Object.keys(value);
  const members =
    keys.length === 1 && keys[0] === doc.root && isObject(value[doc.root]) ? (value[doc.root] as Record<string, unknown>) : value;
  const shaper = new Shaper(doc, options.maxIssues ?? DEFAULT_MAX_ISSUES);
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  shaper.open(doc.root);
  feedMembers(members, shaper, 1, maxDepth);
  shaper.close();
  return shaper.result();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Each member as the element(s) it stands for: an array is one element per item. */
function feedMembers(members: Record<string, unknown>, shaper: Shaper, depth: number, maxDepth: number): void {
  for (const name of Object.keys(members)) {
    const value = members[name];
    if (Array.isArray(value)) {
      for (const item of value) {
        if (Array.isArray(item)) throw new CiDecodeError(`An array inside the array ${JSON.stringify(name)} has no XML form`);
        feedElement(name, item, shaper, depth, maxDepth);
      }
    } else feedElement(name, value, shaper, depth, maxDepth);
  }
}

function feedElement(name: string, value: unknown, shaper: Shaper, depth: number, maxDepth: number): void {
  if (depth + 1 > maxDepth) throw tooDeep(maxDepth);
  shaper.open(name);
  if (isObject(value)) feedMembers(value, shaper, depth + 1, maxDepth);
  else if (typeof value === 'string') shaper.text(value);
  else if (typeof value === 'number' || typeof value === 'boolean') shaper.text(String(value));
  // null: an empty element
  shaper.close();
}
