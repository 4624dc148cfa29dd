#!/usr/bin/env node
/**
 * The Node versions a dependency accepts (its `engines.node`, as recorded in package-lock.json) must cover every
 * Node version we claim for the code that uses it:
 *
 * - the **workspace** claim, the root package.json `engines.node`: where the repository is developed and tested
 *   (CI runs it). Every devDependency of every workspace package, and every dependency of a private one (tools,
 *   bench, examples), must accept all of it;
 * - each **published** package's own `engines.node` (what users read on npm): its dependencies and peer
 *   dependencies — and theirs, transitively, since users install them all — must accept all of it; and the
 *   workspace claim must lie inside it (we only test on versions the packages claim);
 * - and every other package of the lockfile (what `npm ci` installs here, and checks with EBADENGINE) must accept
 *   the workspace claim.
 *
 * "Accept all of it" is `semver.subset(claim, engines)`: a dependency without `engines.node` accepts everything.
 * Exits 1 listing each dependency that does not, with a version of the claim it refuses. Run by `npm run lint`
 * (nx target repo-lint:checks). Usage: `node tools/repo-lint/check-engines.mjs [path/to/package-lock.json]`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

/** The lockfile entry (and its key) that `name` resolves to from the package at `from`, as Node resolves it. */
export function resolveEntry(packages, from, name) {
  const parts = from === '' ? [] : from.split('/');
  for (let i = parts.length; i >= 0; i--) {
    const dir = parts.slice(0, i).join('/');
    if (dir.endsWith('node_modules')) continue;
    const key = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    let entry = packages[key];
    if (entry === undefined) continue;
    // a workspace package: `node_modules/<name>` is a link to its folder
    if (entry.link) return { key: entry.resolved, entry: packages[entry.resolved] ?? {} };
    return { key, entry };
  }
  return undefined;
}

/** A version that satisfies `claim` but not `accepted`, to make a failure concrete; undefined when none is found. */
export function refusedVersion(claim, accepted) {
  const candidates = [semver.minVersion(claim)?.version];
  for (let major = 0; major <= 40; major++) for (let minor = 0; minor <= 40; minor++) candidates.push(`${major}.${minor}.0`);
  return candidates.find((v) => v !== undefined && semver.satisfies(v, claim) && !semver.satisfies(v, accepted));
}

const RUNTIME_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'];

/**
 * Every problem of a lockfile (v2/v3 `packages` map), as lines of text; empty when every claim is covered.
 * `checked` counts the checks made.
 */
export function checkEngines(lock) {
  const packages = lock.packages ?? {};
  const root = packages[''] ?? {};
  const workspaceClaim = root.engines?.node;
  const problems = [];
  let checked = 0;
  if (!workspaceClaim || !semver.validRange(workspaceClaim)) {
    return { problems: [`package.json: engines.node must be a valid range (the Node versions the workspace is developed on)`], checked };
  }
  const workspaces = Object.keys(packages).filter((key) => !key.split('/').includes('node_modules'));
  /** Lockfile keys already reported against the workspace claim (not reported again by the last loop). */
  const reported = new Set();
  const accepts = (what, key, entry, claim, claimName) => {
    checked++;
    const accepted = entry.engines?.node;
    if (accepted === undefined || semver.subset(claim, accepted)) return;
    if (claim === workspaceClaim) reported.add(key);
    const example = refusedVersion(claim, accepted);
    problems.push(
      `${what}@${entry.version ?? '?'} requires node "${accepted}", which does not cover ${claimName} "${claim}"` +
        (example ? ` (e.g. ${example})` : ''),
    );
  };
  for (const ws of workspaces) {
    const pkg = packages[ws];
    const label = ws === '' ? 'package.json' : `${ws}/package.json`;
    const published = ws !== '' && !pkg.private && pkg.engines?.node !== undefined;
    const ownClaim = published ? pkg.engines.node : workspaceClaim;
    if (published && !semver.validRange(ownClaim)) problems.push(`${label}: engines.node "${ownClaim}" is not a valid range`);
    else if (published && !semver.subset(workspaceClaim, ownClaim)) {
      problems.push(
        `${label}: engines.node "${ownClaim}" does not cover the workspace's "${workspaceClaim}" (the versions it is tested on)`,
      );
    }
    for (const field of ['devDependencies', ...RUNTIME_FIELDS]) {
      const runtime = field !== 'devDependencies';
      const claim = runtime && published ? ownClaim : workspaceClaim;
      const claimName = runtime && published ? `${pkg.name}'s engines.node` : `the workspace's engines.node`;
      for (const name of Object.keys(pkg[field] ?? {})) {
        const found = resolveEntry(packages, ws, name);
        if (found === undefined) {
          const optional = field === 'optionalDependencies' || pkg.peerDependenciesMeta?.[name]?.optional;
          if (!optional) problems.push(`${label}: ${field} ${name} is not in package-lock.json (run npm install)`);
          continue;
        }
        accepts(`${label}: ${field} ${name}`, found.key, found.entry, claim, claimName);
        // what users of a published package install with it: its dependencies, all the way down
        if (runtime && published)
          walk(
            packages,
            found.key,
            new Set([found.key]),
            (key, entry, path) => accepts(`${label}: ${path}`, key, entry, claim, claimName),
            name,
          );
      }
    }
  }
  // everything else npm ci installs here
  for (const [key, entry] of Object.entries(packages)) {
    if (!key.split('/').includes('node_modules') || entry.link || reported.has(key)) continue;
    accepts(`package-lock.json: ${key}`, key, entry, workspaceClaim, `the workspace's engines.node`);
  }
  return { problems, checked };
}

/** Calls `visit` for each (non-dev) dependency reachable from the lockfile entry at `key`, once each. */
function walk(packages, key, seen, visit, path) {
  const entry = packages[key] ?? {};
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
    for (const name of Object.keys(entry[field] ?? {})) {
      const found = resolveEntry(packages, key, name);
      if (found === undefined || seen.has(found.key)) continue;
      seen.add(found.key);
      visit(found.key, found.entry, `${path} > ${name}`);
      walk(packages, found.key, seen, visit, `${path} > ${name}`);
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const lockPath = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../package-lock.json');
  const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  const { problems, checked } = checkEngines(lock);
  if (problems.length > 0) {
    console.error(`engines: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log(
    `engines: ok, ${checked} checks: every package of the lockfile accepts the Node versions claimed (workspace "${lock.packages[''].engines.node}")`,
  );
}
