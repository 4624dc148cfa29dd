/**
 * Response bodies, always built from spec-typed values with the runtime's `encodeXml` and the generated
 * document shapes, so they match the spec.
 */
import { encodeXml, type DocumentShape, type ObjectShape, type Shape } from '@cloud-infinite/runtime';

/** The XML declaration CI puts before its documents. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** `<?xml …?>` then the document, encoded by the spec's shape (an empty required array writes no element). */
export function encodeDocument(value: object, doc: DocumentShape): string {
  return XML_DECLARATION + encodeXml(value, doc);
}

/**
 * The JSON form of a document, as CI sends a notification whose format is `JSON` (API 1045/49513 "JSON format"
 * sample): the root's members as top-level keys (no root element), element names as keys in the spec's order,
 * every leaf a string, an element that occurs once a single value (not an array), repeated ones an array, empty
 * leaves (and empty arrays) left out, empty containers kept as `{}`. The value is first checked by encoding it as
 * XML (a CiValidationError on a value the spec does not allow).
 */
export function encodeJsonForm(value: object, doc: DocumentShape): string {
  encodeXml(value, doc);
  return JSON.stringify(jsonObject(value as Record<string, unknown>, doc.shape));
}

function jsonObject(record: Record<string, unknown>, shape: ObjectShape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of shape.members) {
    const v = record[m.key];
    if (v === undefined || v === null) continue;
    const items = (m.array ? (v as unknown[]) : [v]).map((item) => jsonValue(item, m.shape)).filter((item) => item !== undefined);
    if (items.length) out[m.xmlName] = items.length === 1 ? items[0] : items;
  }
  return out;
}

function jsonValue(value: unknown, shape: Shape): unknown {
  if (typeof shape === 'object') return jsonObject(value as Record<string, unknown>, shape);
  const text = String(value);
  return text === '' ? undefined : text;
}
