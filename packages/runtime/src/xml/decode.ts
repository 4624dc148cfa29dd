/**
 * Spec-driven XML decoding. A document is read once, by the single-pass reader (`./reader`) for the subset CI
 * sends, or by the fast-xml-parser fallback (`./fallback`) for anything else, and shaped while it is read by the
 * generated {@link DocumentShape} (`./shaper`: arrays, scalars, empty containers, unknown elements, issues).
 *
 * Both paths refuse the same things with a {@link CiDecodeError}: an empty body, a body larger than `maxChars`,
 * a DOCTYPE or entity declaration (outside comments and CDATA, where it is text), nesting deeper than `maxDepth`, anything not well-formed (a truncated document
 * is never a partial object), a second root, an undefined entity, a character XML forbids, or a value the shape
 * cannot convert (the error's `path` names the element).
 */
import { CiDecodeError } from '../errors';
import { fallbackReader, loadFallbackReader } from '#xml-fallback';
import { readSubset } from './reader';
import { DEFAULT_MAX_ISSUES, Shaper, type DecodedDocument } from './shaper';
import type { DocumentShape } from './shape';

/** Options of {@link decodeXml} and {@link decodeDocument}. */
export interface DecodeOptions {
  /** Largest body accepted, in characters (UTF-16 code units). Default {@link DEFAULT_MAX_DOCUMENT_CHARS}. */
  readonly maxChars?: number;
  /** Deepest element nesting accepted. Default {@link DEFAULT_MAX_DEPTH}. */
  readonly maxDepth?: number;
  /** Issues kept (all are counted). Default {@link DEFAULT_MAX_ISSUES}. */
  readonly maxIssues?: number;
  /**
   * `'auto'` (default): the single-pass reader, or the fast-xml-parser fallback for a document outside its subset.
   * `'fallback'`: the fallback only (the oracle the differential tests compare the reader with).
   */
  readonly reader?: 'auto' | 'fallback';
}

/** Default maximum body size decoded: 8 MiB of characters. */
export const DEFAULT_MAX_DOCUMENT_CHARS = 8 * 1024 * 1024;
/** Default maximum element depth: no CI document is deeper than ~10. */
export const DEFAULT_MAX_DEPTH = 64;

/**
 * Decodes an XML document into the value `doc` describes (the root element's children, without the root), with
 * the issues found (unknown elements, missing required members, numbers out of range; see {@link DecodeIssue}).
 * Throws {@link CiDecodeError} (see the module's description).
 */
export function decodeDocument(body: string, doc: DocumentShape, options: DecodeOptions = {}): DecodedDocument {
  return read(body, options, () => new Shaper(doc, options.maxIssues ?? DEFAULT_MAX_ISSUES)).result();
}

/** {@link decodeDocument}'s value alone. Throws {@link CiDecodeError}. */
export function decodeXml(body: string, doc: DocumentShape, options: DecodeOptions = {}): Record<string, unknown> {
  return decodeDocument(body, doc, options).value;
}

/** The root element of a document read without a shape: its name and its children (each an array). */
export interface ParsedRoot {
  readonly name: string;
  /** Every child element under its name as an array of occurrences: text, or an object of its own children. */
  readonly value: Record<string, unknown>;
}

/** Reads and checks a document without a shape (e.g. an error body of any root). Throws {@link CiDecodeError}. */
export function parseDocument(body: string, options: DecodeOptions = {}): ParsedRoot {
  const shaper = read(body, options, () => new Shaper(undefined));
  return { name: shaper.rootName!, value: shaper.result().value };
}

/**
 * The size, BOM, empty-body and DOCTYPE checks, then the reader (or the fallback, with a fresh shaper: the reader
 * may have fed part of the document before it met something outside its subset). Returns the shaper that read it.
 */
function read(body: string, options: DecodeOptions, newShaper: () => Shaper): Shaper {
  const maxChars = options.maxChars ?? DEFAULT_MAX_DOCUMENT_CHARS;
  if (typeof body !== 'string') throw new CiDecodeError('Expected an XML document as text');
  if (body.length > maxChars) {
    throw new CiDecodeError(`The document is larger than ${maxChars} characters`, { excerpt: body.slice(0, 200) });
  }
  const start = body.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (isBlank(body, start)) throw new CiDecodeError('Expected an XML document, got an empty body');
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (options.reader !== 'fallback') {
    const shaper = newShaper();
    if (readSubset(body, start, shaper, maxDepth)) return shaper;
  }
  const readFallback = fallbackReader();
  if (!readFallback) throw new FallbackNotLoaded();
  const shaper = newShaper();
  readFallback(body, start, shaper, maxDepth);
  return shaper;
}

/**
 * Thrown by the synchronous decoders where the fallback reader is loaded lazily (not on Node) and a document needs
 * it before {@link loadXmlFallback} has run; the asynchronous decoders load it and go on.
 */
export class FallbackNotLoaded extends CiDecodeError {
  constructor() {
    super(
      'This document is outside the XML subset the single-pass reader handles (a comment, CDATA, an attribute, a namespace); ' +
        'the fallback reader is not loaded here: `await loadXmlFallback()` first, or use decodeDocumentAsync',
    );
  }
}

/**
 * Loads the fast-xml-parser fallback reader. On Node it is always loaded; in a browser or a worker it is loaded on
 * first need by the client (and by {@link decodeDocumentAsync}); call this before the synchronous decoders there.
 */
export async function loadXmlFallback(): Promise<void> {
  await loadFallbackReader();
}

/** {@link decodeDocument}, loading the fallback reader first when the document needs it and it is not loaded. */
export async function decodeDocumentAsync(body: string, doc: DocumentShape, options: DecodeOptions = {}): Promise<DecodedDocument> {
  try {
    return decodeDocument(body, doc, options);
  } catch (err) {
    if (!(err instanceof FallbackNotLoaded)) throw err;
    await loadFallbackReader();
    return decodeDocument(body, doc, options);
  }
}

function isBlank(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return true;
}

export type { DecodeIssue, DecodeIssueKind, DecodedDocument } from './shaper';
export { DEFAULT_MAX_ISSUES } from './shaper';
