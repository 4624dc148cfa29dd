/**
 * @cloud-infinite/runtime — knows no single operation: COS/CI request signing, spec-driven XML decoding
 * and encoding, the fetch transport (retries, time-outs, clock skew), typed errors, redaction of secrets,
 * credentials and paging.
 */
export * from './errors';
export * from './signer';
export * from './credentials';
export * from './time';
export * from './operation';
export * from './transport';
export * from './validation';
export * from './paginate';
export * from './redact';
export * from './xml/shape';
export {
  decodeXml,
  decodeDocument,
  decodeDocumentAsync,
  loadXmlFallback,
  parseDocument,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_DOCUMENT_CHARS,
  DEFAULT_MAX_ISSUES,
} from './xml/decode';
export type { DecodeOptions, ParsedRoot, DecodeIssue, DecodeIssueKind, DecodedDocument } from './xml/decode';
export { decodeJsonDocument } from './xml/json';
export { encodeXml, escapeXmlText } from './xml/encode';
