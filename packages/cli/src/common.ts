/**
 * What every command group shares: the injected I/O, the connection options (`--bucket`, `--region`,
 * `--endpoint` and their `CI_*` environment variables), the client factory, argument parsers, usage
 * errors, and how errors are reported.
 */
import { Command, InvalidArgumentError } from 'commander';
import { CiAbortError, CiError, CiMediaClient, CiServiceError, CiValidationError, type CallOptions } from '@cloud-infinite/client';
import { CI_TIME_PATTERN, fromEnv, parseCiTime, secretRedactor, type CiValidationIssue } from '@cloud-infinite/runtime';
import { sanitize, terminalSafeJson } from './table';
import { isLoopbackUrl } from '@cloud-infinite/mock';
import { VERSION } from './version';

/** Where the CLI reads its environment and writes its output; injected so that tests can drive it in-process. */
export interface CliIo {
  /** Writes a chunk to standard output; chunks carry their own newlines. */
  readonly stdout: (s: string) => void;
  /** Writes a chunk to standard error; chunks carry their own newlines. */
  readonly stderr: (s: string) => void;
  /** The environment: credentials (`TENCENTCLOUD_*`) and defaults (`CI_BUCKET`, `CI_REGION`, `CI_ENDPOINT`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The fetch used for requests; default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /**
   * Reads the whole of standard input (for `--input -`). Absent: `--input -` is refused. `bin.ts` reads
   * `process.stdin`; tests inject a string.
   */
  readonly stdin?: () => Promise<string>;
  /**
   * Fires to stop the command (Ctrl-C in `bin.ts`): requests in flight and `jobs wait` stop with a
   * `CiAbortError`, reported with exit code 130.
   */
  readonly signal?: AbortSignal;
  /**
   * Whether standard error is a terminal (`bin.ts`: `process.stderr.isTTY`): long listings then show their
   * progress there, redrawn in place. Absent: not a terminal.
   */
  readonly stderrIsTTY?: boolean;
}

/**
 * `io` whose stderr never shows the environment's SecretKey or session token, in any form (raw,
 * percent-encoded, escaped; see the runtime's `secretRedactor`). A last line of defence: the errors are
 * already redacted where they are built. The SecretId is an identifier and stays.
 */
export function withRedactedStderr(io: CliIo): CliIo {
  const redact = secretRedactor({ secretKey: io.env.TENCENTCLOUD_SECRET_KEY, sessionToken: io.env.TENCENTCLOUD_SESSION_TOKEN });
  return { ...io, stderr: (s) => io.stderr(redact(s)) };
}

/** Exit codes of `ci-media`. */
export const ExitCode = {
  /** Success. */
  Ok: 0,
  /** The request failed: a service error, missing credentials, a network error, … */
  Failure: 1,
  /** The command line was wrong: a missing or invalid option, an unknown command, an unusable `--input`. */
  Usage: 2,
  /** Interrupted (Ctrl-C): the command's AbortSignal fired. 128 + SIGINT, as shells report it. */
  Interrupted: 130,
} as const;

/**
 * A mistake on the command line found after commander parsed it (a missing `--bucket`, `--since` after
 * `--until`, …). Reported as `error: <message>` with exit code 2.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The command ran but its result is a failure the user must notice (a job id that does not exist, a job
 * that ended `Failed`): whatever could be printed is on stdout, this message goes to stderr as
 * `error: <message>`, exit code 1.
 */
export class CommandFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailure';
  }
}

/** `--bucket`, `--region`, `--endpoint` as parsed (before the environment fills the gaps). */
export type ConnectionFlags = {
  bucket?: string | undefined;
  region?: string | undefined;
  endpoint?: string | undefined;
};

/** Environment variables read by the CLI, with what they do (shown in help texts). */
export const ENVIRONMENT: readonly (readonly [name: string, description: string])[] = [
  ['TENCENTCLOUD_SECRET_ID', 'SecretId (required)'],
  ['TENCENTCLOUD_SECRET_KEY', 'SecretKey (required)'],
  ['TENCENTCLOUD_SESSION_TOKEN', 'session token, for temporary credentials'],
  ['CI_BUCKET', 'default of --bucket'],
  ['CI_REGION', 'default of --region'],
  ['CI_ENDPOINT', 'default of --endpoint'],
];

/** The "Environment:" block appended to the help of commands that call the service. */
export function environmentHelp(): string {
  const width = Math.max(...ENVIRONMENT.map(([name]) => name.length));
  return `\nEnvironment:\n${ENVIRONMENT.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`).join('\n')}`;
}

/** Adds `--bucket`, `--region` and `--endpoint` to a command that calls the service. */
export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--bucket <bucket>', 'bucket as BucketName-APPID, e.g. examplebucket-1250000000 (env CI_BUCKET)')
    .option('--region <region>', 'region of the bucket, e.g. ap-beijing (env CI_REGION)')
    .option(
      '--endpoint <url>',
      'base URL to send requests to instead of https://<bucket>.ci.<region>.myqcloud.com (a proxy, the fake service); ' +
        'makes --bucket and --region optional (env CI_ENDPOINT)',
    );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

const CONFIG_FLAGS: Readonly<Record<string, string>> = { bucket: '--bucket', region: '--region', endpoint: '--endpoint' };

/** Bucket, region and endpoint of a command: the flags, else `CI_BUCKET`, `CI_REGION`, `CI_ENDPOINT` (empty = unset). */
export function resolveConnection(io: CliIo, flags: ConnectionFlags): ConnectionFlags {
  return {
    bucket: nonEmpty(flags.bucket) ?? nonEmpty(io.env.CI_BUCKET),
    region: nonEmpty(flags.region) ?? nonEmpty(io.env.CI_REGION),
    endpoint: nonEmpty(flags.endpoint) ?? nonEmpty(io.env.CI_ENDPOINT),
  };
}

/**
 * The client for a command: bucket, region and endpoint from the flags, else `CI_BUCKET`, `CI_REGION`,
 * `CI_ENDPOINT`; credentials from `TENCENTCLOUD_SECRET_ID` / `_SECRET_KEY` / `_SESSION_TOKEN` of the
 * injected environment (read when the first request is sent: missing ones fail that request before
 * anything goes out). Validation warnings of responses go to stderr.
 * @throws UsageError when bucket or region is missing (and no endpoint is given) or invalid.
 */
export function createClient(io: CliIo, flags: ConnectionFlags): CiMediaClient {
  const { bucket, region, endpoint } = resolveConnection(io, flags);
  if (endpoint === undefined && (bucket === undefined || region === undefined)) {
    const missing = [bucket === undefined ? '--bucket (or CI_BUCKET)' : '', region === undefined ? '--region (or CI_REGION)' : '']
      .filter(Boolean)
      .join(' and ');
    throw new UsageError(`missing ${missing}; or give --endpoint (or CI_ENDPOINT)`);
  }
  if (endpoint !== undefined && /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(endpoint)) {
    // fetch refuses such URLs with an error that quotes them, password included
    throw new UsageError('--endpoint must not contain a user name or password');
  }
  try {
    return new CiMediaClient({
      bucket,
      region,
      endpoint,
      credentials: fromEnv(io.env),
      fetch: io.fetch,
      headers: { 'User-Agent': `ci-media/${VERSION}` },
      logger: { warn: (message) => io.stderr(`warning: ${sanitize(message)}\n`) },
    });
  } catch (err) {
    if (err instanceof CiValidationError && err.issues.length > 0) {
      throw new UsageError(err.issues.map((i) => `${CONFIG_FLAGS[i.path] ?? i.path} ${i.message}`).join('; '));
    }
    throw err;
  }
}

/**
 * Runs a command's action and turns a {@link UsageError} into a commander usage error (printed with the
 * `--help` hint, exit code 2). `opts` are the command's parsed options, `args` its operands (`cmd.args`).
 */
export function defineAction<Opts extends Record<string, unknown>>(
  cmd: Command,
  fn: (opts: Opts, args: readonly string[]) => Promise<void>,
): Command {
  return cmd.action(async () => {
    try {
      await fn(cmd.opts<Opts>(), cmd.args);
    } catch (err) {
      if (err instanceof UsageError) cmd.error(`error: ${err.message}`, { exitCode: ExitCode.Usage, code: 'ci-media.usage' });
      throw err;
    }
  });
}

/** An option parser for an integer in `[min, max]`. */
export function intInRange(min: number, max: number): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    const n = Number(trimmed);
    if (!/^\d+$/.test(trimmed) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

/**
 * An option parser for one of `choices`, matched case-insensitively and returned in its canonical
 * spelling.
 */
export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    const found = choices.find((c) => c.toLowerCase() === value.trim().toLowerCase());
    if (found === undefined) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return found;
  };
}

/**
 * An option parser for a comma-separated list of `choices` (case-insensitive, canonical spelling,
 * duplicates dropped). Given again, the option adds to the list.
 */
export function listOf<T extends string>(choices: readonly T[]): (value: string, previous: T[] | undefined) => T[] {
  const one = oneOf(choices);
  return (value, previous) => {
    const items = value.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) throw new InvalidArgumentError(`expected a comma-separated list of ${choices.join(', ')}`);
    const out = [...(previous ?? [])];
    for (const item of items) {
      const parsed = one(item);
      if (!out.includes(parsed)) out.push(parsed);
    }
    return out;
  };
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Why the date and time of a value shaped like `YYYY-MM-DD[THH:MM[:SS]]` do not exist (`there is no such date:
 * 2024-02-30 (February 2024 has 29 days)`), or undefined when they do.
 */
function impossibleDateTime(m: RegExpMatchArray): string | undefined {
  const part = (i: number): number => Number(m[i] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (month < 1 || month > 12) return `there is no such date: ${date} (no month ${m[2]}; months are 01 to 12)`;
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0); // day 0 of the next month; setUTCFullYear keeps years 0 to 99 as given
  const daysInMonth = lastDay.getUTCDate();
  if (day < 1 || day > daysInMonth) return `there is no such date: ${date} (${MONTHS[month - 1]} ${m[1]} has ${daysInMonth} days)`;
  if (hour > 23 || minute > 59 || second > 59) {
    return `there is no such time: ${[m[4], m[5], m[6]].filter((s) => s !== undefined).join(':')} (hours 00 to 23, minutes and seconds 00 to 59)`;
  }
  return undefined;
}

/**
 * Parses a `--since` / `--until` value: the CI wire form `YYYY-MM-DDTHH:MM:SS+HHMM` is kept as a string
 * (sent unchanged); an ISO-8601 date or date-time (`2024-05-01`, `2024-05-01T08:00:00Z`,
 * `2024-05-01T08:00:00+08:00`) becomes a Date (the client sends it in +0800). As with `new Date()`, a
 * date alone is midnight UTC and a date-time without an offset is local time. Impossible dates and times
 * (`2024-02-30`, `24:00`) are refused with what is wrong: `there is no such date: 2024-02-30 (February 2024
 * has 29 days)`.
 */
export function parseTime(value: string): string | Date {
  const text = value.trim();
  const m = text.match(ISO_DATE_TIME);
  if (m) {
    const impossible = impossibleDateTime(m);
    if (impossible !== undefined) throw new InvalidArgumentError(impossible);
    if (CI_TIME_PATTERN.test(text)) return text;
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new InvalidArgumentError(
    'expected a time like 2024-05-01T08:00:00+0800 (CI form) or an ISO-8601 date/time like 2024-05-01T00:00:00Z or 2024-05-01',
  );
}

/** Milliseconds since the epoch of a value from {@link parseTime}. */
export function timeValue(value: string | Date): number {
  return value instanceof Date ? value.getTime() : (parseCiTime(value)?.getTime() ?? Number.NaN);
}

/**
 * An option parser for a comma-separated list of ids (or other names): items trimmed, empty items
 * refused, duplicates dropped. Given again, the option adds to the list.
 */
export function idList(what: string): (value: string, previous: string[] | undefined) => string[] {
  return (value, previous) => addIds(previous ?? [], [value], what, (m) => new InvalidArgumentError(m));
}

/**
 * Adds comma-separated ids from `values` (each may be `a,b`) to `ids`, trimmed, without duplicates.
 * @throws the error made by `fail` on an empty item.
 */
export function addIds(ids: readonly string[], values: readonly string[], what: string, fail: (message: string) => Error): string[] {
  const out = [...ids];
  for (const value of values) {
    for (const raw of value.split(',')) {
      const id = raw.trim();
      if (id === '') throw fail(`expected a comma-separated list of ${what}, without empty items`);
      if (!out.includes(id)) out.push(id);
    }
  }
  return out;
}

/** An option parser for a number greater than 0 (decimals allowed), at most `max`. */
export function positiveNumber(max: number): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    const n = Number(trimmed);
    if (!/^\d+(\.\d+)?$/.test(trimmed) || !(n > 0) || n > max)
      throw new InvalidArgumentError(`expected a number greater than 0, at most ${max}`);
    return n;
  };
}

/** Per-call options of every request a command sends: the command's AbortSignal (Ctrl-C). */
export function callOptions(io: CliIo): CallOptions {
  return io.signal ? { signal: io.signal } : {};
}

/** Prints a decoded result as one JSON document (2-space indented) on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${terminalSafeJson(value, 2)}\n`);
}

/** `1 job`, `2 jobs`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function issueLine(issue: CiValidationIssue): string {
  return `  ${sanitize(issue.path || '/')}: ${sanitize(issue.message)}\n`;
}

/**
 * Writes an error to stderr and returns the exit code:
 * - `CiServiceError`: `error: <code>: <message> (request id <id>, HTTP <status>)`, exit 1;
 * - `CiValidationError`: `error: <message>` then one line per issue, exit 1;
 * - any other cloud-infinite error (credentials, network, time-out, decoding): `error: <message>`, exit 1;
 * - a {@link UsageError}: `error: <message>`, exit 2;
 * - `CiAbortError` (Ctrl-C): `error: <message> (interrupted)`, exit 130;
 * - a {@link CommandFailure} or anything else: `error: <message>`, exit 1.
 * Service text is sanitised (no terminal control sequences); no secret is ever part of these errors.
 */
export function reportError(err: unknown, io: CliIo): number {
  if (err instanceof UsageError) {
    io.stderr(`error: ${err.message}\n`);
    return ExitCode.Usage;
  }
  if (err instanceof CiServiceError) {
    const where = [err.requestId ? `request id ${err.requestId}` : '', `HTTP ${err.statusCode}`].filter(Boolean).join(', ');
    io.stderr(`error: ${sanitize(err.code)}: ${sanitize(err.message || '(no message)')} (${sanitize(where)})\n`);
    return ExitCode.Failure;
  }
  if (err instanceof CiValidationError) {
    io.stderr(`error: ${sanitize(err.summary)}\n${err.issues.map(issueLine).join('')}`);
    return ExitCode.Failure;
  }
  if (err instanceof CiAbortError) {
    io.stderr(`error: ${sanitize(err.message)} (interrupted)\n`);
    return ExitCode.Interrupted;
  }
  if (CiError.isInstance(err)) {
    io.stderr(`error: ${sanitize(err.message)}\n`);
    return ExitCode.Failure;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`error: ${sanitize(message)}\n`);
  return ExitCode.Failure;
}

/**
 * Whether a listen address is reachable only from this machine: `localhost`, `127.0.0.0/8`, `::1` or `[::1]` (any
 * spelling the mock's `isLoopbackUrl` knows).
 */
export function isLoopbackHost(host: string): boolean {
  try {
    const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    return isLoopbackUrl(new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}/`));
  } catch {
    return false;
  }
}
