/**
 * `ci-media sign`: prints the Authorization a request needs — and, with `--explain`, every intermediate
 * string of the COS/CI signature (KeyTime, HttpString, StringToSign) — to compare with what a server says it
 * expected when it answers SignatureDoesNotMatch. Never prints the SecretKey or the SignKey.
 * Source: Tencent Cloud "Request Signature" (COS 436/7778).
 */
import { Command } from 'commander';
import { CiCredentialsError, explainAuthorization } from '@cloud-infinite/runtime';
import { defineAction, UsageError, type CliIo } from '../common';

/** The options of `sign`, as parsed. */
type SignFlags = {
  method: string;
  query: Array<[string, string]>;
  header: Array<[string, string]>;
  keyTime?: string | undefined;
  expires: number;
  host: boolean;
  explain?: boolean | undefined;
  json?: boolean | undefined;
};

const collectPair =
  (separator: string, flag: string) =>
  (value: string, previous: Array<[string, string]> = []) => {
    const at = value.indexOf(separator);
    if (at <= 0) throw new UsageError(`${flag} expects name${separator}value, got ${JSON.stringify(value)}`);
    return [...previous, [value.slice(0, at).trim(), value.slice(at + 1).trimStart()] as [string, string]];
  };

/**
 * Splits a raw query into decoded pairs as the service reads it: a raw `+` is a space (a plus goes as `%2B`),
 * `?cancel` is `cancel=''`. Signing what the server reads is what makes the comparison useful.
 */
function queryPairs(search: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
    try {
      out.push(eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
    } catch {
      throw new UsageError(`the query part ${JSON.stringify(part)} is not valid percent-encoding`);
    }
  }
  return out;
}

/** Registers `ci-media sign`. */
export function registerSignCommand(program: Command, io: CliIo): void {
  const cmd = program
    .command('sign')
    .description(
      'print the Authorization for a request (--explain: KeyTime, HttpString, StringToSign); a SignatureDoesNotMatch debugging aid',
    )
    .argument('<target>', 'a URL (https://<bucket>.ci.<region>.myqcloud.com/jobs?…) or a path with its query (/jobs?…)')
    .option('-X, --method <method>', 'HTTP method', 'GET')
    .option('-q, --query <name=value>', 'a query parameter, decoded value (repeatable)', collectPair('=', '--query'))
    .option('-H, --header <name:value>', 'a header to sign (repeatable); host is added from a URL target', collectPair(':', '--header'))
    .option('--key-time <start;end>', 'KeyTime in Unix seconds (default: now-1 ; now-1+expires)')
    .option(
      '--expires <seconds>',
      'validity when --key-time is not given',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n <= 0) throw new UsageError('--expires must be a positive whole number of seconds');
        return n;
      },
      900,
    )
    .option('--no-host', 'do not sign the host of a URL target')
    .option('--explain', 'also print KeyTime, HeaderList, UrlParamList, HttpString and StringToSign')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Credentials: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (never printed).
A session token (TENCENTCLOUD_SESSION_TOKEN) is signed as x-ci-security-token, as the client sends it.

Example:
  ci-media sign --explain -X PUT 'https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com/jobs/j123?cancel'`,
    );
  defineAction<SignFlags>(cmd, async (flags) => {
    const target = String(cmd.processedArgs[0] ?? '');
    let url: URL;
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(target);
    try {
      url = new URL(target, 'https://placeholder.invalid');
    } catch {
      throw new UsageError(`${JSON.stringify(target)} is neither a URL nor a path`);
    }
    if (!absolute && !target.startsWith('/')) throw new UsageError('a path target must start with /');
    const rawPath = target.slice(absolute ? target.indexOf('/', target.indexOf('//') + 2) : 0).split(/[?#]/)[0] || '/';
    let pathname: string;
    try {
      pathname = decodeURIComponent(rawPath.startsWith('/') ? rawPath : `/${rawPath}`);
    } catch {
      throw new UsageError('the path is not valid percent-encoding');
    }
    const query: Record<string, string> = {};
    for (const [k, v] of [...queryPairs(url.search), ...(flags.query ?? [])]) query[k] = v;
    const headers: Record<string, string> = {};
    if (absolute && flags.host) headers.host = url.host;
    for (const [k, v] of flags.header ?? []) headers[k.toLowerCase()] = v;
    const secretId = io.env.TENCENTCLOUD_SECRET_ID;
    const secretKey = io.env.TENCENTCLOUD_SECRET_KEY;
    if (!secretId || !secretKey) throw new CiCredentialsError('No credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY');
    if (io.env.TENCENTCLOUD_SESSION_TOKEN && !('x-ci-security-token' in headers))
      headers['x-ci-security-token'] = io.env.TENCENTCLOUD_SESSION_TOKEN;
    if (flags.keyTime !== undefined && !/^\d+;\d+$/.test(flags.keyTime))
      throw new UsageError('--key-time must be "start;end" in Unix seconds');
    const explained = explainAuthorization({
      secretId,
      secretKey,
      method: flags.method,
      pathname,
      query,
      headers,
      ...(flags.keyTime !== undefined
        ? { keyTime: flags.keyTime }
        : { startTime: Math.floor(Date.now() / 1000) - 1, expiresSeconds: flags.expires }),
    });
    if (flags.json) {
      io.stdout(
        `${JSON.stringify(flags.explain ? { ...explained, method: flags.method.toLowerCase(), pathname } : { authorization: explained.authorization }, null, 2)}\n`,
      );
      return;
    }
    if (!flags.explain) {
      io.stdout(`${explained.authorization}\n`);
      return;
    }
    const show = (s: string) => s.replace(/\n/g, '\\n\n');
    io.stdout(
      [
        `KeyTime:        ${explained.keyTime}`,
        `HeaderList:     ${explained.headerList}`,
        `UrlParamList:   ${explained.urlParamList}`,
        `HttpString (each line ends in \\n):`,
        show(explained.httpString).replace(/^/gm, '  ').trimEnd(),
        `StringToSign (sha1 \\n KeyTime \\n sha1(HttpString) \\n):`,
        show(explained.stringToSign).replace(/^/gm, '  ').trimEnd(),
        `Signature:      ${explained.signature}`,
        `Authorization:  ${explained.authorization}`,
        '',
      ].join('\n'),
    );
  });
}
