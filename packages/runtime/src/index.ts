/**
 * @cloud-infinite/runtime — knows no single operation: COS/CI request signing, spec-driven XML decoding
 * and encoding, the fetch transport (retries, time-outs, clock skew), typed errors, credentials and paging.
 */
export * from './errors';
export * from './signer';
export * from './credentials';
export * from './time';
export * from './operation';
export * from './transport';
export * from './paginate';
export * from './xml/shape';
export { decodeXml, parseDocument, DEFAULT_MAX_DEPTH, DEFAULT_MAX_DOCUMENT_CHARS } from './xml/decode';
export type { DecodeOptions, ParsedRoot } from './xml/decode';
export { encodeXml, escapeXmlText } from './xml/encode';
