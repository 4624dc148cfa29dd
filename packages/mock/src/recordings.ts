/**
 * Recorded exchanges, the format of `specs/recordings`: one `.http` file per exchange — optional `#` comment lines
 * (where the exchange comes from), the request line, headers and optional body, a blank line, then the response
 * status line, headers, a blank line and the body.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The request of a recording. */
export interface RecordedRequest {
  /** Upper-case method. */
  readonly method: string;
  /** Path and query as written in the recording (still encoded), e.g. `/jobs?queueId=p…&tag=Animation`. */
  readonly target: string;
  /** Headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The response of a recording. */
export interface RecordedResponse {
  readonly status: number;
  readonly statusText: string;
  /** Headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One recorded exchange. */
export interface Recording {
  /** The folder name (`DescribeMediaJobs/page-1.http`) or the file name's first part (`DescribeMediaJobs.page-1.http`). */
  readonly operationId: string;
  /** The file name without `.http` (and without the operation prefix of a flat file). */
  readonly name: string;
  /** Path of the `.http` file. */
  readonly file: string;
  readonly request: RecordedRequest;
  readonly response: RecordedResponse;
}

function headersAndBody(lines: readonly string[], what: string): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon < 1) throw new SyntaxError(`${what}: bad header line ${JSON.stringify(line.slice(0, 80))}`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    headers,
    body: lines
      .slice(i + 1)
      .join('\n')
      .trim(),
  };
}

/** The lines after the leading `#` comment lines (a comment names the exchange's sources). */
function withoutComments(lines: readonly string[]): readonly string[] {
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith('#')) i++;
  return lines.slice(i);
}

/**
 * Parses one `.http` exchange. The response starts at the first `HTTP/1.x <status>` line after the request
 * line. Throws a SyntaxError naming `source` on a malformed file.
 */
export function parseRecording(text: string, source = 'recording'): { request: RecordedRequest; response: RecordedResponse } {
  const lines = withoutComments(text.replace(/\r\n/g, '\n').split('\n'));
  const split = lines.findIndex((l, i) => i > 0 && /^HTTP\/1\.[01] \d{3}/.test(l));
  if (split < 0) throw new SyntaxError(`${source}: no response status line (HTTP/1.1 <status>)`);
  const requestLine = /^([A-Za-z]+) (\S+)(?: HTTP\/1\.[01])?\s*$/.exec(lines[0] ?? '');
  if (!requestLine) throw new SyntaxError(`${source}: the first line is not a request line (METHOD /path HTTP/1.1)`);
  const req = headersAndBody(lines.slice(1, split), source);
  const status = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[split]!)!;
  const res = headersAndBody(lines.slice(split + 1), source);
  return {
    request: { method: requestLine[1]!.toUpperCase(), target: requestLine[2]!, headers: req.headers, body: req.body },
    response: { status: Number(status[1]), statusText: status[2] ?? '', headers: res.headers, body: res.body },
  };
}

/**
 * Every `.http` recording under `dir`: in `dir/<OperationId>/<name>.http` (the layout of specs/recordings) and
 * in `dir/<OperationId>.<name>.http` (a flat folder), sorted by operation and name.
 */
export function loadRecordings(dir: string): Recording[] {
  const out: Recording[] = [];
  const read = (file: string, operationId: string, name: string) =>
    out.push({ operationId, name, file, ...parseRecording(readFileSync(file, 'utf8'), file) });
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      for (const file of readdirSync(path).sort()) {
        if (file.endsWith('.http')) read(join(path, file), entry, file.slice(0, -'.http'.length));
      }
    } else if (entry.endsWith('.http')) {
      const stem = basename(entry, '.http');
      const dot = stem.indexOf('.');
      read(path, dot > 0 ? stem.slice(0, dot) : stem, dot > 0 ? stem.slice(dot + 1) : stem);
    }
  }
  return out.sort((a, b) => (a.operationId === b.operationId ? cmp(a.name, b.name) : cmp(a.operationId, b.operationId)));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
