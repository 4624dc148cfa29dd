/**
 * Text of an XML document as a reader hands it to the shaper: line ends normalised (CR LF and a lone CR become
 * LF, as XML 1.0 §2.11 requires), then the five predefined entities and numeric character references decoded.
 * Anything else after `&` (an undefined entity such as `&lol;`, an HTML entity such as `&nbsp;`, a reference
 * to a character XML forbids such as `&#0;`, a bare `&`) is a {@link CiDecodeError}: nothing is left undecoded
 * or replaced silently.
 */
import { CiDecodeError } from '../errors';

/** Whether `s` holds only XML whitespace (space, tab, CR, LF). */
export function isXmlWhitespace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return true;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Normalises line ends of raw text (CDATA included): CR LF and a lone CR become LF. */
export function normaliseLineEnds(raw: string): string {
  return raw.indexOf('\r') === -1 ? raw : raw.replace(/\r\n?/g, '\n');
}

/** Raw character data (not CDATA) as the shaper receives it. Throws {@link CiDecodeError}. */
export function textOf(raw: string): string {
  return decodeEntities(normaliseLineEnds(raw));
}

/** Whether `cp` is a character XML 1.0 allows (production [2] Char). */
export function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * The code point an entity or character reference (the part between `&` and `;`) stands for, or undefined when
 * it is not one XML defines without a DTD.
 */
export function referenceValue(name: string): string | undefined {
  const predefined = PREDEFINED[name];
  if (predefined !== undefined && Object.prototype.hasOwnProperty.call(PREDEFINED, name)) return predefined;
  if (name.charCodeAt(0) !== 35 /* # */) return undefined;
  const hex = name.charCodeAt(1) === 120; /* x */
  const digits = name.slice(hex ? 2 : 1);
  if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return undefined;
  const cp = Number.parseInt(digits, hex ? 16 : 10);
  return isXmlChar(cp) ? String.fromCodePoint(cp) : undefined;
}

/** The longest reference name looked for after `&` (`#x10FFFF` is 8). */
const MAX_REFERENCE = 10;

/** Decodes entity and character references. Throws {@link CiDecodeError} on anything else after `&`. */
export function decodeEntities(text: string): string {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let out = '';
  let from = 0;
  while (amp !== -1) {
    const semi = text.indexOf(';', amp + 1);
    const name = semi === -1 || semi - amp - 1 > MAX_REFERENCE ? undefined : text.slice(amp + 1, semi);
    const value = name === undefined ? undefined : referenceValue(name);
    if (value === undefined) {
      const shown = text.slice(amp, Math.min(text.length, amp + MAX_REFERENCE + 2));
      throw new CiDecodeError(`Not well-formed XML: ${JSON.stringify(shown)} is not an XML entity or character reference`, {
        excerpt: text,
      });
    }
    out += text.slice(from, amp) + value;
    from = semi + 1;
    amp = text.indexOf('&', from);
  }
  return out + text.slice(from);
}

/**
 * Checks every `&` in `text[from, to)` starts a reference {@link decodeEntities} accepts, without decoding.
 * Throws {@link CiDecodeError}.
 */
export function checkReferences(text: string, from: number, to: number): void {
  let amp = text.indexOf('&', from);
  while (amp !== -1 && amp < to) {
    const semi = text.indexOf(';', amp + 1);
    if (semi === -1 || semi >= to || semi - amp - 1 > MAX_REFERENCE || referenceValue(text.slice(amp + 1, semi)) === undefined) {
      const shown = text.slice(amp, Math.min(to, amp + MAX_REFERENCE + 2));
      throw new CiDecodeError(`Not well-formed XML: ${JSON.stringify(shown)} is not an XML entity or character reference`, {
        excerpt: text,
      });
    }
    amp = text.indexOf('&', semi + 1);
  }
}

/** XML 1.0 production [23] XMLDecl: `<?xml version="1.x" encoding="…"? standalone="yes|no"? ?>`. */
const XML_DECLARATION =
  /^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*\?>$/;

/** Whether `decl` (from `<?xml` to `?>` inclusive) is a well-formed XML declaration. */
export function isXmlDeclaration(decl: string): boolean {
  return XML_DECLARATION.test(decl);
}
