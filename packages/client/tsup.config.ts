import { defineConfig } from 'tsup';
import { tsupOptions } from '../../tsup.shared';

export default defineConfig(tsupOptions({ entry: ['src/index.ts'], dtsEntry: ['src/index.ts'] }));
