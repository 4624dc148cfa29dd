/**
 * The `ci-media` program: a commander tree whose output goes to injected I/O and which throws instead of
 * exiting, so that it runs in-process (tests) as well as from `bin.ts`.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, reportError, withRedactedStderr, type CliIo } from './common';
import { registerJobsCommands } from './commands/jobs';
import { registerQueuesCommands } from './commands/queues';
import { registerTemplatesCommands } from './commands/templates';
import { registerSignCommand } from './commands/sign';
import { registerMockCommands } from './commands/mock';
import { registerRecordCommand } from './commands/record';
import { registerNotifyCommands } from './commands/notify';
import { VERSION } from './version';

/** The I/O a program is built with; see {@link CliIo}. */
export type { CliIo } from './common';

/** Applies the in-process settings to a command and every subcommand (`addCommand` does not inherit them). */
function configure(cmd: Command, io: CliIo): void {
  cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).showHelpAfterError('(add --help for usage)');
  for (const sub of cmd.commands) configure(sub, io);
}

/**
 * Builds the `ci-media` command tree. Output (help, usage errors, results) goes to `io`; on a usage error,
 * `--help` or `--version` commander throws a `CommanderError` instead of exiting (see {@link run}).
 * Each command group lives in `src/commands/<group>.ts` and registers itself here.
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('ci-media')
    .description('Tencent Cloud Infinite (CI) media jobs from the command line')
    .version(VERSION, '-V, --version', 'print the version')
    .helpCommand(true);
  registerJobsCommands(program, io);
  registerQueuesCommands(program, io);
  registerTemplatesCommands(program, io);
  registerSignCommand(program, io);
  registerMockCommands(program, io);
  registerRecordCommand(program, io);
  registerNotifyCommands(program, io);
  // after every group is registered, so that each subcommand gets the settings whatever way it was added
  configure(program, io);
  return program;
}

/**
 * Runs `ci-media` with `argv` (the arguments after the program name) and resolves with the exit code:
 * 0 on success (and for `--help`, `--version`), 1 when the request failed (the error is on stderr),
 * 2 on a usage error. Never rejects and never calls `process.exit`. Standard error never shows the
 * environment's SecretKey or session token (`withRedactedStderr`).
 */
export async function run(argv: readonly string[], given: CliIo): Promise<number> {
  const io = withRedactedStderr(given);
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return ExitCode.Ok;
  } catch (err) {
    // commander has already printed its message (usage errors) or the help/version text
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    return reportError(err, io);
  }
}
