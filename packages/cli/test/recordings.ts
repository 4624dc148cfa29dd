/**
 * The recorded exchanges of `specs/recordings/<OperationId>/<name>.http` (request line, headers, optional
 * body, then the response status line, headers, body), for comparing what the CLI sends with what was
 * recorded and for answering with the recorded response.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FakeResponse } from './helpers';

const RECORDINGS_DIR = resolve(__dirname, '../../../specs/recordings');

/** One recorded exchange. */
export interface Recording {
  readonly method: string;
  /** Path and query of the request line, as recorded. */
  readonly target: string;
  readonly requestBody: string;
  readonly status: number;
  readonly responseBody: string;
  /** The recorded response, for a fake fetch. */
  readonly response: FakeResponse;
}

function split(lines: readonly string[]): { headers: string[]; body: string } {
  const blank = lines.findIndex((l) => l.trim() === '');
  return blank < 0
    ? { headers: [...lines], body: '' }
    : {
        headers: lines.slice(0, blank),
        body: lines
          .slice(blank + 1)
          .join('\n')
          .trim(),
      };
}

/** Loads `specs/recordings/<operationId>/<name>.http`. */
export function recording(operationId: string, name: string): Recording {
  const lines = readFileSync(join(RECORDINGS_DIR, operationId, `${name}.http`), 'utf8')
    .replace(/\r\n/g, '\n')
    .split('\n');
  const at = lines.findIndex((l, i) => i > 0 && /^HTTP\/1\.[01] \d{3}/.test(l));
  if (at < 0) throw new Error(`${operationId}/${name}: no response`);
  const [method, target] = (lines[0] ?? '').split(' ');
  const request = split(lines.slice(1, at));
  const response = split(lines.slice(at + 1));
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[at] ?? '')?.[1]);
  return {
    method: method ?? '',
    target: target ?? '',
    requestBody: request.body,
    status,
    responseBody: response.body,
    response: { status, body: response.body },
  };
}

/** XML with the whitespace between elements removed (recordings are indented, the client sends none). */
export function normalizeXml(xml: string): string {
  return xml.replace(/>\s+</g, '><').trim();
}
