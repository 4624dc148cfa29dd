import { defineConfig } from 'tsup';
import { tsupOptions } from '../../tsup.shared';

// `#crypto` stays an import: package.json `imports` picks node:crypto (node) or @noble/hashes (anything else)
// when the package is used, so both implementations are separate entries (sharing nothing: no chunk).
export default defineConfig(
  tsupOptions({
    entry: [
      'src/index.ts',
      'src/crypto/node.ts',
      'src/crypto/web.ts',
      'src/xml/fallback.ts',
      'src/xml/fallback-node.ts',
      'src/xml/fallback-lazy.ts',
    ],
    dtsEntry: ['src/index.ts'],
    external: ['#crypto', '#xml-fallback', '#xml-fallback-reader'],
    splitting: false,
  }),
);
