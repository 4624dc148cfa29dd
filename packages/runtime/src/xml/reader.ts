/**
 * The single-pass reader: tokenises the XML subset CI sends — elements without attributes, text, the five
 * predefined entities and numeric character references, an XML declaration at the start, whitespace — and feeds
 * a {@link Shaper} as it goes, so the decoded value is built while reading: no intermediate tree, no second walk.
 *
 * Anything outside the subset (a comment, CDATA, a processing instruction, an attribute, a namespace prefix, a
 * non-ASCII element name) makes it return `false`, and the caller decodes the document with the fast-xml-parser
 * fallback instead, which gives the same results (the shaper is shared). What is certainly not well-formed XML
 * (a mismatched or missing end tag, text outside the root, a second root, a bad reference) is a
 * {@link CiDecodeError} at once.
 */
import { CiDecodeError } from '../errors';
import { isXmlDeclaration, textOf } from './entities';
import type { Shaper } from './shaper';

const GT = 62;
const SLASH = 47;
const BANG = 33;
const QUESTION = 63;
const COLON = 58;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

function allWs(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isWs(text.charCodeAt(i))) return false;
  return true;
}

/** `line L, column C` of an offset (computed only for a message). */
function where(text: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `line ${line}, column ${col}`;
}

/** The error of a document that is not well-formed, at `offset`. */
export function notWellFormed(reason: string, text: string, offset: number): CiDecodeError {
  return new CiDecodeError(`Not well-formed XML: ${reason} (${where(text, offset)})`, { excerpt: text });
}

/** Whether `<!` at `at` opens a DOCTYPE or an entity declaration (any case). */
export function isDeclaration(text: string, at: number): boolean {
  const word = text.slice(at + 2, at + 9).toUpperCase();
  return word === 'DOCTYPE' || word.startsWith('ENTITY');
}

/** The error of a document with a DOCTYPE or an entity declaration: refused, never expanded. */
export function refusedDeclaration(text: string): CiDecodeError {
  return new CiDecodeError('XML with a DOCTYPE or entity declaration is refused', { excerpt: text });
}

/** The error of a document nested deeper than `maxDepth` elements. */
export function tooDeep(maxDepth: number): CiDecodeError {
  return new CiDecodeError(`XML nested deeper than ${maxDepth} elements`);
}

/**
 * Reads `text` from `start` (after any BOM) into `shaper`. Returns false when the document leaves the subset
 * (nothing is returned then; decode it with the fallback). Throws {@link CiDecodeError}.
 */
export function readSubset(text: string, start: number, shaper: Shaper, maxDepth: number): boolean {
  const n = text.length;
  let i = start;
  if (text.startsWith('<?xml', i) && (isWs(text.charCodeAt(i + 5)) || text.charCodeAt(i + 5) === QUESTION)) {
    const end = text.indexOf('?>', i + 5);
    if (end === -1) throw notWellFormed('the XML declaration is not closed', text, i);
    if (!isXmlDeclaration(text.slice(i, end + 2))) throw notWellFormed('a malformed XML declaration', text, i);
    i = end + 2;
  }
  let depth = 0;
  let rootSeen = false;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const end = lt === -1 ? n : lt;
    if (end > i) {
      if (depth === 0) {
        if (!allWs(text, i, end)) throw notWellFormed('text outside the root element', text, i);
      } else if (shaper.wantsText) {
        shaper.text(textOf(text.slice(i, end)));
      } else if (!allWs(text, i, end)) {
        // between child elements only whitespace may stand, which a reference can spell (`&#13;`): decode, then judge
        shaper.text(textOf(text.slice(i, end)));
      }
    }
    if (lt === -1) break;
    const c = text.charCodeAt(lt + 1);
    if (c === SLASH) {
      // the end tag must name the element open now: compared in place, no name string is made
      const open = shaper.current;
      let j = lt + 2;
      if (open !== undefined && text.startsWith(open, j) && !isNameChar(text.charCodeAt(j + open.length))) j += open.length;
      else {
        while (j < n && isNameChar(text.charCodeAt(j))) j++;
        const d = text.charCodeAt(j);
        if (d === COLON || d >= 128) return false;
        const name = text.slice(lt + 2, j);
        if (j >= n) throw notWellFormed('the document ends inside an end tag', text, lt);
        throw notWellFormed(open === undefined ? `</${name}> closes no element` : `</${name}> does not close <${open}>`, text, lt);
      }
      while (j < n && isWs(text.charCodeAt(j))) j++;
      if (j >= n) throw notWellFormed('the document ends inside an end tag', text, lt);
      if (text.charCodeAt(j) !== GT) throw notWellFormed(`a malformed end tag </${open}`, text, lt);
      shaper.close();
      depth--;
      i = j + 1;
      continue;
    }
    if (c === BANG) {
      if (isDeclaration(text, lt)) throw refusedDeclaration(text);
      return false;
    }
    if (c === QUESTION) return false;
    if (lt + 1 >= n) throw notWellFormed('the document ends inside a tag', text, lt);
    if (!isNameStart(c)) {
      if (c === COLON || c >= 128) return false;
      throw notWellFormed('expected an element name after <', text, lt);
    }
    let j = lt + 2;
    while (j < n && isNameChar(text.charCodeAt(j))) j++;
    const nameEnd = j;
    while (j < n && isWs(text.charCodeAt(j))) j++;
    if (j >= n) throw notWellFormed('the document ends inside a start tag', text, lt);
    const d = text.charCodeAt(j);
    let selfClosing = false;
    if (d === GT) j++;
    else if (d === SLASH && text.charCodeAt(j + 1) === GT) {
      selfClosing = true;
      j += 2;
    } else {
      // an attribute, a namespace prefix, a non-ASCII name: outside the subset
      return false;
    }
    if (depth === 0 && rootSeen) throw notWellFormed('a second root element', text, lt);
    if (depth + 1 > maxDepth) throw tooDeep(maxDepth);
    shaper.open(text.slice(lt + 1, nameEnd));
    rootSeen = true;
    if (selfClosing) shaper.close();
    else depth++;
    i = j;
  }
  if (depth > 0) throw notWellFormed(`the document ends before </${shaper.current!}>`, text, n);
  if (!rootSeen) throw notWellFormed('no root element', text, start);
  return true;
}
