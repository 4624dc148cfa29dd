/**
 * The shaper: turns a stream of XML events (an element opens, text, an element closes) into the decoded
 * value a {@link DocumentShape} describes, in one pass, with the decode policy of the spec:
 *
 * - arrays come from the shape, never from the document: one element of a repeated member is a one-element
 *   array; a required array with no element is `[]`; an optional one stays absent;
 * - scalars come from the shape: a `string` stays text, whatever it looks like; `integer`, `number` and
 *   `boolean` are converted, and text that does not convert is a {@link CiDecodeError} naming the path; an empty
 *   integer/number/boolean (`<TotalCount/>`) is absent;
 * - an element that decodes to nothing (`<Audio/>`, `<JobsDetail></JobsDetail>`, an object whose children are all
 *   empty) is absent: never a phantom `{}` entry;
 * - an element the shape does not know is kept under its element name as an array of its occurrences, each the
 *   element's text when it has no child elements, else an object of its children (each again an array): the
 *   shape does not depend on how often it occurs. It is reported as an `unknown` issue;
 * - a required member that is missing and a number outside the spec's `minimum`/`maximum` are reported as
 *   `missing` and `range` issues; the value is still returned (the transport's `validateResponses` mode decides);
 * - enums are open: any text decodes;
 * - text may not hold characters XML 1.0 forbids; no element name (`__proto__`, `constructor`) can pollute a
 *   prototype.
 *
 * Both readers (the single-pass reader and the fast-xml-parser fallback) feed the same shaper, so they give the
 * same results by construction.
 */
import { CiDecodeError } from '../errors';
import { isXmlWhitespace } from './entities';
import type { DocumentShape, MemberShape, ObjectShape, ScalarType } from './shape';

export { isXmlWhitespace };

/** What kind of mismatch with the spec a decode issue is. */
export type DecodeIssueKind =
  /** an element the spec does not know (kept in the result) */
  | 'unknown'
  /** a required member that is missing */
  | 'missing'
  /** a number outside the spec's minimum/maximum */
  | 'range';

/** A mismatch between a decoded document and the spec that does not stop decoding. */
export interface DecodeIssue {
  readonly kind: DecodeIssueKind;
  /** Where, e.g. `Response.JobsDetail[3].Operation.NewField`. */
  readonly path: string;
  /** The same place without indices, e.g. `Response.JobsDetail[].Operation.NewField`: one warning per place. */
  readonly key: string;
  /** e.g. `is not in the spec`, `is required but missing`, `must be >= 0, got -1`. */
  readonly message: string;
}

/** A decoded document and the issues found on the way. */
export interface DecodedDocument {
  /** The root element's children, shaped by the spec. */
  readonly value: Record<string, unknown>;
  /** The first `maxIssues` issues, in document order. */
  readonly issues: readonly DecodeIssue[];
  /** How many issues there were in all (may exceed `issues.length`). */
  readonly issueCount: number;
}

/** Default number of issues kept per document (they are all counted). */
export const DEFAULT_MAX_ISSUES = 50;

const enum Kind {
  /** an element the shape describes as an object */
  Object,
  /** a scalar leaf */
  Scalar,
  /** an element the shape does not know */
  Raw,
  /** an array of scalars with a nested item form: flat text, or a wrapper of item elements */
  Nested,
}

interface Frame {
  kind: Kind;
  name: string;
  /** Index in the parent's array, or -1 for a single member. */
  index: number;
  member: MemberShape | undefined;
  /** The object shape (Object frames). */
  shape: ObjectShape | undefined;
  /** The scalar type (Scalar frames). */
  scalar: ScalarType;
  /** Decoded children (Object, Raw). */
  out: Record<string, unknown> | undefined;
  /** Text (Scalar, Raw, Nested). */
  text: string;
  /** Whether child elements were seen. */
  children: boolean;
  /** Non-whitespace text seen in an element that holds (or should hold) child elements. */
  strayText: boolean;
  /** Single members already seen that decoded to nothing (to refuse a second occurrence). */
  dropped: string[] | undefined;
  /** The list a Nested frame's items go to. */
  list: unknown[] | undefined;
  /** A Scalar frame that is the item of a Nested wrapper. */
  nestedItem: boolean;
}

// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function xmlTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isXmlWs(s.charCodeAt(a))) a++;
  while (b > a && isXmlWs(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isXmlWs(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** Sets `key` as an own, enumerable property, even when it is `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * A string that holds its own characters. A reader's text is a slice of the whole response (V8 keeps a slice of
 * 13 characters or more as a view of its parent): a caller who keeps one `JobId` of a page would keep the page's
 * whole body alive. Slicing a concatenation makes V8 copy the characters first, so the result refers to that
 * copy alone.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * The array an unknown element's name already holds in `out`, if any: an own-property check, as the name may be
 * `constructor` or `__proto__`. (Known members' keys are the spec's names, which `objectShape` checks are never
 * `Object.prototype` members, so a plain read is safe for them.)
 */
function ownValue(out: Record<string, unknown>, name: string): unknown[] | undefined {
  return hasOwn(out, name) ? (out[name] as unknown[]) : undefined;
}

/** Builds a decoded document from reader events. One shaper per document. */
export class Shaper {
  readonly #doc: DocumentShape | undefined;
  readonly #maxIssues: number;
  readonly #frames: Frame[] = [];
  #depth = 0;
  #root: Record<string, unknown> | undefined;
  #rootName: string | undefined;
  readonly #issues: DecodeIssue[] = [];
  #issueCount = 0;

  /** `doc` undefined: no shape (every element kept as an unknown one, no issues). */
  constructor(doc: DocumentShape | undefined, maxIssues = DEFAULT_MAX_ISSUES) {
    this.#doc = doc;
    this.#maxIssues = maxIssues;
  }

  /** The name of the element open now (for a reader's end-tag check), or undefined at the top level. */
  get current(): string | undefined {
    return this.#depth ? this.#frames[this.#depth - 1]!.name : undefined;
  }

  /** Whether the element open now keeps its text (a scalar or an unknown element); else only whitespace is allowed. */
  get wantsText(): boolean {
    const kind = this.#frames[this.#depth - 1]?.kind;
    return kind === Kind.Scalar || kind === Kind.Raw || kind === Kind.Nested;
  }

  /** The root element's name, once it has opened. */
  get rootName(): string | undefined {
    return this.#rootName;
  }

  /** An element opens. */
  open(name: string): void {
    if (this.#depth === 0) {
      this.#openRoot(name);
      return;
    }
    const parent = this.#frames[this.#depth - 1]!;
    parent.children = true;
    switch (parent.kind) {
      case Kind.Object: {
        const m = parent.shape!.elements[name];
        if (m === undefined) {
          const existing = parent.out && ownValue(parent.out, name);
          const frame = this.#push(Kind.Raw, name, existing ? existing.length : 0, undefined);
          this.#issue('unknown', frame, 'is not in the spec');
          return;
        }
        if (m.array) {
          const list = parent.out?.[m.key] as unknown[] | undefined;
          const index = list ? list.length : 0;
          if (typeof m.shape === 'object') this.#push(Kind.Object, name, index, m).shape = m.shape;
          else this.#push(m.nestedItems !== undefined ? Kind.Nested : Kind.Scalar, name, index, m).scalar = m.shape;
          return;
        }
        if (parent.out?.[m.key] !== undefined || parent.dropped?.includes(m.key)) {
          const frame = this.#push(Kind.Raw, name, -1, m);
          throw this.#error(`Element <${name}> appears more than once; the spec allows one`, frame);
        }
        if (typeof m.shape === 'object') this.#push(Kind.Object, name, -1, m).shape = m.shape;
        else this.#push(Kind.Scalar, name, -1, m).scalar = m.shape;
        return;
      }
      case Kind.Raw: {
        const existing = parent.out && ownValue(parent.out, name);
        this.#push(Kind.Raw, name, existing ? existing.length : 0, undefined);
        return;
      }
      case Kind.Nested: {
        const m = parent.member!;
        if (!m.nestedItems!.includes(name)) throw this.#error(`Expected <${m.nestedItems![0]!}> items, found <${name}>`, parent);
        if (parent.strayText) throw this.#error('Unexpected text beside child elements', parent);
        const frame = this.#push(Kind.Scalar, name, this.#nestedList(parent).length, m);
        frame.scalar = m.shape as ScalarType;
        frame.nestedItem = true;
        return;
      }
      default:
        throw this.#error(`Expected text (${parent.scalar}), found child elements`, parent);
    }
  }

  /**
   * Text inside the element open now: line ends already normalised and entities decoded (see `textOf` in
   * `./entities`). Text outside the root is the reader's concern.
   */
  text(text: string): void {
    if (this.#depth === 0 || text === '') return;
    const frame = this.#frames[this.#depth - 1]!;
    if (frame.kind === Kind.Object || (frame.children && frame.kind === Kind.Nested)) {
      if (!isXmlWhitespace(text)) frame.strayText = true;
      return;
    }
    if (FORBIDDEN_CHARS.test(text)) throw this.#error('Text holds a character XML 1.0 forbids', frame);
    frame.text = frame.text === '' ? text : frame.text + text;
    if (frame.kind === Kind.Nested && !isXmlWhitespace(text)) frame.strayText = true;
  }

  /** The element open now closes. */
  close(): void {
    const frame = this.#frames[this.#depth - 1]!;
    switch (frame.kind) {
      case Kind.Object:
        this.#closeObject(frame);
        break;
      case Kind.Scalar:
        this.#assign(frame, this.#scalar(frame));
        break;
      case Kind.Raw:
        this.#closeRaw(frame);
        break;
      default:
        this.#closeNested(frame);
    }
    this.#depth--;
  }

  /** The decoded document. Call after the root element has closed. */
  result(): DecodedDocument {
    return { value: this.#root ?? {}, issues: this.#issues, issueCount: this.#issueCount };
  }

  #openRoot(name: string): void {
    this.#rootName = name;
    const doc = this.#doc;
    if (doc === undefined) {
      this.#push(Kind.Raw, name, -1, undefined);
      return;
    }
    if (name !== doc.root) throw new CiDecodeError(`Expected a <${doc.root}> document, got <${name}>`);
    this.#push(Kind.Object, name, -1, undefined).shape = doc.shape;
  }

  #push(kind: Kind, name: string, index: number, member: MemberShape | undefined): Frame {
    let frame = this.#frames[this.#depth];
    if (frame === undefined) {
      frame = {
        kind,
        name,
        index,
        member,
        shape: undefined,
        scalar: 'string',
        out: undefined,
        text: '',
        children: false,
        strayText: false,
        dropped: undefined,
        list: undefined,
        nestedItem: false,
      };
      this.#frames[this.#depth] = frame;
    } else {
      frame.kind = kind;
      frame.name = name;
      frame.index = index;
      frame.member = member;
      frame.shape = undefined;
      frame.scalar = 'string';
      frame.out = undefined;
      frame.text = '';
      frame.children = false;
      frame.strayText = false;
      frame.dropped = undefined;
      frame.list = undefined;
      frame.nestedItem = false;
    }
    this.#depth++;
    return frame;
  }

  #closeObject(frame: Frame): void {
    if (frame.strayText) {
      throw this.#error(frame.children ? 'Unexpected text beside child elements' : 'Expected child elements, found text', frame);
    }
    const shape = frame.shape!;
    const isRoot = this.#depth === 1;
    let out = frame.out;
    if (out === undefined) {
      if (!isRoot) {
        this.#assign(frame, undefined);
        return;
      }
      out = {};
    }
    for (const m of shape.members) {
      if (!m.required || hasOwn(out, m.key)) continue;
      if (m.array) out[m.key] = [];
      else this.#issue('missing', frame, 'is required but missing', m.xmlName);
    }
    if (isRoot) this.#root = out;
    else this.#assign(frame, out);
  }

  #closeRaw(frame: Frame): void {
    let value: unknown;
    if (frame.children) {
      if (!isXmlWhitespace(frame.text)) throw this.#error('Unexpected text beside child elements', frame);
      value = frame.out ?? {};
    } else {
      value = detach(frame.text);
    }
    if (this.#depth === 1) {
      this.#root = (frame.children ? value : {}) as Record<string, unknown>;
      return;
    }
    const parent = this.#frames[this.#depth - 2]!;
    const out = (parent.out ??= {});
    if (hasOwn(out, frame.name)) (out[frame.name] as unknown[]).push(value);
    else setOwn(out, frame.name, [value]);
  }

  #closeNested(frame: Frame): void {
    if (frame.strayText && frame.children) throw this.#error('Unexpected text beside child elements', frame);
    if (frame.children) {
      // the wrapper form: its items were added as they closed
      this.#nestedList(frame);
      return;
    }
    if (isXmlWhitespace(frame.text)) {
      // an empty wrapper (`<NonExistPIDs/>`) holds no item
      return;
    }
    const value = this.#convert(frame.text, frame.scalar, frame);
    if (value !== undefined) this.#nestedList(frame).push(value);
  }

  /** The array a Nested frame (or its item) adds to, created in the parent object on first use. */
  #nestedList(frame: Frame): unknown[] {
    if (frame.list) return frame.list;
    const parent = this.#frames[this.#frames.indexOf(frame) - 1]!;
    const out = (parent.out ??= {});
    const key = frame.member!.key;
    frame.list = hasOwn(out, key) ? (out[key] as unknown[]) : (out[key] = []);
    return frame.list;
  }

  #scalar(frame: Frame): unknown {
    return this.#convert(frame.text, frame.scalar, frame);
  }

  #convert(text: string, type: ScalarType, frame: Frame): unknown {
    if (type === 'string') return detach(text);
    const t = xmlTrim(text);
    if (t === '') return undefined;
    let value: number | boolean;
    if (type === 'integer') {
      value = Number(t);
      if (!INTEGER.test(t) || !Number.isSafeInteger(value)) throw this.#error('Expected an integer', frame, text);
    } else if (type === 'number') {
      if (!NUMBER.test(t)) throw this.#error('Expected a number', frame, text);
      value = Number(t);
      if (!Number.isFinite(value)) throw this.#error('Expected a finite number', frame, text);
    } else {
      if (t === 'true') return true;
      if (t === 'false') return false;
      throw this.#error('Expected true or false', frame, text);
    }
    const m = frame.member;
    if (m?.minimum !== undefined && value < m.minimum) this.#issue('range', frame, `must be >= ${m.minimum}, got ${value}`);
    else if (m?.maximum !== undefined && value > m.maximum) this.#issue('range', frame, `must be <= ${m.maximum}, got ${value}`);
    return value;
  }

  /** Puts a closed known member's value into its parent (`undefined`: it decoded to nothing). */
  #assign(frame: Frame, value: unknown): void {
    const parent = this.#frames[this.#depth - 2]!;
    if (frame.nestedItem) {
      if (value !== undefined) this.#nestedList(parent).push(value);
      return;
    }
    const m = frame.member!;
    if (value === undefined) {
      if (!m.array) (parent.dropped ??= []).push(m.key);
      return;
    }
    const out = (parent.out ??= {});
    if (m.array) {
      const list = out[m.key] as unknown[] | undefined;
      if (list) list.push(value);
      else out[m.key] = [value];
    } else {
      out[m.key] = value;
    }
  }

  #issue(kind: DecodeIssueKind, frame: Frame, message: string, child?: string): void {
    this.#issueCount++;
    if (this.#issues.length >= this.#maxIssues) return;
    const suffix = child === undefined ? '' : `.${child}`;
    this.#issues.push({ kind, path: this.#path(frame, false) + suffix, key: this.#path(frame, true) + suffix, message });
  }

  #error(message: string, frame: Frame, excerpt?: string): CiDecodeError {
    return new CiDecodeError(message, { path: this.#path(frame, false), ...(excerpt !== undefined ? { excerpt } : {}) });
  }

  /** `Response.JobsDetail[2].Operation` (or with `[]` for every index when `generic`), up to `frame`. */
  #path(frame: Frame, generic: boolean): string {
    let path = '';
    for (let d = 0; d < this.#depth; d++) {
      const f = this.#frames[d]!;
      path += d === 0 ? f.name : `.${f.name}`;
      if (f.index >= 0 && d > 0) path += generic ? '[]' : `[${f.index}]`;
      if (f === frame) break;
    }
    return path;
  }
}
