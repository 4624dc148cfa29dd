/**
 * The hashes of signing and Content-MD5 on Node (and Bun, Deno): `node:crypto`. Chosen through the package's
 * `#crypto` import when the `node` condition applies; `./web.ts` elsewhere. Both give identical results
 * (test/crypto.property.test.ts). Strings are hashed as UTF-8.
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';

// the one-shot `crypto.hash` (Node >= 20.12) skips the Hash object; older Nodes use createHash
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** hex(HMAC-SHA1(key, data)). */
export function hmacSha1Hex(key: string, data: string): string {
  return createHmac('sha1', key).update(data, 'utf8').digest('hex');
}

/** hex(SHA-1(data)). */
export function sha1Hex(data: string): string {
  return oneShot ? oneShot('sha1', data, 'hex') : createHash('sha1').update(data, 'utf8').digest('hex');
}

/** base64(MD5(data)): a Content-MD5 header. */
export function md5Base64(data: string): string {
  return createHash('md5').update(data, 'utf8').digest('base64');
}

/** Which implementation this is (for tests and diagnostics). */
export const CRYPTO_IMPLEMENTATION = 'node:crypto';
