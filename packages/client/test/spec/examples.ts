/**
 * The spec's examples are the bodies of the recorded exchanges (specs/recordings). Every example names its
 * recording with `x-ci-recording: <OperationId>/<name>.http`; {@link checkSpecExamples} lists every way the
 * spec and the recordings disagree:
 *
 *   - an example without `x-ci-recording`, naming a missing recording, or one of another operation;
 *   - a request-body example that is not the recording's request body, a response example that is not its
 *     response body or was recorded with another status (compared whitespace-normalised, see {@link normaliseXml});
 *   - a parameter example that is not the value the recording's request target carries;
 *   - an example that does not decode with the spec's XML shape or does not validate against the spec's
 *     schema (what Redocly's `no-invalid-media-type-examples` cannot do for XML, see specs/redocly.yaml);
 *   - an operation without any example, a request body without one, an XML response without one;
 *   - a singular `example` on a media type or parameter (it cannot name its recording).
 *
 * Pure: takes the parsed spec and a recording loader, so the test can also feed it broken specs.
 */
import {
  decodeDocument,
  decodeJsonDocument,
  toIssues,
  type DocumentShape,
  type OperationSpec,
  type ValidateFunction,
} from '@cloud-infinite/runtime';
import { responseComponent, responseValidators } from '@cloud-infinite/codegen/oracle';
import { operationTable, shapes } from '../../src';
import type { Recording } from '../contract/recordings';

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Line endings unified, ends trimmed, whitespace between tags removed, other whitespace runs one space. */
export function normaliseXml(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim().replace(/>\s+</g, '><').replace(/\s+/g, ' ');
}

/** Where two normalised texts first differ, with a little context, for a readable failure. */
function firstDifference(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const from = Math.max(0, i - 40);
  return `at character ${i}:\n      recording: …${expected.slice(from, i + 40)}…\n      spec:      …${actual.slice(from, i + 40)}…`;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Resolves a local `$ref` (and refs to refs). */
function resolve(spec: Json, node: unknown): unknown {
  let n = node;
  for (let depth = 0; depth < 16 && isObject(n) && typeof n.$ref === 'string'; depth++) {
    const ref = n.$ref;
    if (!ref.startsWith('#/')) throw new Error(`Only local $ref is supported: ${ref}`);
    n = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, part) => (isObject(at) ? at[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), spec);
  }
  return n;
}

/**
 * The XML body of a decoded-and-validated document: problems, or none. A response must decode with no issue (what
 * `validateResponses: 'strict'` requires) and validate against the spec's schema (ajv, the independent judge).
 */
function decodeAndValidate(
  xml: string,
  doc: DocumentShape | undefined,
  validate: ValidateFunction | undefined,
  extra: Json = {},
): string[] {
  if (!doc) return ['the operation has no XML document for this body in the generated client'];
  let decoded: Record<string, unknown>;
  const problems: string[] = [];
  try {
    const result = decodeDocument(xml, doc);
    decoded = result.value;
    for (const issue of result.issues) problems.push(`decodes with an issue: ${issue.path} ${issue.message}`);
  } catch (e) {
    return [`does not decode as <${doc.root}>: ${(e as Error).message}`];
  }
  if (validate && !validate({ ...extra, ...decoded })) {
    problems.push(...toIssues(validate).map((issue) => `does not validate against the spec: ${issue.path || '/'} ${issue.message}`));
  }
  return problems;
}

interface Example {
  readonly where: string;
  readonly recording?: string;
  readonly value: unknown;
}

/** The examples of a media type or parameter (`examples` map, `$ref`s resolved). */
function examplesOf(spec: Json, node: Json, where: string, visited?: Set<object>): Example[] {
  visited?.add(node);
  const map = node.examples;
  if (map === undefined) return [];
  if (!isObject(map)) return [{ where: `${where}/examples`, value: undefined }];
  return Object.entries(map).map(([name, raw]) => {
    const ex = resolve(spec, raw);
    const rec = isObject(ex) ? ex['x-ci-recording'] : undefined;
    return {
      where: `${where}/examples/${name}`,
      ...(typeof rec === 'string' ? { recording: rec } : {}),
      value: isObject(ex) ? ex.value : undefined,
    };
  });
}

/** The path and query parameters a recorded request target carries, by the operation's spec. */
function paramsOfTarget(op: OperationSpec, target: string): Json {
  const url = new URL(target, 'https://recorded.invalid');
  const out: Json = {};
  const pattern = new RegExp(`^${op.path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
  for (const [k, v] of Object.entries(pattern.exec(url.pathname)?.groups ?? {})) out[k] = decodeURIComponent(v);
  for (const [k, v] of url.searchParams) {
    const p = op.params.find((x) => x.name === k);
    if (!p) continue; // a flag such as ?cancel
    out[k] = p.kind === 'integer' || p.kind === 'number' ? Number(v) : p.kind === 'csv' ? v.split(',') : v;
  }
  for (const p of op.params) if (p.kind === 'csv' && typeof out[p.name] === 'string') out[p.name] = String(out[p.name]).split(',');
  return out;
}

/** Does a recorded status fall under a response key such as `200`, `4XX` or `default`? */
function statusMatches(key: string, status: number): boolean {
  if (key === 'default') return status >= 400;
  if (/^\dXX$/i.test(key)) return String(status)[0] === key[0];
  return String(status) === key;
}

export interface SpecExampleReport {
  readonly problems: string[];
  /** Examples checked, per operationId (`components` for the shared ones). */
  readonly counts: Record<string, number>;
}

/**
 * Checks every example of the spec against the recordings. `load('<OperationId>/<name>.http')` returns the
 * parsed recording, or undefined when there is none.
 */
export function checkSpecExamples(spec: Json, load: (name: string) => Recording | undefined): SpecExampleReport {
  const problems: string[] = [];
  const counts: Record<string, number> = {};
  /** Parameters and media types whose examples were checked. */
  const visited = new Set<object>();
  const table = operationTable as Record<string, OperationSpec>;
  const oracle = responseValidators(spec);

  /** Common checks; returns the recording when the example may be compared with it. */
  function recordingOf(ex: Example, operationId: string | undefined): Recording | undefined {
    if (ex.recording === undefined) {
      problems.push(`${ex.where}: no x-ci-recording (every example is taken from specs/recordings/<OperationId>/<name>.http)`);
      return undefined;
    }
    const rec = load(ex.recording);
    if (!rec) {
      problems.push(`${ex.where}: x-ci-recording ${ex.recording} does not exist under specs/recordings/`);
      return undefined;
    }
    if (operationId !== undefined && rec.operationId !== operationId) {
      problems.push(`${ex.where}: x-ci-recording ${ex.recording} is a recording of ${rec.operationId}, not ${operationId}`);
      return undefined;
    }
    if (typeof ex.value !== 'string') {
      problems.push(`${ex.where}: the value must be the recorded text (a string)`);
      return undefined;
    }
    return rec;
  }

  function compare(ex: Example, recorded: string, what: string): boolean {
    const expected = normaliseXml(recorded);
    const actual = normaliseXml(String(ex.value));
    if (expected === actual) return true;
    problems.push(`${ex.where}: differs from the ${what} of specs/recordings/${ex.recording} ${firstDifference(expected, actual)}`);
    return false;
  }

  const paths = (isObject(spec.paths) ? spec.paths : {}) as Record<string, Json>;
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolve(spec, rawItem) as Json;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const id = String(operation.operationId ?? '');
      const op = table[id];
      if (!op) {
        problems.push(`${where}: operationId ${JSON.stringify(id)} is not an operation of the generated client (run npm run generate)`);
        continue;
      }
      let count = 0;

      // parameters (path-level and operation-level)
      const params = [...((item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])];
      for (const raw of params) {
        const param = resolve(spec, raw) as Json;
        for (const ex of examplesOf(spec, param, `${id} parameter ${String(param.name)}`, visited)) {
          count++;
          const rec = recordingOf(ex, id);
          if (!rec) continue;
          const carried = paramsOfTarget(op, rec.request.target)[String(param.name)];
          const expected = Array.isArray(carried) ? carried.join(',') : carried === undefined ? undefined : String(carried);
          if (expected !== ex.value) {
            problems.push(
              `${ex.where}: ${JSON.stringify(ex.value)} is not the value the request target of specs/recordings/${ex.recording} carries (${JSON.stringify(expected)})`,
            );
          }
        }
      }

      // request body
      const body = resolve(spec, operation.requestBody) as Json | undefined;
      if (body) {
        const media = (isObject(body.content) ? body.content['application/xml'] : undefined) as Json | undefined;
        const examples = media ? examplesOf(spec, media, `${id} request body`, visited) : [];
        if (!examples.length) problems.push(`${id}: the request body has no example (take one from specs/recordings/${id}/)`);
        for (const ex of examples) {
          count++;
          const rec = recordingOf(ex, id);
          if (!rec) continue;
          if (!rec.request.body) {
            problems.push(`${ex.where}: specs/recordings/${ex.recording} has no request body`);
            continue;
          }
          if (!compare(ex, rec.request.body, 'request body')) continue;
          for (const p of decodeAndValidate(String(ex.value), op.body, op.validateInput, paramsOfTarget(op, rec.request.target))) {
            problems.push(`${ex.where}: ${p}`);
          }
        }
      }

      // responses of the operation's own (shared `$ref` responses are checked once, under components)
      const responses = (isObject(operation.responses) ? operation.responses : {}) as Json;
      for (const [status, raw] of Object.entries(responses)) {
        if (isObject(raw) && typeof raw.$ref === 'string') continue;
        const response = raw as Json;
        const media = (isObject(response.content) ? response.content['application/xml'] : undefined) as Json | undefined;
        if (!media) continue;
        const examples = examplesOf(spec, media, `${id} response ${status}`, visited);
        if (!examples.length) problems.push(`${id}: the ${status} response has no example (take one from specs/recordings/${id}/)`);
        for (const ex of examples) {
          count++;
          const rec = recordingOf(ex, id);
          if (!rec) continue;
          if (!statusMatches(status, rec.response.status)) {
            problems.push(`${ex.where}: specs/recordings/${ex.recording} answered ${rec.response.status}, not ${status}`);
            continue;
          }
          if (!compare(ex, rec.response.body, 'response body')) continue;
          const ok = rec.response.status < 300;
          const doc = ok ? op.response : shapes.documents.ErrorDocument;
          const component = ok ? responseComponent(spec, id) : 'ErrorDocument';
          for (const p of decodeAndValidate(String(ex.value), doc, component ? oracle(component) : undefined)) {
            problems.push(`${ex.where}: ${p}`);
          }
        }
      }

      counts[id] = count;
      if (count === 0) problems.push(`${id}: no example at all (every operation needs one taken from specs/recordings/${id}/)`);
    }
  }

  // shared responses: any operation's recording, with an error status, an <Error> document
  const components = isObject(spec.components) ? spec.components : {};
  const sharedResponses = (isObject(components.responses) ? components.responses : {}) as Json;
  let shared = 0;
  for (const [name, raw] of Object.entries(sharedResponses)) {
    const media = ((resolve(spec, raw) as Json).content as Json | undefined)?.['application/xml'] as Json | undefined;
    if (!media) continue;
    for (const ex of examplesOf(spec, media, `components/responses/${name}`, visited)) {
      shared++;
      const rec = recordingOf(ex, undefined);
      if (!rec) continue;
      if (rec.response.status < 400) {
        problems.push(`${ex.where}: specs/recordings/${ex.recording} is not an error (status ${rec.response.status})`);
        continue;
      }
      if (!compare(ex, rec.response.body, 'response body')) continue;
      for (const p of decodeAndValidate(String(ex.value), shapes.documents.ErrorDocument, oracle('ErrorDocument')))
        problems.push(`${ex.where}: ${p}`);
    }
  }
  counts.components = shared;

  // webhooks: a document CI sends us (the job notification); each body example is a recording's request body,
  // in its media type's form (XML or JSON), and decodes with the document's shape with no issue
  const webhooks = (isObject(spec.webhooks) ? spec.webhooks : {}) as Record<string, Json>;
  for (const [name, rawItem] of Object.entries(webhooks)) {
    const item = resolve(spec, rawItem) as Json;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const id = String(operation.operationId ?? name);
      const body = resolve(spec, operation.requestBody) as Json | undefined;
      const content = (isObject(body?.content) ? body.content : {}) as Record<string, Json>;
      let count = 0;
      for (const [mediaType, media] of Object.entries(content)) {
        const component =
          typeof (media.schema as Json | undefined)?.$ref === 'string'
            ? String((media.schema as Json).$ref)
                .split('/')
                .pop()!
            : undefined;
        const doc = component ? (shapes.documents as Record<string, DocumentShape>)[component] : undefined;
        const examples = examplesOf(spec, media, `webhook ${name} ${mediaType}`, visited);
        if (!examples.length)
          problems.push(`webhook ${name}: the ${mediaType} body has no example (take one from specs/recordings/${id}/)`);
        for (const ex of examples) {
          count++;
          const rec = recordingOf(ex, id);
          if (!rec) continue;
          const json = mediaType.includes('json');
          const same = json
            ? JSON.stringify(JSON.parse(rec.request.body)) === JSON.stringify(JSON.parse(String(ex.value)))
            : normaliseXml(rec.request.body) === normaliseXml(String(ex.value));
          if (!same) {
            problems.push(`${ex.where}: differs from the request body of specs/recordings/${ex.recording}`);
            continue;
          }
          if (!doc) {
            problems.push(`${ex.where}: ${component ?? 'the schema'} is not a document of the generated client`);
            continue;
          }
          try {
            const decoded = json ? decodeJsonDocument(String(ex.value), doc) : decodeDocument(String(ex.value), doc);
            for (const issue of decoded.issues) problems.push(`${ex.where}: decodes with an issue: ${issue.path} ${issue.message}`);
            const validate = component ? oracle(component) : undefined;
            if (validate && !validate(decoded.value)) {
              problems.push(
                ...toIssues(validate).map((i) => `${ex.where}: does not validate against the spec: ${i.path || '/'} ${i.message}`),
              );
            }
          } catch (e) {
            problems.push(`${ex.where}: does not decode as <${doc.root}>: ${(e as Error).message}`);
          }
        }
      }
      counts[id] = count;
    }
  }

  // anywhere else: a singular `example` on a media type or parameter, or `examples` this check never visited
  (function walk(node: unknown, at: string, inSchema: boolean): void {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`, inSchema));
    if (!isObject(node)) return;
    if (!inSchema && 'example' in node && 'schema' in node) {
      problems.push(`#${at}: use \`examples\` naming an x-ci-recording instead of a singular \`example\``);
    }
    if (!inSchema && isObject(node.examples) && !visited.has(node) && node !== spec.components) {
      problems.push(
        `#${at}: these examples are never checked against the recordings; put them on an operation's parameter, body or response`,
      );
    }
    for (const [k, v] of Object.entries(node)) {
      walk(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, inSchema || k === 'schema' || k === 'schemas');
    }
  })(spec, '', false);
  return { problems, counts };
}
