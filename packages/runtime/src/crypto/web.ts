/**
 * The hashes of signing and Content-MD5 where `node:crypto` is absent (browsers, web workers, edge runtimes):
 * `@noble/hashes`, synchronous like `node:crypto` (WebCrypto's `subtle` is async only, and has no MD5).
 * Chosen through the package's `#crypto` import when the `node` condition does not apply. No `Buffer`: strings
 * are UTF-8 encoded with TextEncoder (a lone surrogate becomes U+FFFD, as in Node).
 */
import { hmac } from '@noble/hashes/hmac';
import { md5, sha1 } from '@noble/hashes/legacy';
import { bytesToHex } from '@noble/hashes/utils';

const utf8 = new TextEncoder();

/** hex(HMAC-SHA1(key, data)). */
export function hmacSha1Hex(key: string, data: string): string {
  return bytesToHex(hmac(sha1, utf8.encode(key), utf8.encode(data)));
}

/** hex(SHA-1(data)). */
export function sha1Hex(data: string): string {
  return bytesToHex(sha1(utf8.encode(data)));
}

/** base64(MD5(data)): a Content-MD5 header. */
export function md5Base64(data: string): string {
  const digest = md5(utf8.encode(data));
  let binary = '';
  for (let i = 0; i < digest.length; i++) binary += String.fromCharCode(digest[i]!);
  return btoa(binary);
}

/** Which implementation this is (for tests and diagnostics). */
export const CRYPTO_IMPLEMENTATION = '@noble/hashes';
