/**
 * The build of every publishable package (each package's tsup.config.ts): ESM (`.mjs`, `.d.mts`) and CommonJS
 * (`.js`, `.d.ts`) from the same sources, declarations bundled per entry point. Checked on the packed tarballs
 * by `npm run check:packages` (@arethetypeswrong/cli + publint).
 *
 * tsup (esbuild) rather than tsc twice: the sources keep extensionless relative imports (valid for the
 * CommonJS tests under ts-jest and for the generated client), which the bundled ESM output does not need.
 */
import { rmSync } from 'node:fs';
import type { Options } from 'tsup';

export interface PackageBuild {
  /** Every entry point (both formats unless `cjsOnly`). */
  readonly entry: string[];
  /** Entries that get declarations (the public ones). */
  readonly dtsEntry: string[];
  /** Imports kept as they are (besides dependencies and peers, which tsup keeps already). */
  readonly external?: string[];
  /** Entries built as CommonJS only (the CLI's executables). */
  readonly cjsOnly?: string[];
  /** Share modules between entries (default true); off when the entries share nothing. */
  readonly splitting?: boolean;
}

const common: Options = {
  tsconfig: 'tsconfig.build.json',
  target: 'es2022',
  platform: 'node',
  sourcemap: true,
  // shared modules stay shared between entries (e.g. @cloud-infinite/mock and /msw see one FakeCiService class)
  splitting: true,
  treeshake: false,
  // a deep `require()` of a dependency's internal CommonJS file (fast-xml-parser/src/…) cannot stay a
  // `require` in ESM (nor for a browser bundler): inline it
  noExternal: [/^fast-xml-parser\/src\//],
};

/** The configurations of one package; empties its dist/ first (once: tsup runs the configurations in parallel). */
export function tsupOptions(build: PackageBuild): Options[] {
  rmSync('dist', { recursive: true, force: true });
  const cjsOnly = build.cjsOnly ?? [];
  const dual = build.entry.filter((e) => !cjsOnly.includes(e));
  const out: Options[] = [
    {
      ...common,
      entry: dual,
      format: ['cjs', 'esm'],
      external: build.external ?? [],
      dts: { entry: build.dtsEntry },
      splitting: build.splitting ?? true,
    },
  ];
  if (cjsOnly.length) out.push({ ...common, entry: cjsOnly, format: ['cjs'], external: build.external ?? [], splitting: false });
  return out;
}
