/**
 * `ci-media mock serve`: the fake CI service of `@cloud-infinite/mock` as a local HTTP server, for trying the
 * CLI or an application offline. Runs until interrupted (Ctrl-C).
 */
import { Command, Option } from 'commander';
import {
  DEFAULT_JOB_PROGRESSION,
  DEMO_BUCKET,
  DEMO_CREDENTIALS,
  DEMO_QUEUE_ID,
  DEMO_REGION,
  MAX_AFTER_MS,
  startFakeCi,
  type JobProgression,
} from '@cloud-infinite/mock';
import { defineAction, isLoopbackHost, intInRange, UsageError, type CliIo } from '../common';

type ServeFlags = {
  port: number;
  host: string;
  seed: number;
  jobs: number;
  progression?: JobProgression | undefined;
  cors?: boolean | undefined;
  deliverNotifications?: boolean | undefined;
};

function parseProgression(value: string): JobProgression {
  if (value === 'immediate' || value === 'manual') return value;
  const polls = /^after-polls=(\d{1,4})$/.exec(value);
  if (polls && Number(polls[1]) >= 1) return { afterPolls: Number(polls[1]) };
  const ms = /^after-ms=(\d{1,8})$/.exec(value);
  if (ms && Number(ms[1]) >= 1 && Number(ms[1]) <= MAX_AFTER_MS) return { afterMs: Number(ms[1]) };
  throw new UsageError(`--progression must be after-ms=N (1..${MAX_AFTER_MS}), immediate, manual or after-polls=N (N >= 1)`);
}

/** Registers `ci-media mock serve`. */
export function registerMockCommands(program: Command, io: CliIo): void {
  const mock = program.command('mock').description('the fake CI service (@cloud-infinite/mock), offline');
  const serve = mock
    .command('serve')
    .description('run the fake CI service on a local port until interrupted (signature-checking, with the demo key)')
    .addOption(new Option('--port <n>', 'port (0: any free port)').argParser(intInRange(0, 65535)).default(9000))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--seed <n>', 'seed of the data and ids').argParser(intInRange(0, 2 ** 31 - 1)).default(1))
    .addOption(new Option('--jobs <n>', 'animation jobs seeded in the default queue').argParser(intInRange(0, 1_000_000)).default(200))
    .addOption(
      new Option(
        '--progression <mode>',
        `how created jobs advance: after-ms=N (N ms in each of Submitted and Running, on the clock; default after-ms=${DEFAULT_JOB_PROGRESSION.afterMs}), immediate, manual or after-polls=N`,
      ).argParser(parseProgression),
    )
    .option('--cors', 'answer CORS preflights and allow any origin (for a browser app)')
    .option(
      '--deliver-notifications',
      "POST job notifications to the jobs' CallBack (loopback hosts only; without it they are recorded, not sent). Not with --cors or a --host others can reach",
    );
  defineAction<ServeFlags>(serve, async (flags) => {
    if (flags.deliverNotifications && (flags.cors || !isLoopbackHost(flags.host))) {
      // anyone who reaches the fake (a web page, with --cors; the network, on another address) could make it POST to
      // this machine's own local services
      throw new UsageError('--deliver-notifications needs a loopback --host (127.0.0.1, localhost, ::1) and no --cors');
    }
    const fake = await startFakeCi({
      notifications: { send: flags.deliverNotifications === true },
      port: flags.port,
      host: flags.host,
      seed: flags.seed,
      jobs: flags.jobs,
      ...(flags.progression ? { jobProgression: flags.progression } : {}),
      ...(flags.cors ? { cors: true } : {}),
    });
    io.stdout(
      [
        `fake CI service on ${fake.url} (${flags.jobs} seeded jobs in queue ${DEMO_QUEUE_ID}); Ctrl-C stops it`,
        'use it with the demo key (not a secret):',
        `  export CI_ENDPOINT=${fake.url} CI_BUCKET=${DEMO_BUCKET} CI_REGION=${DEMO_REGION}`,
        `  export TENCENTCLOUD_SECRET_ID=${DEMO_CREDENTIALS.secretId} TENCENTCLOUD_SECRET_KEY=${DEMO_CREDENTIALS.secretKey}`,
        `  ci-media jobs list --queue-id ${DEMO_QUEUE_ID}`,
        '',
      ].join('\n'),
    );
    try {
      await new Promise<void>((resolve) => {
        if (!io.signal) return; // no way to be interrupted in-process: serve until the process ends
        if (io.signal.aborted) return resolve();
        io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      await fake.close();
      io.stderr('fake CI service stopped\n');
    }
  });
}
