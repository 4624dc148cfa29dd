/**
 * The fallback reader, for documents outside the subset the single-pass reader handles (comments, CDATA,
 * processing instructions, attributes, namespace prefixes, non-ASCII names): fast-xml-parser checks and parses
 * the document keeping document order (`preserveOrder`), every value as text and no entity decoded; a walk then
 * feeds the same {@link Shaper} the single-pass reader feeds, with the same text rules (`textOf`), so both give
 * the same results. It is also the oracle the single-pass reader is tested against.
 *
 * Before fast-xml-parser sees the text, a linear pre-scan applies the rules both readers share and
 * fast-xml-parser does not: nesting depth (comments and CDATA cannot hide elements from it), references
 * (no undefined or HTML entity, no reference to a character XML forbids; attribute values included), and an
 * XML declaration only at the very start.
 */
import type { X2jOptions, XMLParser as XMLParserType, ValidationError } from 'fast-xml-parser';
import { checkReferences, isXmlDeclaration, isXmlWhitespace, normaliseLineEnds, textOf } from './entities';
import { isDeclaration, notWellFormed, refusedDeclaration, tooDeep } from './reader';
import type { Shaper } from './shaper';

// fast-xml-parser's parser and validator modules alone: its package entry point also loads its XML builder,
// which the runtime never uses. tsup inlines these files into dist.
/* eslint-disable @typescript-eslint/no-require-imports */
const XMLParser = require('fast-xml-parser/src/xmlparser/XMLParser') as new (options: X2jOptions) => XMLParserType;
const XMLValidator = require('fast-xml-parser/src/validator') as { validate(xml: string): true | ValidationError };
/* eslint-enable @typescript-eslint/no-require-imports */

const TEXT = '#text';
const CDATA = '#cdata';

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  preserveOrder: true,
  cdataPropName: CDATA,
});

type Node = Record<string, unknown>;

/** Reads `text` from `start` (after any BOM) into `shaper` through fast-xml-parser. Throws {@link CiDecodeError}. */
export function readFallback(text: string, start: number, shaper: Shaper, maxDepth: number): void {
  prescan(text, start, maxDepth);
  const body = start ? text.slice(start) : text;
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw notWellFormed(`${msg} (parser)`, body, offsetOf(body, line, col));
  }
  let nodes: Node[];
  try {
    nodes = parser.parse(body) as Node[];
  } catch (cause) {
    throw notWellFormed(cause instanceof Error ? cause.message : 'unreadable', body, 0);
  }
  let roots = 0;
  for (const node of nodes) {
    const name = elementName(node);
    if (name === TEXT) {
      if (!isXmlWhitespace(String(node[TEXT]))) throw notWellFormed('text outside the root element', body, 0);
      continue;
    }
    if (name === undefined || name === CDATA) throw notWellFormed('content outside the root element', body, 0);
    if (roots++) throw notWellFormed('a second root element', body, 0);
    walk(name, node[name] as Node[], shaper);
  }
  if (!roots) throw notWellFormed('no root element', body, 0);
}

function elementName(node: Node): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@') return key;
  return undefined;
}

function walk(name: string, children: Node[], shaper: Shaper): void {
  // fast-xml-parser renames a `__proto__` element; no XML name starts with `#`, so this restores it exactly
  shaper.open(name === '#__proto__' ? '__proto__' : name);
  for (const child of children) {
    const childName = elementName(child);
    if (childName === TEXT) shaper.text(textOf(String(child[TEXT])));
    else if (childName === CDATA) {
      for (const part of child[CDATA] as Node[]) shaper.text(normaliseLineEnds(String(part[TEXT] ?? '')));
    } else if (childName !== undefined) walk(childName, child[childName] as Node[], shaper);
  }
  shaper.close();
}

/** Offset of a 1-based line and column (for the error position). */
function offsetOf(text: string, line: number, col: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl === -1) return text.length;
    offset = nl + 1;
  }
  return Math.min(text.length, offset + col - 1);
}

const QUESTION = 63;
const BANG = 33;
const SLASH = 47;
const GT = 62;

/**
 * Depth, references, text outside the root (fast-xml-parser drops it) and the XML declaration's place, in one
 * linear scan. Throws {@link CiDecodeError}.
 */
function prescan(text: string, start: number, maxDepth: number): void {
  const n = text.length;
  let depth = 0;
  let i = start;
  for (;;) {
    const lt = text.indexOf('<', i);
    const end = lt === -1 ? n : lt;
    if (depth === 0 && !isXmlWhitespace(text.slice(i, end))) throw notWellFormed('text outside the root element', text, i);
    checkReferences(text, i, end);
    if (lt === -1) return;
    const c = text.charCodeAt(lt + 1);
    if (text.startsWith('<!--', lt)) {
      i = endOf(text, '-->', lt + 4, 'a comment');
    } else if (text.startsWith('<![CDATA[', lt)) {
      i = endOf(text, ']]>', lt + 9, 'a CDATA section');
    } else if (c === QUESTION) {
      i = endOf(text, '?>', lt + 2, 'a processing instruction');
      const target = /^[^\s?]*/.exec(text.slice(lt + 2, Math.min(i, lt + 42)))![0];
      if (target.toLowerCase() === 'xml') {
        if (lt !== start) throw notWellFormed('an XML declaration that is not at the start of the document', text, lt);
        if (!isXmlDeclaration(text.slice(lt, i))) throw notWellFormed('a malformed XML declaration', text, lt);
      }
    } else if (c === BANG || c === SLASH) {
      if (c === SLASH) depth--;
      else if (isDeclaration(text, lt)) throw refusedDeclaration(text);
      i = endOf(text, '>', lt + 2, 'a tag');
    } else {
      // a start tag: its end is the first `>` outside a quoted attribute value
      let j = lt + 1;
      let quote = 0;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (quote) {
          if (d === quote) quote = 0;
        } else if (d === 34 || d === 39) quote = d;
        else if (d === GT) break;
      }
      if (j >= n) throw notWellFormed('the document ends inside a start tag', text, lt);
      checkReferences(text, lt, j);
      if (depth + 1 > maxDepth) throw tooDeep(maxDepth);
      if (text.charCodeAt(j - 1) !== SLASH) depth++;
      i = j + 1;
    }
  }
}

function endOf(text: string, terminator: string, from: number, what: string): number {
  const end = text.indexOf(terminator, from);
  if (end === -1) throw notWellFormed(`the document ends inside ${what}`, text, from);
  return end + terminator.length;
}
