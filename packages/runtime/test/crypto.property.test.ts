/**
 * The two implementations behind `#crypto` (node:crypto on Node, @noble/hashes elsewhere) give identical
 * results: on arbitrary Unicode (lone surrogates included, which both encode as U+FFFD), long inputs, and the
 * shapes signing uses (a hex key from a first HMAC, a KeyTime, a StringToSign).
 */
import fc from 'fast-check';
import * as nodeCrypto from '../src/crypto/node';
import * as webCrypto from '../src/crypto/web';
import { explainAuthorization } from '../src/signer';

const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ maxLength: 5000 }));

describe('#crypto: node:crypto and @noble/hashes agree', () => {
  it('names its implementation', () => {
    expect(nodeCrypto.CRYPTO_IMPLEMENTATION).toBe('node:crypto');
    expect(webCrypto.CRYPTO_IMPLEMENTATION).toBe('@noble/hashes');
  });

  it('HMAC-SHA1 (hex)', () => {
    fc.assert(
      fc.property(text, text, (key, data) => webCrypto.hmacSha1Hex(key, data) === nodeCrypto.hmacSha1Hex(key, data)),
      { numRuns: 1000 },
    );
  });

  it('HMAC-SHA1 with a key longer than the block (64 bytes)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 65, maxLength: 400 }),
        text,
        (key, data) => webCrypto.hmacSha1Hex(key, data) === nodeCrypto.hmacSha1Hex(key, data),
      ),
      { numRuns: 200 },
    );
  });

  it('SHA-1 (hex)', () => {
    fc.assert(
      fc.property(text, (data) => webCrypto.sha1Hex(data) === nodeCrypto.sha1Hex(data)),
      { numRuns: 1000 },
    );
  });

  it('MD5 (base64, a Content-MD5)', () => {
    fc.assert(
      fc.property(text, (data) => webCrypto.md5Base64(data) === nodeCrypto.md5Base64(data)),
      { numRuns: 1000 },
    );
  });

  it('known vectors', () => {
    for (const impl of [nodeCrypto, webCrypto]) {
      expect(impl.sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
      expect(impl.md5Base64('')).toBe('1B2M2Y8AsgTpgAmY7PhCfg==');
      expect(impl.hmacSha1Hex('key', 'The quick brown fox jumps over the lazy dog')).toBe('de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9');
    }
  });

  it('a whole signature is the same through either implementation', () => {
    // explainAuthorization runs on node:crypto here (jest maps #crypto to src/crypto/node.ts); redo its hashes with noble
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), fc.nat({ max: 2_000_000_000 }), (secretKey, path, start) => {
        const ex = explainAuthorization({
          secretId: 'AKIDEXAMPLE',
          secretKey,
          method: 'get',
          pathname: `/${path}`,
          query: { size: '10', tag: 'Animation' },
          headers: { host: 'examplebucket-1250000000.ci.ap-beijing.myqcloud.com' },
          startTime: start,
        });
        const stringToSign = `sha1\n${ex.keyTime}\n${webCrypto.sha1Hex(ex.httpString)}\n`;
        expect(stringToSign).toBe(ex.stringToSign);
        expect(webCrypto.hmacSha1Hex(webCrypto.hmacSha1Hex(secretKey, ex.keyTime), stringToSign)).toBe(ex.signature);
      }),
      { numRuns: 300 },
    );
  });
});
