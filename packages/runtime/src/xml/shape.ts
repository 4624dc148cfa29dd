/**
 * XML shapes: what the spec says about a document, reduced to what decoding and encoding need — which
 * elements repeat (arrays), which leaves are integer/number/boolean (everything else is a string), element
 * order, requiredness and element-name aliases. Generated from the spec by tools/codegen.
 */

/** A leaf's type. `string` leaves are never converted, even when they look like numbers (`0123`, `1e5`). */
export type ScalarType = 'string' | 'integer' | 'number' | 'boolean';

/** One member of an object element. */
export interface MemberShape {
  /** Property name in the decoded object (the spec's property name, e.g. `QueueId`). */
  readonly key: string;
  /** Element name written when encoding (usually `key`). */
  readonly xmlName: string;
  /** The element repeats: decoded as an array, one element per item. */
  readonly array: boolean;
  /**
   * Required by the spec: always given in a request, always returned in a response. A required array decodes to
   * `[]` when no element is present; any other required member that is missing is reported as an issue.
   */
  readonly required: boolean;
  readonly shape: Shape;
  /**
   * For an array of scalars: the item element names of the nested form. The service may send the list flat
   * (`<NonExistPIDs>a</NonExistPIDs><NonExistPIDs>b</NonExistPIDs>`) or nested
   * (`<NonExistPIDs><QueueID>a</QueueID><QueueID>b</QueueID></NonExistPIDs>`); both decode to `['a', 'b']`.
   * Encoding writes the flat form. (Spec: `x-ci-nested-item`.)
   */
  readonly nestedItems?: readonly string[];
  /** Smallest value of an integer or number leaf (spec `minimum`); a smaller decoded value is reported as an issue. */
  readonly minimum?: number;
  /** Largest value of an integer or number leaf (spec `maximum`); a larger decoded value is reported as an issue. */
  readonly maximum?: number;
}

/** An element with child elements. */
export interface ObjectShape {
  readonly type: 'object';
  /** Members in the spec's order (the order encoding writes them in). */
  readonly members: readonly MemberShape[];
  /** Members by element name, aliases included (a null-prototype map). */
  readonly elements: Readonly<Record<string, MemberShape>>;
}

export type Shape = ScalarType | ObjectShape;

/** A whole document: its root element name and the root's shape. */
export interface DocumentShape {
  readonly root: string;
  readonly shape: ObjectShape;
}

/** Options of {@link member}. */
export interface MemberOptions {
  readonly array?: boolean;
  readonly required?: boolean;
  /** Element name when it differs from the property name. */
  readonly xmlName?: string;
  /** Other element names decoded into this member (e.g. `QueueID` for `QueueId`). */
  readonly aliases?: readonly string[];
  /** See {@link MemberShape.nestedItems}. */
  readonly nestedItems?: readonly string[];
  /** See {@link MemberShape.minimum}. */
  readonly minimum?: number;
  /** See {@link MemberShape.maximum}. */
  readonly maximum?: number;
}

interface MemberDraft extends MemberShape {
  readonly aliases: readonly string[];
}

/** Builds a member (used by generated code). */
export function member(key: string, shape: Shape, options: MemberOptions = {}): MemberShape {
  const draft: MemberDraft = {
    key,
    xmlName: options.xmlName ?? key,
    array: options.array ?? false,
    required: options.required ?? false,
    shape,
    aliases: options.aliases ?? [],
    ...(options.nestedItems !== undefined ? { nestedItems: options.nestedItems } : {}),
    ...(options.minimum !== undefined ? { minimum: options.minimum } : {}),
    ...(options.maximum !== undefined ? { maximum: options.maximum } : {}),
  };
  if (draft.nestedItems !== undefined && (!draft.array || typeof shape === 'object' || draft.nestedItems.length === 0)) {
    throw new TypeError(`member ${key}: nestedItems needs an array of scalars and at least one name`);
  }
  return draft;
}

/** Builds an object shape from its members, in order (used by generated code). */
export function objectShape(members: readonly MemberShape[]): ObjectShape {
  for (const m of members) {
    // decoded objects are plain objects: a member key such as `constructor` would read Object.prototype's
    if (m.key in Object.prototype) throw new TypeError(`member ${m.key}: a key of Object.prototype cannot be a member key`);
  }
  const elements: Record<string, MemberShape> = Object.create(null);
  for (const m of members) {
    elements[m.xmlName] = m;
    for (const alias of (m as MemberDraft).aliases ?? []) elements[alias] = m;
  }
  // a member whose element name differs from its key also decodes an element named like the key, so that element
  // can never land, as an unknown one, under the member's own key
  for (const m of members) if (!(m.key in elements)) elements[m.key] = m;
  return { type: 'object', members, elements };
}

/** A document shape (used by generated code). */
export function documentShape(root: string, shape: ObjectShape): DocumentShape {
  return { root, shape };
}
