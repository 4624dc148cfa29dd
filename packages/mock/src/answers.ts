/**
 * The answer to an operation the fake has no behaviour for: one of its successful recordings
 * (specs/recordings/<OperationId>/, embedded by `npm run generate` in `./generated/recordings.ts`), decoded with
 * the operation's response shape in strict mode (no unknown element, nothing missing, nothing out of range),
 * with the request's ids put into the matching elements (a path `{workflowId}` into every `WorkflowId`, a
 * `jobIds` list into the `JobId`s in order, `RequestId` the request's), and encoded again with the same shape.
 * A spec'd operation is never a 404: without a recording it is a 501 naming the file to add.
 */
import { decodeDocument, type OperationSpec } from '@cloud-infinite/runtime';
import { FakeCiError } from './errors';
import { recordedAnswers, type RecordedAnswer } from './generated/recordings';
import type { ParsedRequest } from './request';
import { encodeDocument } from './xml';

/** The successful recordings of an operation, by name. */
export function recordingsOf(operationId: string): readonly RecordedAnswer[] {
  return Object.hasOwn(recordedAnswers, operationId) ? recordedAnswers[operationId]! : [];
}

/** 501 `NotImplemented`: the operation has neither a behaviour nor a recording. */
function noRecording(op: OperationSpec): FakeCiError {
  return new FakeCiError(
    501,
    'NotImplemented',
    `The fake CI service has no behaviour and no successful recording for ${op.id}: add specs/recordings/${op.id}/<name>.http ` +
      '(a recorded 2xx exchange) and run `npm run generate`.',
  );
}

/** Decoded query names and values of a recorded target (`+` is a space, as CI reads it). */
function recordedQuery(target: string): Map<string, string> {
  const out = new Map<string, string>();
  const q = target.indexOf('?');
  if (q < 0) return out;
  for (const part of target.slice(q + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    out.set(decode(eq < 0 ? part : part.slice(0, eq)), eq < 0 ? '' : decode(part.slice(eq + 1)));
  }
  return out;
}

/**
 * The recording that fits the request best: the most query parameters with the same name (2 points) and the same
 * value (1 more), the fewest the request lacks; ties go to the first by name.
 */
export function pickRecording(recordings: readonly RecordedAnswer[], request: ParsedRequest): RecordedAnswer | undefined {
  let best: RecordedAnswer | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const recording of recordings) {
    let score = 0;
    for (const [name, value] of recordedQuery(recording.target)) {
      const asked = request.query[name];
      score += asked === undefined ? -1 : asked === value ? 3 : 2;
    }
    if (score > bestScore) [best, bestScore] = [recording, score];
  }
  return best;
}

/** An id parameter's value(s): a `…Id`/`…ID` string or a `…Ids`/`…IDs` list, with the element name it fills. */
interface IdValue {
  /** The element name it matches, compared case-insensitively (`jobIds` → `jobid`). */
  readonly key: string;
  readonly values: readonly string[];
}

function idValues(op: OperationSpec, input: Readonly<Record<string, unknown>>): IdValue[] {
  const out: IdValue[] = [];
  for (const param of op.params) {
    const value = input[param.name];
    if (param.kind === 'csv' && /I[dD]s$/.test(param.name) && Array.isArray(value) && value.length) {
      out.push({ key: param.name.slice(0, -1).toLowerCase(), values: value.map(String) });
    } else if (param.kind === 'string' && /I[dD]$/.test(param.name) && typeof value === 'string' && value !== '') {
      out.push({ key: param.name.toLowerCase(), values: [value] });
    }
  }
  return out;
}

/**
 * Puts the request's ids into the decoded answer, depth first: each element named like an id parameter (any case)
 * takes its value — a list's values in order, one per element, as far as they go — and a top-level `RequestId`
 * the request's.
 */
function honourIds(value: Record<string, unknown>, ids: readonly IdValue[], requestId: string): void {
  const next = new Map(ids.map((id) => [id.key, { ...id, used: 0 }]));
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      const id = next.get(key.toLowerCase());
      if (id && typeof child === 'string') {
        if (id.values.length === 1) record[key] = id.values[0];
        else if (id.used < id.values.length) record[key] = id.values[id.used++];
      } else visit(child);
    }
  };
  visit(value);
  if (typeof value.RequestId === 'string') value.RequestId = requestId;
}

/**
 * The recorded answer to `op` for this request (see the module's description): its status and its body, encoded
 * with the operation's response shape (empty when the operation has none). Throws a 501 `NotImplemented` when the
 * operation has no successful recording, a 500 `InternalError` when its recording does not match the spec.
 */
export function recordedAnswer(
  op: OperationSpec,
  request: ParsedRequest,
  input: Readonly<Record<string, unknown>>,
  requestId: string,
): { status: number; body: string } {
  const recording = pickRecording(recordingsOf(op.id), request);
  if (!recording) throw noRecording(op);
  const where = `specs/recordings/${op.id}/${recording.name}.http`;
  if (!op.response) {
    if (recording.body !== '') throw new FakeCiError(500, 'InternalError', `${where} has a body, but ${op.id} answers none in the spec.`);
    return { status: recording.status, body: '' };
  }
  const decoded = decodeDocument(recording.body, op.response);
  if (decoded.issueCount) {
    const issues = decoded.issues.map((i) => `${i.path} ${i.message}`).join('; ');
    throw new FakeCiError(500, 'InternalError', `${where} does not match the spec's <${op.response.root}>: ${issues}.`);
  }
  honourIds(decoded.value, idValues(op, input), requestId);
  return { status: recording.status, body: encodeDocument(decoded.value, op.response) };
}
