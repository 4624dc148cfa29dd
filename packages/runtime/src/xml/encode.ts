/**
 * Spec-driven XML encoding of request bodies (and, in the fake service, of responses): elements in the
 * spec's order, text escaped, undefined members omitted, arrays written as repeated elements.
 */
import { CiValidationError, type CiValidationIssue } from '../errors';
import type { DocumentShape, ObjectShape, Shape } from './shape';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

// a high surrogate not followed by a low one, or a low one not preceded by a high one
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Escapes text for an XML element: `& < > " '`. Throws {@link CiValidationError} (naming `path`) on
 * characters XML 1.0 cannot carry and on a lone UTF-16 surrogate (it has no UTF-8 form: sent, it would
 * become U+FFFD), as a path or query parameter holding one is refused.
 */
export function escapeXmlText(text: string, path = ''): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(text)) {
    throw new CiValidationError('Cannot encode a control character in XML', [{ path, message: 'holds a character XML 1.0 forbids' }]);
  }
  if (LONE_SURROGATE.test(text)) {
    throw new CiValidationError('Cannot encode a lone UTF-16 surrogate', [
      { path, message: 'holds a lone UTF-16 surrogate (not well-formed Unicode)' },
    ]);
  }
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Encodes `value` as the document `doc` describes: `<Root>…</Root>`, no XML declaration.
 * Throws {@link CiValidationError} (listing every problem) when a required member is missing, a member
 * is not in the spec, or a value has the wrong type — nothing is sent then.
 */
export function encodeXml(value: object, doc: DocumentShape): string {
  const issues: CiValidationIssue[] = [];
  const body = encodeObject(value, doc.shape, '', issues);
  if (issues.length) throw new CiValidationError(`Invalid <${doc.root}> body`, issues);
  return `<${doc.root}>${body}</${doc.root}>`;
}

function encodeObject(value: unknown, shape: ObjectShape, path: string, issues: CiValidationIssue[]): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push({ path: path || '/', message: 'must be an object' });
    return '';
  }
  const record = value as Record<string, unknown>;
  const known = new Set<string>();
  let out = '';
  for (const m of shape.members) {
    known.add(m.key);
    const v = record[m.key];
    const at = `${path}/${m.key}`;
    if (v === undefined || v === null) {
      if (m.required) issues.push({ path: at, message: 'is required' });
      continue;
    }
    if (m.array) {
      if (!Array.isArray(v)) {
        issues.push({ path: at, message: 'must be an array' });
        continue;
      }
      // `required` means present once decoded (a required array decodes to [] when absent), not non-empty
      v.forEach((item, i) => {
        out += element(m.xmlName, item, m.shape, `${at}/${i}`, issues);
      });
    } else {
      out += element(m.xmlName, v, m.shape, at, issues);
    }
  }
  for (const key of Object.keys(record)) {
    if (!known.has(key) && record[key] !== undefined) issues.push({ path: `${path}/${key}`, message: 'is not a member in the spec' });
  }
  return out;
}

function element(name: string, value: unknown, shape: Shape, path: string, issues: CiValidationIssue[]): string {
  if (typeof shape === 'object') return `<${name}>${encodeObject(value, shape, path, issues)}</${name}>`;
  return `<${name}>${encodeScalar(value, shape, path, issues)}</${name}>`;
}

function encodeScalar(value: unknown, shape: Shape, path: string, issues: CiValidationIssue[]): string {
  switch (shape) {
    case 'string':
      if (typeof value === 'string') {
        try {
          return escapeXmlText(value, path);
        } catch (err) {
          // listed with the other problems of the body
          if (!(err instanceof CiValidationError)) throw err;
          issues.push(...err.issues);
          return '';
        }
      }
      issues.push({ path, message: 'must be a string' });
      return '';
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
      issues.push({ path, message: 'must be an integer' });
      return '';
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      issues.push({ path, message: 'must be a finite number' });
      return '';
    default:
      if (typeof value === 'boolean') return String(value);
      issues.push({ path, message: 'must be a boolean' });
      return '';
  }
}
