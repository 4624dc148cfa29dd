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
  /** Required by the spec. A required array decodes to `[]` when no element is present. */
  readonly required: boolean;
  readonly shape: Shape;
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
  };
  return draft;
}

/** Builds an object shape from its members, in order (used by generated code). */
export function objectShape(members: readonly MemberShape[]): ObjectShape {
  const elements: Record<string, MemberShape> = Object.create(null);
  for (const m of members) {
    elements[m.xmlName] = m;
    for (const alias of (m as MemberDraft).aliases ?? []) elements[alias] = m;
  }
  return { type: 'object', members, elements };
}

/** A document shape (used by generated code). */
export function documentShape(root: string, shape: ObjectShape): DocumentShape {
  return { root, shape };
}
