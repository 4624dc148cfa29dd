/**
 * Spec-driven XML decoding, in two stages (as smithy's XmlShapeDeserializer): fast-xml-parser reads the
 * document keeping every value as text, then one walk driven by the generated {@link DocumentShape} makes
 * arrays of the elements the spec says repeat (a lone element is a one-element array) and converts only
 * the leaves the spec types as integer/number/boolean.
 */
import type { X2jOptions, XMLParser as XMLParserType, ValidationError } from 'fast-xml-parser';
import { CiDecodeError } from '../errors';
import type { DocumentShape, ObjectShape, Shape } from './shape';

/** Options of {@link decodeXml}. */
export interface DecodeOptions {
  /** Largest body accepted, in characters (UTF-16 code units). Default {@link DEFAULT_MAX_DOCUMENT_CHARS}. */
  readonly maxChars?: number;
  /** Deepest element nesting accepted. Default {@link DEFAULT_MAX_DEPTH}. */
  readonly maxDepth?: number;
}

/** Default maximum body size decoded: 8 MiB of characters. */
export const DEFAULT_MAX_DOCUMENT_CHARS = 8 * 1024 * 1024;
/** Default maximum element depth: no CI document is deeper than ~10. */
export const DEFAULT_MAX_DEPTH = 64;

type Parsed = Record<string, unknown[] | string>;

// fast-xml-parser's parser and validator modules alone: its package entry point also loads its XML builder,
// which the runtime never uses (about a fifth of a browser bundle). tsup inlines these files into dist.
/* eslint-disable @typescript-eslint/no-require-imports */
const XMLParser = require('fast-xml-parser/src/xmlparser/XMLParser') as new (options: X2jOptions) => XMLParserType;
const XMLValidator = require('fast-xml-parser/src/validator') as { validate(xml: string): true | ValidationError };
/* eslint-enable @typescript-eslint/no-require-imports */

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  // numeric character references (&#x4E2D;, &#20013;) are decoded with htmlEntities; DOCTYPE is refused first
  htmlEntities: true,
  isArray: () => true,
});

const TEXT = '#text';

/**
 * Decodes an XML document into a plain object shaped by `doc` (the root element's children, without the
 * root). Throws {@link CiDecodeError} when the body is empty, too large or too deep, not well-formed, has a
 * DOCTYPE, has another root, or holds a value the shape refuses (`path` names the element).
 */
export function decodeXml(body: string, doc: DocumentShape, options: DecodeOptions = {}): Record<string, unknown> {
  const root = parseDocument(body, options);
  if (root.name !== doc.root) {
    throw new CiDecodeError(`Expected a <${doc.root}> document, got <${root.name}>`, { excerpt: body });
  }
  return decodeObject(root.value, doc.shape, doc.root);
}

/** The root element of a document: its name and its parsed (text-only) content. */
export interface ParsedRoot {
  readonly name: string;
  readonly value: unknown;
}

/**
 * Parses and checks a document without a shape: size, depth, DOCTYPE, well-formedness, a single root.
 * Throws {@link CiDecodeError}.
 */
export function parseDocument(body: string, options: DecodeOptions = {}): ParsedRoot {
  const maxChars = options.maxChars ?? DEFAULT_MAX_DOCUMENT_CHARS;
  if (body.length > maxChars) {
    throw new CiDecodeError(`The document is larger than ${maxChars} characters`, { excerpt: body.slice(0, 200) });
  }
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  if (text.trim() === '') throw new CiDecodeError('Expected an XML document, got an empty body');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new CiDecodeError('XML with a DOCTYPE or entity declaration is refused', { excerpt: text });
  }
  checkDepth(text, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new CiDecodeError(`Not well-formed XML: ${msg} (line ${line}, column ${col})`, { excerpt: text });
  }
  let parsed: Parsed;
  try {
    parsed = parser.parse(text) as Parsed;
  } catch (cause) {
    throw new CiDecodeError('Not well-formed XML', { excerpt: text, cause });
  }
  const names = Object.keys(parsed).filter((k) => k !== TEXT);
  const name = names[0];
  const values = name === undefined ? undefined : parsed[name];
  if (names.length !== 1 || !Array.isArray(values) || values.length !== 1) {
    throw new CiDecodeError('Expected exactly one root element', { excerpt: text });
  }
  return { name: name!, value: values[0] };
}

/** Rejects nesting deeper than maxDepth with a linear scan, before any recursive parser sees the text. */
function checkDepth(text: string, maxDepth: number): void {
  let depth = 0;
  let i = text.indexOf('<');
  while (i !== -1) {
    const next = text.charCodeAt(i + 1);
    if (next === 47 /* / */) depth--;
    else if (next !== 33 /* ! */ && next !== 63 /* ? */) {
      const close = text.indexOf('>', i);
      if (close === -1) break; // the validator reports it
      if (text.charCodeAt(close - 1) !== 47) {
        if (++depth > maxDepth) throw new CiDecodeError(`XML nested deeper than ${maxDepth} elements`);
      }
      i = text.indexOf('<', close);
      continue;
    }
    i = text.indexOf('<', i + 1);
  }
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function isWhitespace(s: string): boolean {
  return s.trim() === '';
}

function decodeObject(value: unknown, shape: ObjectShape, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof value === 'string') {
    if (!isWhitespace(value)) {
      throw new CiDecodeError('Expected child elements, found text', { path, excerpt: value });
    }
  } else {
    const parsed = value as Parsed;
    for (const name of Object.keys(parsed)) {
      if (name === TEXT) {
        const text = parsed[TEXT] as unknown as string;
        if (!isWhitespace(text)) throw new CiDecodeError('Unexpected text beside child elements', { path, excerpt: text });
        continue;
      }
      const items = parsed[name] as unknown[];
      const m = shape.elements[name];
      if (m === undefined) {
        // unknown element: kept as-is (forward compatible); validation reports it in warn/strict mode
        setOwn(out, name, items.length === 1 ? raw(items[0]) : items.map(raw));
        continue;
      }
      if (m.array) {
        const list = (out[m.key] as unknown[] | undefined) ?? [];
        for (let i = 0; i < items.length; i++) {
          const v = decodeValue(items[i], m.shape, `${path}.${name}[${list.length}]`);
          if (v !== undefined) list.push(v);
        }
        out[m.key] = list;
      } else {
        if (items.length > 1 || Object.prototype.hasOwnProperty.call(out, m.key)) {
          throw new CiDecodeError(`Element <${name}> appears more than once; the spec allows one`, { path: `${path}.${name}` });
        }
        const v = decodeValue(items[0], m.shape, `${path}.${name}`);
        if (v !== undefined) out[m.key] = v;
      }
    }
  }
  for (const m of shape.members) {
    if (m.array && m.required && out[m.key] === undefined) out[m.key] = [];
  }
  return out;
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function decodeValue(value: unknown, shape: Shape, path: string): unknown {
  if (typeof shape === 'object') return decodeObject(value, shape, path);
  if (typeof value !== 'string') {
    throw new CiDecodeError(`Expected text (${shape}), found child elements`, { path });
  }
  if (shape === 'string') return value;
  const t = value.trim();
  if (t === '') return undefined; // an empty <Count/> is absent, not 0
  if (shape === 'integer') {
    const n = Number(t);
    if (!INTEGER.test(t) || !Number.isSafeInteger(n)) throw new CiDecodeError('Expected an integer', { path, excerpt: value });
    return n;
  }
  if (shape === 'number') {
    if (!NUMBER.test(t)) throw new CiDecodeError('Expected a number', { path, excerpt: value });
    return Number(t);
  }
  if (t === 'true') return true;
  if (t === 'false') return false;
  throw new CiDecodeError('Expected true or false', { path, excerpt: value });
}

/** An element the shape does not know: text stays text, a lone child is unwrapped, repeats stay arrays. */
function raw(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  const parsed = value as Parsed;
  for (const name of Object.keys(parsed)) {
    if (name === TEXT) continue;
    const items = parsed[name] as unknown[];
    setOwn(out, name, items.length === 1 ? raw(items[0]) : items.map(raw));
  }
  return out;
}
