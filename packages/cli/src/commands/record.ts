/**
 * `ci-media record <OperationId>`: sends one operation and writes the exchange — request and response — as a
 * recording in the format of `specs/recordings/<OperationId>/<name>.http`, ready for the contract tests and for
 * `handlersFromRecordings()` of `@cloud-infinite/mock`. Credentials, the bucket and its APPID are redacted by
 * structure (see {@link toRecording}).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { CiError, operationTable, type OperationTypes } from '@cloud-infinite/client';
import { parseAuthorization, secretRedactor, type CallSecrets } from '@cloud-infinite/runtime';
import { addConnectionOptions, callOptions, createClient, defineAction, UsageError, type CliIo, type ConnectionFlags } from '../common';
import { isJsonObject, readSource } from '../input';

/** The redacted bucket written into recordings. */
export const REDACTED_BUCKET = 'examplebucket-1250000000';
const REDACTED_APPID = '1250000000';
/** Response headers a recording keeps. */
const KEPT_RESPONSE_HEADERS = ['content-type', 'date', 'server', 'x-ci-request-id', 'x-ci-trace-id', 'retry-after'];

type RecordFlags = ConnectionFlags & { out: string; name: string; input?: string | undefined };

interface Exchange {
  readonly url: URL;
  readonly method: string;
  readonly requestHeaders: Headers;
  readonly requestBody: string;
  readonly status: number;
  readonly statusText: string;
  readonly responseHeaders: Headers;
  readonly responseBody: string;
}

/** The secrets of a recorded exchange: the credentials it was sent with (the SecretId included). */
export type RecordingSecrets = CallSecrets;

/**
 * Writes an exchange as a recording, redacted by structure, never by a pattern of digits (object keys,
 * UserData and other numbers are data and stay as they are):
 * - the request's Authorization and x-ci-security-token headers are not written (only Host and Content-Type);
 * - the bucket of the host (`name-APPID`) becomes `examplebucket-1250000000` wherever it appears whole,
 *   and the Host a CI host of that bucket, so that the recording replays;
 * - the APPID of any other bucket named in a `<Bucket>` or `<BucketId>` element becomes `1250000000`;
 * - every credential (SecretId, SecretKey, session token, the request's signature), whatever its length, in
 *   every form (raw, percent-encoded in any case, escaped), and by structure an echoed
 *   `x-ci-security-token` value and any `q-signature`, become `[redacted …]` (the runtime's
 *   `secretRedactor`). Exported for tests.
 */
export function toRecording(ex: Exchange, secrets: RecordingSecrets, fallbackRegion: string): string {
  const ci = /^([a-z0-9-]+)-(\d+)\.ci\.([a-z0-9-]+)\.myqcloud\.com$/.exec(ex.url.hostname);
  const signature = parseAuthorization(ex.requestHeaders.get('authorization'))?.signature;
  const scrub = secretRedactor({ ...secrets, signatures: [...(secrets.signatures ?? []), signature] });
  const bucket = ci ? `${ci[1]}-${ci[2]}` : undefined;
  const redact = (text: string): string => {
    let out = scrub(text);
    // the known bucket, whole (not inside a longer name)
    if (bucket) out = out.replace(new RegExp(`(?<![a-z0-9-])${bucket}(?![a-z0-9-])`, 'g'), REDACTED_BUCKET);
    // another bucket's APPID, where the document says it is a bucket
    return out.replace(
      BUCKET_ELEMENT,
      (_m, open: string, name: string, _appid: string, close: string) => `${open}${name}-${REDACTED_APPID}${close}`,
    );
  };
  const host = `${REDACTED_BUCKET}.ci.${ci?.[3] ?? fallbackRegion}.myqcloud.com`;
  const lines = [`${ex.method} ${redact(ex.url.pathname + ex.url.search)} HTTP/1.1`, `Host: ${host}`];
  const type = ex.requestHeaders.get('content-type');
  if (type) lines.push(`Content-Type: ${type}`);
  lines.push('');
  if (ex.requestBody) lines.push(redact(ex.requestBody), '');
  lines.push(`HTTP/1.1 ${ex.status} ${ex.statusText}`.trimEnd());
  for (const name of KEPT_RESPONSE_HEADERS) {
    const value = ex.responseHeaders.get(name);
    if (value !== null)
      lines.push(
        `${name === 'x-ci-request-id' || name === 'x-ci-trace-id' ? name : name.replace(/(^|-)[a-z]/g, (c) => c.toUpperCase())}: ${redact(value)}`,
      );
  }
  lines.push('');
  if (ex.responseBody) lines.push(redact(ex.responseBody));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** A `<Bucket>` or `<BucketId>` element holding `name-APPID`. */
const BUCKET_ELEMENT = /(<(?:Bucket|BucketId)>\s*)([a-z0-9][a-z0-9-]*)-(\d+)(\s*<\/(?:Bucket|BucketId)>)/g;

/** Credentials shorter than this may match unrelated text of a recording: the command warns. */
const SHORT_SECRET_CHARS = 8;

/** Registers `ci-media record`. */
export function registerRecordCommand(program: Command, io: CliIo): void {
  const cmd = program
    .command('record')
    .description('send one operation and save the exchange as a recording (specs/recordings format), secrets and bucket redacted')
    .argument('<operationId>', `one of ${Object.keys(operationTable).join(', ')}`)
    .requiredOption('--out <dir>', 'the recordings folder; the file is <dir>/<operationId>/<name>.http')
    .option('--name <name>', 'the recording name', 'recorded')
    .option(
      '--input <file>',
      "the operation's input as JSON (a file, or '-' for stdin): parameters and body members, as the client method takes them",
    );
  addConnectionOptions(cmd);
  defineAction<RecordFlags>(cmd, async (flags) => {
    const operationId = String(cmd.processedArgs[0]) as keyof OperationTypes;
    if (!(operationId in operationTable))
      throw new UsageError(`unknown operation ${operationId}; one of ${Object.keys(operationTable).join(', ')}`);
    if (!/^[\w.-]+$/.test(flags.name)) throw new UsageError('--name may hold letters, digits, ".", "_" and "-" only');
    let input: Record<string, unknown> = {};
    if (flags.input !== undefined) {
      const text = await readSource(io, flags.input, `--input ${flags.input}`);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new UsageError(`--input: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
      }
      if (!isJsonObject(value)) throw new UsageError('--input: expected a JSON object');
      input = value;
    }
    const exchanges: Exchange[] = [];
    const base = io.fetch ?? globalThis.fetch;
    const recordingFetch = (async (url: string, init: RequestInit) => {
      const response = await base(url, init);
      const body = await response.clone().text();
      exchanges.push({
        url: new URL(url),
        method: String(init.method ?? 'GET'),
        requestHeaders: new Headers(init.headers),
        requestBody: typeof init.body === 'string' ? init.body : '',
        status: response.status,
        statusText: response.statusText,
        responseHeaders: response.headers,
        responseBody: body,
      });
      return response;
    }) as typeof fetch;
    const client = createClient({ ...io, fetch: recordingFetch }, flags);
    let failure: unknown;
    try {
      await client.send(operationId, input as never, callOptions(io));
    } catch (err) {
      if (!CiError.isInstance(err) || exchanges.length === 0) throw err;
      failure = err; // an error answer is worth recording too
    }
    const last = exchanges.at(-1);
    if (!last) throw new UsageError('nothing was sent');
    const secrets: RecordingSecrets = {
      secretId: io.env.TENCENTCLOUD_SECRET_ID,
      secretKey: io.env.TENCENTCLOUD_SECRET_KEY,
      sessionToken: io.env.TENCENTCLOUD_SESSION_TOKEN,
    };
    for (const name of ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN']) {
      const value = io.env[name];
      if (value && value.length < SHORT_SECRET_CHARS) {
        io.stderr(
          `warning: ${name} is shorter than ${SHORT_SECRET_CHARS} characters: it is redacted wherever it appears, data included; check the recording\n`,
        );
      }
    }
    const region = flags.region ?? io.env.CI_REGION ?? 'ap-beijing';
    const dir = join(flags.out, operationId);
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${flags.name}.http`);
    await writeFile(file, toRecording(last, secrets, region));
    io.stdout(`recorded ${operationId} (HTTP ${last.status}${failure ? ', an error answer' : ''}) to ${file}\n`);
  });
}
