#!/usr/bin/env node
/**
 * `npm run lint:spec`: lints specs/ci-media.openapi.yaml with Redocly CLI, using specs/redocly.yaml (and the
 * per-location ignores in specs/.redocly.lint-ignore.yaml). Exits non-zero on any error-level problem.
 *
 * Runs offline: usage telemetry is off (here and in the config) and the CLI's update check and
 * announcements are suppressed, so linting never reaches the network. Extra arguments are passed on,
 * e.g. `npm run lint:spec -- --format=stylish`.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { dirname, join, resolve } = require('node:path');

const repo = resolve(__dirname, '../..');
const cli = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin/cli.js');
// Redocly CLI prints a boxed "Node.js 20 support is ending" notice on every run under Node 20, with no setting to turn it
// off (2.77): say what it is about before it appears.
if (Number(process.versions.node.split('.')[0]) === 20) {
  process.stderr.write(
    'spec-lint: the "Node.js 20 support is ending" box below is Redocly CLI\'s notice about its own future releases (a dev\n' +
      'tool; the version pinned here supports Node 20). The published packages do not use it (README, "Node versions").\n',
  );
}
const result = spawnSync(process.execPath, [cli, 'lint', '--config', join(repo, 'specs/redocly.yaml'), ...process.argv.slice(2)], {
  cwd: repo,
  stdio: 'inherit',
  env: {
    ...process.env,
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
  },
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
