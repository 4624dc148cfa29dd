import { defineConfig } from 'tsup';
import { tsupOptions } from '../../tsup.shared';

// the library entry in both formats; the `ci-media` executable and the demo (`npm start`) as CommonJS only
export default defineConfig(
  tsupOptions({ entry: ['src/index.ts', 'src/bin.ts', 'src/demo.ts'], dtsEntry: ['src/index.ts'], cjsOnly: ['src/bin.ts', 'src/demo.ts'] }),
);
