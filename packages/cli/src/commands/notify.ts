/**
 * `ci-media notify listen`: a local receiver of job notifications (what CI POSTs to a job's `CallBack` URL when it
 * ends, XML or JSON), printing each as it arrives: a table line (job, state, event, output), or with `--json` /
 * `--ndjson` the decoded notification, one JSON document per line. Bad bodies are answered 4xx and reported on
 * stderr. Runs until interrupted (Ctrl-C). Built on the client's `createNotificationHandler`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command, Option } from 'commander';
import { createNotificationHandler, type JobNotification, type NotificationFormat } from '@cloud-infinite/client';
import { defineAction, intInRange, isLoopbackHost, UsageError, type CliIo } from '../common';
import { sanitize, terminalSafeJson } from '../table';

type ListenFlags = {
  port: number;
  host: string;
  path: string;
  json?: boolean | undefined;
  ndjson?: boolean | undefined;
  token?: string | undefined;
  tokenEnv?: string | undefined;
  expect?: NotificationFormat | undefined;
  count?: number | undefined;
};

/** One line of the listing: what a person watching wants to see of a notification. */
export function notificationLine(n: JobNotification, format: NotificationFormat): string {
  const jobs = n.JobsDetail.length ? n.JobsDetail : [undefined];
  return jobs
    .map((job) => {
      const output = job?.Operation?.MediaResult?.OutputFile?.ObjectName?.join(', ') || job?.Operation?.Output?.Object;
      const failure = job?.State === 'Failed' ? ` ${job.Code ?? ''}: ${job.Message ?? ''}` : '';
      return sanitize(
        `${n.EventName ?? 'notification'} ${job?.JobId ?? '(no job)'} ${job?.State ?? '-'}${failure}${output ? ` → ${output}` : ''} (${format})`,
      );
    })
    .join('\n');
}

/** Registers `ci-media notify listen`. */
export function registerNotifyCommands(program: Command, io: CliIo): void {
  const notify = program.command('notify').description('job notifications (what CI POSTs to a CallBack URL when a job ends)');
  const listen = notify
    .command('listen')
    .description('receive job notifications on a local port and print each, until interrupted')
    .addOption(new Option('--port <n>', 'port (0: any free port)').argParser(intInRange(0, 65535)).default(9100))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--path <path>', 'the path notifications are POSTed to (others get 404)', '/')
    .option('--json', 'print each notification as a JSON document (one per line)')
    .option('--ndjson', 'the same as --json: one JSON document per line')
    .option(
      '--token <secret>',
      'answer 401 unless the URL carries ?token=<secret> (CI signs nothing; put a secret in the CallBack URL). Visible to other users in the process list: prefer --token-env',
    )
    .option('--token-env <name>', 'the same, the secret read from this environment variable')
    .addOption(new Option('--expect <format>', 'accept only XML or only JSON bodies').choices(['XML', 'JSON']))
    .addOption(
      new Option(
        '--count <n>',
        'stop after n notifications (every one answered 200 is printed, so one or two more may be, when they arrive together)',
      ).argParser(intInRange(1, 1_000_000)),
    );
  listen.addHelpText(
    'after',
    '\nExample:\n  ci-media notify listen --port 9100 --ndjson\n  ci-media jobs create … --callback http://127.0.0.1:9100/\n',
  );
  defineAction<ListenFlags>(listen, async (flags) => {
    const asJson = flags.json || flags.ndjson;
    const token = tokenOf(flags, io);
    let received = 0;
    let stopping = false;
    let stop: (() => void) | undefined;
    const handler = createNotificationHandler(
      (notification, context) => {
        received++;
        io.stdout(asJson ? `${terminalSafeJson(notification)}\n` : `${notificationLine(notification, context.format)}\n`);
        if (flags.count !== undefined && received >= flags.count) stop?.();
      },
      {
        ...(token !== undefined ? { token } : {}),
        ...(flags.expect ? { expect: flags.expect } : {}),
        onError: (error, context) =>
          io.stderr(
            `refused a request to ${sanitize(context.url)} (${context.status}): ${sanitize(error instanceof Error ? error.message : String(error))}\n`,
          ),
      },
    );
    const server = createServer((req, res) => {
      if (stopping) {
        // --count reached (or Ctrl-C): a notification now would be answered 200 and never printed
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', connection: 'close', 'retry-after': '1' });
        res.end('this listener is stopping\n');
        return;
      }
      const path = (req.url ?? '/').split('?')[0];
      if (path !== flags.path) {
        res.statusCode = 404;
        res.end(`notifications are received on ${flags.path}\n`);
        return;
      }
      handler(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(flags.port, flags.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://${urlHost(flags.host)}:${port}${flags.path}${token !== undefined ? '?token=***' : ''}`;
    io.stderr(`listening for job notifications on ${url} (give it as a job's CallBack); Ctrl-C stops\n`);
    if (token === undefined && !isLoopbackHost(flags.host)) {
      io.stderr(`warning: no --token: anyone who can reach ${flags.host}:${port} can post notifications to this listener\n`);
    }
    try {
      await new Promise<void>((resolve) => {
        stop = resolve;
        if (!io.signal) return;
        if (io.signal.aborted) return resolve();
        io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      stopping = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // requests under way get a second to finish (their bodies are bounded by the handler's 10 s anyway)
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      });
      // notifications answered just before the stop are handed over on the next turns: print them, then count
      await new Promise((resolve) => setTimeout(resolve, 10));
      io.stderr(`stopped after ${received} notification${received === 1 ? '' : 's'}\n`);
    }
  });
}

/** The secret of `--token` or of the variable `--token-env` names; a UsageError when that variable is unset or empty. */
function tokenOf(flags: ListenFlags, io: CliIo): string | undefined {
  if (flags.token !== undefined && flags.tokenEnv !== undefined) throw new UsageError('give --token or --token-env, not both');
  if (flags.tokenEnv === undefined) return flags.token;
  const value = io.env[flags.tokenEnv];
  if (value === undefined || value === '') throw new UsageError(`--token-env ${flags.tokenEnv}: that environment variable is not set`);
  return value;
}

/** A host as a URL writes it: an IPv6 address in brackets; a wildcard address as the loopback one to use locally. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
