/**
 * Response bodies, always built from spec-typed values with the runtime's `encodeXml` and the generated
 * document shapes, so they match the spec.
 */
import { encodeXml, type DocumentShape } from '@cloud-infinite/runtime';

/** The XML declaration CI puts before its documents. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** `<?xml …?>` then the document, encoded by the spec's shape (an empty required array writes no element). */
export function encodeDocument(value: object, doc: DocumentShape): string {
  return XML_DECLARATION + encodeXml(value, doc);
}
