/**
 * bundle: the gzipped size of a browser consumer (bundle/consumer.ts: a CiClient and one describeMediaJobs
 * call), bundled by esbuild (minified, platform browser, ES2022, ESM, code splitting) as a consumer's bundler
 * would (bundle/tsconfig.json: none of the monorepo's tsconfig paths), against the official browser SDK's own
 * minified dist (cos-js-sdk-v5/dist/cos-js-sdk-v5.min.js). Both gzipped at level 9. The size is what the page
 * loads first: the entry chunk and the chunks it imports statically; a chunk loaded by a dynamic import (the XML
 * fallback reader, fetched only for a document outside the single-pass subset) is reported apart. The same
 * consumer with CiMediaClient (bundle/consumer-full.ts: every operation) is measured for information.
 *
 * Builds:
 * - `published` (the budget): @cloud-infinite/* as published (their dist/, the `import` + `browser`/`default`
 *   conditions). Signing needs SHA-1/HMAC/MD5: a runtime that takes them from `#crypto` (package.json
 *   `imports`) gets @noble/hashes in a browser; a runtime that imports `node:crypto` directly gets
 *   bundle/crypto-shim.ts aliased in its place (plain-JS SHA-1, MD5, HMAC: a bundle that can run, and what a
 *   portable signer costs) — the build's name says which happened, and then a second build leaves `node:*`
 *   external (the SDK's own code only);
 * - `sources (ESM)`: the TypeScript sources bundled directly (what tree-shaking can do with ESM).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash, createHmac } from 'node:crypto';
import { build, type Metafile, type Plugin } from 'esbuild';
import * as shim from '../../bundle/crypto-shim';
import { type Ratio } from '../harness';

const ROOT = resolve(__dirname, '../../..');
const CONSUMER = resolve(__dirname, '../../bundle/consumer.ts');
const CONSUMER_FULL = resolve(__dirname, '../../bundle/consumer-full.ts');
const SHIM = resolve(__dirname, '../../bundle/crypto-shim.ts');
const COS_JS = resolve(ROOT, 'node_modules/cos-js-sdk-v5/dist/cos-js-sdk-v5.min.js');

/** The budget of the consumer bundle, gzipped. */
export const BUDGET_BYTES = 24 * 1024;

export interface BundleBuild {
  readonly name: string;
  readonly minified: number;
  /** What the page loads first (the entry and its static imports), gzipped. */
  readonly gzipped: number;
  /** The chunks loaded on demand (dynamic imports: the XML fallback reader), gzipped. */
  readonly lazyGzipped: number;
  /** Minified bytes by origin, largest first. */
  readonly contributors: ReadonlyArray<readonly [string, number]>;
}

export interface BundleCase {
  readonly builds: BundleBuild[];
  readonly cos: { minified: number; gzipped: number };
  readonly ratios: Ratio[];
}

const CONSUMER_TSCONFIG = resolve(__dirname, '../../bundle/tsconfig.json');

/** Aliases `node:crypto` to the shim, and records that it did. */
function cryptoShim(used: { shim: boolean }): Plugin {
  return {
    name: 'crypto-shim',
    setup(b) {
      b.onResolve({ filter: /^(node:)?crypto$/ }, () => {
        used.shim = true;
        return { path: SHIM };
      });
    },
  };
}

const fromSources: Plugin = {
  name: 'sdk-sources',
  setup(b) {
    b.onResolve({ filter: /^@cloud-infinite\/(client|runtime)$/ }, (args) => ({
      path: resolve(ROOT, `packages/${args.path.split('/')[1]}/src/index.ts`),
    }));
    // the runtime's `#crypto` as a browser gets it (package.json `imports`, `default` condition), from sources
    b.onResolve({ filter: /^#crypto$/ }, () => ({ path: resolve(ROOT, 'packages/runtime/src/crypto/web.ts') }));
  },
};

function origin(path: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (m) return m[1]!;
  if (path.includes('packages/client/dist/')) return '@cloud-infinite/client dist (client, generated shapes, operations, validators)';
  if (path.includes('packages/runtime/dist/crypto/')) return '@cloud-infinite/runtime dist: #crypto (browser)';
  if (path.includes('packages/runtime/dist/'))
    return '@cloud-infinite/runtime dist (signer, transport, xml + fast-xml-parser validator, …)';
  if (path.includes('generated/validators')) return '@cloud-infinite/client: generated validators (ajv standalone)';
  if (path.includes('generated/')) return '@cloud-infinite/client: generated shapes, operations, methods';
  if (path.includes('packages/client/')) return '@cloud-infinite/client: client';
  if (path.includes('packages/runtime/') && path.includes('/xml/')) return '@cloud-infinite/runtime: xml';
  if (path.includes('packages/runtime/') && path.includes('/crypto/')) return '@cloud-infinite/runtime: #crypto (browser)';
  if (path.includes('packages/runtime/')) return '@cloud-infinite/runtime: signer, transport, errors, …';
  if (path.includes('crypto-shim')) return 'bench crypto shim (stands in for node:crypto)';
  return path.replace(`${ROOT}/`, '');
}

async function bundle(name: string, plugins: Plugin[], external: string[], entry = CONSUMER): Promise<BundleBuild> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    outdir: resolve(ROOT, 'bench/.bundle-out'),
    write: false,
    metafile: true,
    logLevel: 'silent',
    external,
    plugins,
    absWorkingDir: ROOT,
    tsconfig: CONSUMER_TSCONFIG,
  });
  const outputs = (result.metafile as Metafile).outputs;
  const files = new Map(result.outputFiles.map((f) => [resolve(f.path), f.contents]));
  const entryName = Object.keys(outputs).find((o) => outputs[o]!.entryPoint !== undefined)!;
  // what the page loads first: the entry and, transitively, the chunks it imports statically
  const initial = new Set<string>();
  const visit = (o: string) => {
    if (initial.has(o)) return;
    initial.add(o);
    for (const imp of outputs[o]!.imports) if (imp.kind === 'import-statement' && outputs[imp.path]) visit(imp.path);
  };
  visit(entryName);
  const gz = (names: Iterable<string>) => {
    let minified = 0;
    let gzipped = 0;
    for (const o of names) {
      const code = files.get(resolve(ROOT, o))!;
      minified += code.byteLength;
      gzipped += gzipSync(code, { level: 9 }).byteLength;
    }
    return { minified, gzipped };
  };
  const lazy = Object.keys(outputs).filter((o) => !initial.has(o) && !o.endsWith('.map'));
  const byOrigin = new Map<string, number>();
  for (const o of initial) {
    for (const [path, { bytesInOutput }] of Object.entries(outputs[o]!.inputs)) {
      const key = origin(resolve(ROOT, path));
      byOrigin.set(key, (byOrigin.get(key) ?? 0) + bytesInOutput);
    }
  }
  const first = gz(initial);
  return {
    name,
    minified: first.minified,
    gzipped: first.gzipped,
    lazyGzipped: lazy.length ? gz(lazy).gzipped : 0,
    contributors: [...byOrigin].sort((a, b) => b[1] - a[1]),
  };
}

/** The shim must agree with node:crypto, or the bundle measured would not be a working one. */
function checkShim(): void {
  for (const text of ['', 'abc', 'x'.repeat(55), 'y'.repeat(64), '中文 夏天 '.repeat(20), 'get\n/jobs\n\nhost=a\n']) {
    for (const alg of ['sha1', 'md5']) {
      for (const enc of ['hex', 'base64'] as const) {
        if (shim.createHash(alg).update(text).digest(enc) !== createHash(alg).update(text).digest(enc)) {
          throw new Error(`bundle: the crypto shim's ${alg} differs from node:crypto`);
        }
      }
    }
    for (const key of ['k', 'z'.repeat(80)]) {
      if (shim.createHmac('sha1', key).update(text).digest('hex') !== createHmac('sha1', key).update(text).digest('hex')) {
        throw new Error("bundle: the crypto shim's HMAC-SHA1 differs from node:crypto");
      }
    }
  }
}

export async function runBundle(): Promise<BundleCase> {
  checkShim();
  const used = { shim: false };
  const published = await bundle('published', [cryptoShim(used)], []);
  const builds = [
    used.shim
      ? { ...published, name: 'published, node:crypto → bench crypto shim' }
      : { ...published, name: 'published (#crypto → @noble/hashes)' },
  ];
  if (used.shim) builds.push(await bundle('published, node built-ins external', [], ['node:*']));
  const sourcesUsed = { shim: false };
  const sources = await bundle('sources (ESM)', [fromSources, cryptoShim(sourcesUsed)], []);
  builds.push(sourcesUsed.shim ? { ...sources, name: 'sources (ESM), node:crypto → bench crypto shim' } : sources);
  builds.push(await bundle('published, CiMediaClient (every operation)', [cryptoShim({ shim: false })], [], CONSUMER_FULL));
  const cosCode = readFileSync(COS_JS);
  const cos = { minified: cosCode.byteLength, gzipped: gzipSync(cosCode, { level: 9 }).byteLength };
  const budget = builds[0]!;
  return {
    builds,
    cos,
    ratios: [
      {
        case: 'bundle',
        what: `consumer bundle, gzipped (${budget.name})`,
        value: budget.gzipped / 1024,
        target: BUDGET_BYTES / 1024,
        direction: '<=',
        unit: ' KiB',
        enforced: true,
      },
      {
        case: 'bundle',
        what: 'consumer bundle ÷ cos-js-sdk-v5.min.js, gzipped',
        value: budget.gzipped / cos.gzipped,
        target: 1,
        direction: '<=',
        unit: '×',
        enforced: false,
        note: 'informational',
      },
    ],
  };
}
