/**
 * The API report of one entry point: every exported declaration with its full signature (members, parameters,
 * types, modifiers), as @microsoft/api-extractor writes it from the built declaration file. A new method, field
 * or parameter, or a changed type, changes the report, so it shows as a diff in review. Declarations the public API
 * reaches without exporting them are in the report too (`includeForgottenExports`): the client's generated
 * `CiMediaOperations` base class, whose methods are `CiMediaClient`'s, is how a new operation shows.
 *
 * api-extractor brings its own TypeScript compiler (it reads declaration files only; the packages are built with
 * the workspace's TypeScript 5.9). Its messages about release tags and TSDoc syntax are left out: the reports are
 * about signatures.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Extractor, ExtractorConfig, ExtractorLogLevel, type ExtractorMessage } from '@microsoft/api-extractor';

/** The compiler options the declarations are read with: Node's globals (fetch, AbortSignal…), no DOM lib. */
const COMPILER_OPTIONS = {
  target: 'es2022',
  module: 'node16',
  moduleResolution: 'node16',
  strict: true,
  skipLibCheck: true,
  types: ['node'],
  lib: ['es2022'],
};

/**
 * The API report (Markdown holding a `ts` block) of the declaration file `entry` of the package in
 * `packageFolder` (which has its package.json). Throws naming the problems when the declarations do not compile
 * or api-extractor cannot analyse them.
 */
export function apiReport(packageFolder: string, entry: string): string {
  const out = mkdtempSync(join(tmpdir(), 'api-report-'));
  try {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: packageFolder,
        mainEntryPointFilePath: join(packageFolder, entry),
        compiler: { overrideTsconfig: { compilerOptions: COMPILER_OPTIONS, files: [join(packageFolder, entry)] } },
        apiReport: {
          enabled: true,
          reportFolder: out,
          reportTempFolder: out,
          reportFileName: 'entry.api.md',
          includeForgottenExports: true,
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
          extractorMessageReporting: { default: { logLevel: ExtractorLogLevel.None, addToApiReportFile: false } },
          tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None, addToApiReportFile: false } },
        },
      },
      configObjectFullPath: undefined,
      packageJsonFullPath: join(packageFolder, 'package.json'),
    });
    const problems: string[] = [];
    let succeeded = false;
    try {
      succeeded = Extractor.invoke(config, {
        localBuild: true,
        messageCallback: (message: ExtractorMessage) => {
          if (message.logLevel === ExtractorLogLevel.Error || message.logLevel === ExtractorLogLevel.Warning)
            problems.push(message.formatMessageWithLocation(packageFolder));
          message.handled = true;
        },
      }).succeeded;
    } catch (err) {
      // api-extractor stops with an "internal error" on some declarations that do not compile (an unknown type)
      problems.push((err instanceof Error ? err.message : String(err)).split('\n')[0]!);
    }
    if (!succeeded || problems.length) {
      throw new Error(`api-extractor could not report ${entry} of ${packageFolder}:\n  ${problems.join('\n  ') || 'it failed'}`);
    }
    return readFileSync(join(out, 'entry.api.md'), 'utf8').replace(/\r\n/g, '\n');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
