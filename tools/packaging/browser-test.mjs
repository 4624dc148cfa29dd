/**
 * `npm run test:browser`: the client in headless Chromium (Debian's `chromium`, driven by playwright-core; no
 * browser download). tools/packaging/probe.mjs is bundled by esbuild for the browser (so `#crypto` is
 * @noble/hashes and nothing of Node is in it), loaded in a page of one origin, and calls the fake CI service
 * (startFakeCi with `cors`) on another: a known signature, DescribeMediaJobs, CreateMediaJobs (Content-MD5).
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { DEMO_CREDENTIALS, DEMO_QUEUE_ID, startFakeCi } from '@cloud-infinite/mock';
import { repo } from './pack.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const JOBS = 7;

/** Bundles the probe for a browser page; fails when anything of Node made it into the bundle. */
export async function bundleProbe(absWorkingDir, entry) {
  const out = await build({
    absWorkingDir,
    stdin: {
      contents: `import { probe } from ${JSON.stringify(entry)}; globalThis.probe = probe;`,
      resolveDir: absWorkingDir,
      loader: 'js',
    },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    metafile: true,
    // as a consumer's bundler sees the packages: not through the workspace's tsconfig `paths` (#crypto → src)
    tsconfigRaw: '{}',
    // drops comments (a dependency's JSDoc may mention Buffer) so the scan below sees only code
    minifyWhitespace: true,
    logLevel: 'warning',
  });
  const code = out.outputFiles[0].text;
  const inputs = Object.keys(out.metafile.inputs);
  const nodeOnly = inputs.filter((f) => /crypto[\\/]node\.m?js$/.test(f));
  if (nodeOnly.length) throw new Error(`the browser bundle holds Node's crypto: ${nodeOnly.join(', ')}`);
  if (!inputs.some((f) => /crypto[\\/]web\.m?js$/.test(f))) throw new Error('the browser bundle does not use crypto/web (@noble/hashes)');
  if (/\bnode:[a-z]|(?<![\w$])Buffer\b|(?<![\w$])require\(/.test(code))
    throw new Error('the browser bundle mentions node:, Buffer or require(');
  return { code, bytes: Buffer.byteLength(code) };
}

async function main() {
  if (!existsSync(CHROMIUM)) {
    console.log(`test:browser: SKIPPED, no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`);
    return;
  }
  const t0 = Date.now();
  const { code, bytes } = await bundleProbe(repo, './tools/packaging/probe.mjs');
  const page = createServer((req, res) => {
    if (req.url === '/probe.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>probe</title><script src="/probe.js"></script>');
  });
  await new Promise((resolve) => page.listen(0, '127.0.0.1', resolve));
  const pageUrl = `http://127.0.0.1:${page.address().port}`;
  const ci = await startFakeCi({ jobs: JOBS, cors: pageUrl });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  let passed = 0;
  try {
    const tab = await browser.newPage();
    const errors = [];
    tab.on('pageerror', (err) => errors.push(err.message));
    await tab.goto(pageUrl);
    const result = await tab.evaluate((args) => globalThis.probe(args), {
      url: ci.url,
      credentials: DEMO_CREDENTIALS,
      queueId: DEMO_QUEUE_ID,
      jobs: JOBS,
    });
    const ua = await tab.evaluate(() => navigator.userAgent);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    if (!result.created) throw new Error('CreateMediaJobs returned no JobId');
    passed = 3; // signature, describe, create
    console.log(
      `${ua.split(' ').find((s) => s.startsWith('HeadlessChrome') || s.startsWith('Chrome')) ?? ua}: bundle ${(bytes / 1024).toFixed(1)} KiB;`,
      JSON.stringify(result),
    );
  } finally {
    await browser.close();
    await ci.close();
    page.close();
  }
  console.log(`test:browser: ${passed} passed, 0 failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(`test:browser: 0 passed, 1 failed\n${err.stack ?? err}`);
    process.exit(1);
  });
}
