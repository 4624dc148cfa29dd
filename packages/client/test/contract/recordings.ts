/**
 * Recorded exchanges (`specs/recordings/<OperationId>/<name>.http`): the request line, headers and optional
 * body, a blank line, then the response status line, headers, a blank line and the body.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const RECORDINGS_DIR = resolve(__dirname, '../../../../specs/recordings');

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as written in the recording (still encoded). */
  readonly target: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface RecordedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface Recording {
  readonly operationId: string;
  readonly name: string;
  /** Absolute path of the `.http` file. */
  readonly file: string;
  readonly request: RecordedRequest;
  readonly response: RecordedResponse;
}

function parseHeadersAndBody(lines: string[]): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon < 1) throw new Error(`Bad header line: ${line}`);
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

/** Parses one `.http` exchange; leading `#` lines are comments (where the exchange comes from). */
export function parseExchange(text: string): { request: RecordedRequest; response: RecordedResponse } {
  const all = text.replace(/\r\n/g, '\n').split('\n');
  let first = 0;
  while (first < all.length && all[first]!.startsWith('#')) first++;
  const lines = all.slice(first);
  const split = lines.findIndex((l, i) => i > 0 && /^HTTP\/1\.[01] \d{3}/.test(l));
  if (split < 0) throw new Error('No response status line');
  const [method, target] = lines[0]!.split(' ');
  const req = parseHeadersAndBody(lines.slice(1, split));
  const statusLine = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[split]!)!;
  const res = parseHeadersAndBody(lines.slice(split + 1));
  return {
    request: { method: method!, target: target!, headers: req.headers, body: req.body },
    response: { status: Number(statusLine[1]), statusText: statusLine[2] ?? '', headers: res.headers, body: res.body },
  };
}

/** Every recording, sorted by operation and name. */
export function loadRecordings(dir = RECORDINGS_DIR): Recording[] {
  const out: Recording[] = [];
  for (const operationId of readdirSync(dir).sort()) {
    if (operationId.startsWith('.') || operationId.endsWith('.md')) continue;
    for (const file of readdirSync(join(dir, operationId)).sort()) {
      if (!file.endsWith('.http')) continue;
      const path = join(dir, operationId, file);
      out.push({ operationId, name: file.slice(0, -'.http'.length), file: path, ...parseExchange(readFileSync(path, 'utf8')) });
    }
  }
  return out;
}
