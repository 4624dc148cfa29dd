/**
 * Redaction of a call's secrets from every text that leaves the SDK: error messages and stacks, body
 * excerpts, response headers, causes, warnings, CLI output and recordings.
 *
 * A secret is found in every form it can take on its way back from a server, a proxy or fetch itself: raw,
 * percent-encoded (upper, lower or mixed-case hex, RFC 3986 or `encodeURIComponent` rules, any mix of
 * encoded and raw characters, `+` for a space, encoded twice), XML-escaped and JSON-escaped. Independently of
 * the values, the structure of an Authorization or an echoed HttpString is redacted: `q-signature=<hex>` and
 * the value of an `x-ci-security-token` / `x-cos-security-token` header.
 */

/** The secrets of one call. Empty or missing members are ignored. */
export interface CallSecrets {
  /** The SecretKey (never sent, but a buggy proxy or a user's fetch may still quote it). */
  readonly secretKey?: string | undefined;
  /** The session token (sent as `x-ci-security-token`, echoed by the service in a SignatureDoesNotMatch). */
  readonly sessionToken?: string | undefined;
  /**
   * The SecretId. The transport does not pass it: it is an identifier sent in clear as `q-ak` in every
   * Authorization, and errors keep it so that you can tell which key was used. Recordings redact it.
   */
  readonly secretId?: string | undefined;
  /** `q-signature` values (hex) of the call's attempts. */
  readonly signatures?: ReadonlyArray<string | undefined>;
}

/** A function that returns its text with the secrets replaced by `[redacted <name>]`. */
export type Redactor = (text: string) => string;

/** The marker that replaces a secret, e.g. `[redacted sessionToken]`. */
export function redactedMarker(name: string): string {
  return `[redacted ${name}]`;
}

const NAMES = ['secretKey', 'sessionToken', 'secretId'] as const;

// the value of a security-token header, as an HttpString (`x-ci-security-token=…&`), a header line
// (`x-ci-security-token: …`) or JSON (`"x-ci-security-token":"…"`) writes it; a value already redacted is skipped
const TOKEN_HEADER = /(x-c(?:i|os)-security-token(?:=|:[ \t]*|"[ \t]*:[ \t]*"))(?!\[redacted)([^&\s"'<>\\,;]+)/gi;
const SIGNATURE = /(q-signature=)(?!\[redacted)[0-9a-fA-F]+/gi;

/**
 * A {@link Redactor} for `secrets`. Every secret is redacted whatever its length (a short secret may also
 * replace unrelated text: safe, if less readable). The work is three regular-expression passes over the
 * text: linear for text that does not resemble a secret, at worst text length × secret length.
 */
export function secretRedactor(secrets: CallSecrets): Redactor {
  const alternatives: Array<{ name: string; value: string }> = [];
  for (const name of NAMES) {
    const value = secrets[name];
    if (typeof value === 'string' && value !== '') alternatives.push({ name, value });
  }
  for (const value of secrets.signatures ?? []) {
    if (typeof value === 'string' && value !== '') alternatives.push({ name: 'signature', value });
  }
  // longest first: a secret holding another is replaced whole
  alternatives.sort((a, b) => b.value.length - a.value.length);
  // compiled on first use: most calls never build an error, and a session token makes a long pattern
  let values: RegExp | undefined;
  return (text: string): string => {
    if (typeof text !== 'string' || text === '') return text;
    let out = text;
    if (alternatives.length) {
      values ??= new RegExp(alternatives.map((a) => `(${secretPattern(a.value, a.name === 'signature')})`).join('|'), 'g');
      out = out.replace(values, (...match: unknown[]) => {
        const group = match.slice(1, alternatives.length + 1).findIndex((g) => g !== undefined);
        return redactedMarker(alternatives[group]?.name ?? 'secret');
      });
    }
    return out
      .replace(TOKEN_HEADER, (_m, head: string) => `${head}${redactedMarker('sessionToken')}`)
      .replace(SIGNATURE, (_m, head: string) => `${head}${redactedMarker('signature')}`);
  };
}

/** {@link secretRedactor}`(secrets)(text)`, for a single text. */
export function redactSecrets(text: string, secrets: CallSecrets): string {
  return secretRedactor(secrets)(text);
}

/**
 * A regular expression source matching `secret` in any of its forms: each character raw, percent-encoded
 * (any hex case, once or twice), XML-escaped or JSON-escaped, a space also as `+`.
 */
function secretPattern(secret: string, hex = false): string {
  // a signature is hex: any letter case is the same signature
  if (hex && /^[0-9a-fA-F]+$/.test(secret)) return caseless(secret);
  let pattern = '';
  for (const ch of secret) pattern += charForms(ch);
  return pattern;
}

const XML_ESCAPES: Readonly<Record<string, readonly string[]>> = {
  '&': ['&amp;', '&#38;', '&#x26;'],
  '<': ['&lt;', '&#60;', '&#x3c;'],
  '>': ['&gt;', '&#62;', '&#x3e;'],
  '"': ['&quot;', '&#34;', '&#x22;'],
  "'": ['&apos;', '&#39;', '&#x27;'],
};

function charForms(ch: string): string {
  const forms = [escapeRegExp(ch)];
  const bytes = utf8Bytes(ch);
  const unreserved = /^[A-Za-z0-9\-_.~]$/.test(ch);
  // a lone surrogate has no UTF-8 bytes, hence no percent form: an empty one would match everywhere
  if (!unreserved && bytes.length > 0) {
    // %XX (any case) per UTF-8 byte, and %25XX for a value encoded twice
    const hex = (b: number) =>
      b
        .toString(16)
        .toUpperCase()
        .padStart(2, '0')
        .split('')
        .map((d) => (/[A-F]/.test(d) ? `[${d}${d.toLowerCase()}]` : d))
        .join('');
    forms.push(bytes.map((b) => `%${hex(b)}`).join(''), bytes.map((b) => `%25${hex(b)}`).join(''));
  }
  if (ch === ' ') forms.push('\\+');
  for (const e of XML_ESCAPES[ch] ?? []) forms.push(escapeRegExp(e).replace(/x([0-9a-f]{2})/, (_m, h: string) => `[xX]${caseless(h)}`));
  const json = JSON.stringify(ch).slice(1, -1);
  if (json !== ch) forms.push(escapeRegExp(json));
  // `\uXXXX` per UTF-16 unit, as JSON encoders that keep to ASCII write it
  if (ch.charCodeAt(0) > 0x7e) {
    forms.push(Array.from({ length: ch.length }, (_, i) => `\\\\u${caseless(ch.charCodeAt(i).toString(16).padStart(4, '0'))}`).join(''));
  }
  return forms.length === 1 ? forms[0]! : `(?:${forms.join('|')})`;
}

function caseless(hex: string): string {
  return hex.replace(/[a-fA-F]/g, (d) => `[${d.toLowerCase()}${d.toUpperCase()}]`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function utf8Bytes(ch: string): number[] {
  const cp = ch.codePointAt(0)!;
  // a lone surrogate has no UTF-8 form; encodeURIComponent would throw: match it raw only
  if (cp >= 0xd800 && cp <= 0xdfff) return [];
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}

/**
 * `value` with every secret redacted, for a cause chain that leaves the SDK: an Error whose message, stack
 * or own string members hold a secret is replaced by a plain `Error` copy (same `name`, `code` and other own
 * members, redacted; its `cause` redacted in turn, up to 8 levels); an Error holding none is returned as is,
 * so an ordinary cause (ECONNREFUSED…) keeps its identity and class. A string is redacted; anything else is
 * returned unchanged.
 */
export function redactCause(value: unknown, redact: Redactor, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (!(value instanceof Error) || depth >= 8) return value;
  const own: Record<string, unknown> = {};
  let changed = false;
  for (const key of Object.getOwnPropertyNames(value)) {
    let v: unknown;
    try {
      v = (value as unknown as Record<string, unknown>)[key];
    } catch {
      continue;
    }
    const r = key === 'cause' ? redactCause(v, redact, depth + 1) : typeof v === 'string' ? redact(v) : v;
    if (r !== v) changed = true;
    own[key] = r;
  }
  const message = redact(value.message);
  if (message !== value.message) changed = true;
  if (!changed) return value;
  const copy = new Error(message);
  for (const [key, v] of Object.entries(own)) {
    if (key === 'message') continue;
    Object.defineProperty(copy, key, { value: v, writable: true, configurable: true, enumerable: key !== 'stack' && key !== 'cause' });
  }
  if (copy.name !== value.name) Object.defineProperty(copy, 'name', { value: value.name, writable: true, configurable: true });
  return copy;
}
