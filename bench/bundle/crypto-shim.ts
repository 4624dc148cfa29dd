/**
 * A stand-in for `node:crypto` in the browser bundle of the bundle-size case — NOT part of the SDK.
 *
 * The runtime signs with `createHmac('sha1')` / `createHash('sha1')` and computes Content-MD5 with
 * `createHash('md5')`. A browser has no `node:crypto` (and WebCrypto's HMAC is async, while the runtime's
 * signer is sync), so a portable implementation is a later issue. This file is the smallest synchronous
 * implementation of exactly that surface (SHA-1, MD5, HMAC; `update(string)`, `digest('hex' | 'base64')`),
 * aliased to `node:crypto` so the measured bundle is one that could run, and its size counts what a portable
 * signer will cost. The bundle case checks it against node:crypto before measuring.
 */

type Digest = 'hex' | 'base64';

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Pads a message to 64-byte blocks with its bit length (big-endian for SHA-1, little-endian for MD5). */
function pad(message: Uint8Array, bigEndian: boolean): DataView {
  const length = ((message.length + 8) >> 6) * 64 + 64;
  const bytes = new Uint8Array(length);
  bytes.set(message);
  bytes[message.length] = 0x80;
  const view = new DataView(bytes.buffer);
  const bits = message.length * 8;
  if (bigEndian) {
    view.setUint32(length - 8, Math.floor(bits / 0x100000000));
    view.setUint32(length - 4, bits >>> 0);
  } else {
    view.setUint32(length - 8, bits >>> 0, true);
    view.setUint32(length - 4, Math.floor(bits / 0x100000000), true);
  }
  return view;
}

function sha1(message: Uint8Array): Uint8Array {
  const view = pad(message, true);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Int32Array(80);
  for (let off = 0; off < view.byteLength; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!;
      w[i] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let i = 0; i < 80; i++) {
      const f = i < 20 ? (b & c) | (~b & d) : i < 40 ? b ^ c ^ d : i < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
  }
  const out = new DataView(new ArrayBuffer(20));
  h.forEach((v, i) => out.setInt32(i * 4, v));
  return new Uint8Array(out.buffer);
}

const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const MD5_K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) | 0);

function md5(message: Uint8Array): Uint8Array {
  const view = pad(message, false);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  for (let off = 0; off < view.byteLength; off += 64) {
    let [a, b, c, d] = h as [number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const round = i >> 4;
      const f = round === 0 ? (b & c) | (~b & d) : round === 1 ? (d & b) | (~d & c) : round === 2 ? b ^ c ^ d : c ^ (b | ~d);
      const g = round === 0 ? i : round === 1 ? (5 * i + 1) % 16 : round === 2 ? (3 * i + 5) % 16 : (7 * i) % 16;
      const s = MD5_S[round * 4 + (i % 4)]!;
      const x = (a + f + MD5_K[i]! + view.getInt32(off + g * 4, true)) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
  }
  const out = new DataView(new ArrayBuffer(16));
  h.forEach((v, i) => out.setInt32(i * 4, v, true));
  return new Uint8Array(out.buffer);
}

function encode(bytes: Uint8Array, encoding: Digest): string {
  if (encoding === 'hex') return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return btoa(String.fromCharCode(...bytes));
}

const HASHES: Record<string, (m: Uint8Array) => Uint8Array> = { sha1, md5 };

class Hash {
  #data: Uint8Array = new Uint8Array(0);
  constructor(private readonly fn: (m: Uint8Array) => Uint8Array) {}
  update(text: string): this {
    this.#data = concat(this.#data, utf8(text));
    return this;
  }
  digest(encoding: Digest): string {
    return encode(this.fn(this.#data), encoding);
  }
}

class Hmac {
  #data: Uint8Array = new Uint8Array(0);
  readonly #key: Uint8Array;
  constructor(
    private readonly fn: (m: Uint8Array) => Uint8Array,
    key: string,
  ) {
    let k = utf8(key);
    if (k.length > 64) k = fn(k);
    this.#key = new Uint8Array(64);
    this.#key.set(k);
  }
  update(text: string): this {
    this.#data = concat(this.#data, utf8(text));
    return this;
  }
  digest(encoding: Digest): string {
    const inner = this.#key.map((b) => b ^ 0x36);
    const outer = this.#key.map((b) => b ^ 0x5c);
    return encode(this.fn(concat(outer, this.fn(concat(inner, this.#data)))), encoding);
  }
}

function algorithm(name: string): (m: Uint8Array) => Uint8Array {
  const fn = HASHES[name];
  if (!fn) throw new Error(`crypto-shim: ${name} is not supported`);
  return fn;
}

export function createHash(name: string): Hash {
  return new Hash(algorithm(name));
}

export function createHmac(name: string, key: string): Hmac {
  return new Hmac(algorithm(name), key);
}
