/**
 * `npm run smoke`: the packed tarballs installed as a user would (npm install of the .tgz files, dependencies
 * from the npm cache first), in throwaway projects of a temporary folder, each calling the fake CI service:
 *   cjs         require() of @cloud-infinite/client and /mock (the CommonJS build)
 *   esm         import (the ESM build)
 *   ts-node16   TypeScript, module/moduleResolution node16, "type": "module": tsc, then node on the output
 *   ts-bundler  TypeScript, moduleResolution bundler: tsc --noEmit, then bundled by esbuild (Node) and run
 *   browser     probe.mjs bundled by esbuild for the browser (#crypto → @noble/hashes), run in Node
 *   cli         the ci-media binary of the cli tarball (--version)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DEMO_CREDENTIALS, DEMO_QUEUE_ID, startFakeCi } from '@cloud-infinite/mock';
import { bundleProbe } from './browser-test.mjs';
import { packAll, repo, tempDir } from './pack.mjs';

const JOBS = 4;
const TSC = join(repo, 'node_modules/typescript/bin/tsc');
const TYPE_ROOTS = [join(repo, 'node_modules/@types')];
const keep = process.argv.includes('--keep');

/** The consumer code, TypeScript-valid and ESM: starts its own fake, one DescribeMediaJobs, checks it. */
const ESM_MAIN = `import { CiMediaClient, CiServiceError } from '@cloud-infinite/client';
import { DEMO_CREDENTIALS, DEMO_QUEUE_ID, startFakeCi } from '@cloud-infinite/mock';

const ci = await startFakeCi({ jobs: ${JOBS} });
try {
  const client = new CiMediaClient({ endpoint: ci.url, credentials: DEMO_CREDENTIALS });
  const page = await client.describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation' });
  const n: number = page.JobsDetail.length;
  if (n !== ${JOBS}) throw new Error('jobs: ' + n);
  const missing = await client.describeMediaJob({ jobIds: ['j' + '0'.repeat(32)] }).catch((e: unknown) => e);
  if (missing instanceof CiServiceError) throw new Error('an unknown id is not an error');
  console.log('ok ' + n + ' jobs, request ' + page.$metadata.requestId);
} finally {
  await ci.close();
}
`;
const untyped = (ts) => ts.replace(/: (number|unknown)\b/g, '');

const CJS_MAIN = `const { CiMediaClient } = require('@cloud-infinite/client');
const { DEMO_CREDENTIALS, DEMO_QUEUE_ID, startFakeCi } = require('@cloud-infinite/mock');
const runtime = require('@cloud-infinite/runtime');
(async () => {
  const ci = await startFakeCi({ jobs: ${JOBS} });
  try {
    const client = new CiMediaClient({ endpoint: ci.url, credentials: DEMO_CREDENTIALS });
    const page = await client.describeMediaJobs({ queueId: DEMO_QUEUE_ID, tag: 'Animation' });
    if (page.JobsDetail.length !== ${JOBS}) throw new Error('jobs: ' + page.JobsDetail.length);
    if (typeof runtime.createAuthorization !== 'function') throw new Error('runtime');
    console.log('ok ' + page.JobsDetail.length + ' jobs, request ' + page.$metadata.requestId);
  } finally {
    await ci.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
`;

function write(dir, files) {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files))
    writeFileSync(join(dir, name), typeof text === 'string' ? text : `${JSON.stringify(text, null, 2)}\n`);
}
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const tsconfig = (options) => ({
  compilerOptions: { target: 'ES2022', strict: true, skipLibCheck: false, typeRoots: TYPE_ROOTS, types: ['node'], ...options },
  include: ['index.ts'],
});

async function main() {
  const root = tempDir('smoke');
  const results = [];
  const step = async (name, fn) => {
    const t = Date.now();
    try {
      const out = await fn();
      results.push([name, true]);
      console.log(`ok   ${name.padEnd(11)} ${((Date.now() - t) / 1000).toFixed(1)} s  ${out ?? ''}`);
    } catch (err) {
      results.push([name, false]);
      console.error(`FAIL ${name}\n${err.stdout ?? ''}${err.stderr ?? ''}${err.stack ?? err}`);
    }
  };
  try {
    const t0 = Date.now();
    const tgz = packAll(root);
    write(root, { 'package.json': { name: 'smoke', private: true } });
    // the tarballs, their dependencies from the npm cache (npm ci filled it) when there, else the registry
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-save', tgz.runtime, tgz.client, tgz.mock, tgz.cli], root);
    console.log(`packed and installed the 4 tarballs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    await step('cjs', () => {
      write(join(root, 'cjs'), { 'package.json': { type: 'commonjs' }, 'index.js': CJS_MAIN });
      return run('node', ['index.js'], join(root, 'cjs'));
    });
    await step('esm', () => {
      write(join(root, 'esm'), { 'package.json': { type: 'module' }, 'index.js': untyped(ESM_MAIN) });
      return run('node', ['index.js'], join(root, 'esm'));
    });
    await step('ts-node16', () => {
      const dir = join(root, 'ts-node16');
      write(dir, {
        'package.json': { type: 'module' },
        'index.ts': ESM_MAIN,
        'tsconfig.json': tsconfig({ module: 'node16', moduleResolution: 'node16', outDir: 'out' }),
      });
      run('node', [TSC, '-p', '.'], dir);
      return run('node', ['out/index.js'], dir);
    });
    await step('ts-bundler', async () => {
      const dir = join(root, 'ts-bundler');
      write(dir, {
        'package.json': { type: 'module' },
        'index.ts': ESM_MAIN,
        'tsconfig.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler', noEmit: true }),
      });
      run('node', [TSC, '-p', '.'], dir);
      await build({
        absWorkingDir: dir,
        entryPoints: ['index.ts'],
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: 'out/index.mjs',
        logLevel: 'warning',
      });
      return run('node', ['out/index.mjs'], dir);
    });
    await step('browser', async () => {
      const dir = join(root, 'browser');
      mkdirSync(dir);
      cpSync(join(repo, 'tools/packaging/probe.mjs'), join(dir, 'probe.mjs'));
      const { code, bytes } = await bundleProbe(dir, './probe.mjs');
      const ci = await startFakeCi({ jobs: JOBS });
      try {
        new Function(code)();
        const got = await globalThis.probe({ url: ci.url, credentials: DEMO_CREDENTIALS, queueId: DEMO_QUEUE_ID, jobs: JOBS });
        return `bundle ${(bytes / 1024).toFixed(1)} KiB (no node:crypto, no Buffer), ${got.jobs} jobs, created ${got.created}`;
      } finally {
        await ci.close();
      }
    });
    await step('cli', () => `ci-media ${run(join(root, 'node_modules/.bin/ci-media'), ['--version'], root)}`);
    console.log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s${keep ? `, kept in ${root}` : ''}`);
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
  const failed = results.filter(([, ok]) => !ok).length;
  console.log(`smoke: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
