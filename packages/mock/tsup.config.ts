import { defineConfig } from 'tsup';
import { tsupOptions } from '../../tsup.shared';

// two entry points, `.` and `./msw`, sharing their modules (one FakeCiService class for both)
export default defineConfig(tsupOptions({ entry: ['src/index.ts', 'src/msw.ts'], dtsEntry: ['src/index.ts', 'src/msw.ts'] }));
