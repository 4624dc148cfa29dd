/**
 * Contract tests: every recorded exchange in specs/recordings is replayed through msw. For each, the client
 * is called with the input the recorded request implies, and the test checks
 *   (a) the request sent: method, path, query wire names and values, and an Authorization whose
 *       q-url-param-list / q-header-list match what was sent and whose signature re-derives server-side;
 *   (b) the decoded result (or error) against the committed `<name>.decoded.txt`, rendered with runtime
 *       types so a lost array or a number regression is a diff;
 *   (c) that the decoded result validates against the spec's schema (decoded with `validateResponses: 'strict'`, so
 *       the decoder found nothing the spec lacks, and checked again by ajv on the spec's own schemas).
 * Set UPDATE_RECORDINGS=1 to rewrite the `.decoded.txt` files after an intended change.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  decodeDocument,
  decodeJsonDocument,
  decodeXml,
  explainAuthorization,
  parseAuthorization,
  CiError,
  CiServiceError,
  type DocumentShape,
  type OperationSpec,
} from '@cloud-infinite/runtime';
import { responseComponent, responseValidators, loadSpec } from '@cloud-infinite/codegen/oracle';
import { CiMediaClient, operationTable, shapes } from '../../src';
import { loadRecordings, type Recording, type RecordedRequest } from './recordings';
import { typedSnapshot } from './typed-snapshot';

const CREDENTIALS = { secretId: 'AKIDcontracttest00000000000000000000', secretKey: 'contract-test-secret-key-not-real' };
const NOW = Date.UTC(2024, 4, 6, 3, 12, 9);

const spec = loadSpec();
const oracle = responseValidators(spec);
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Splits a raw query into decoded [key, value] pairs; a raw `+` is a space, as CI reads it (send `%2B`). */
function queryPairs(search: string): Array<[string, string]> {
  if (!search || search === '?') return [];
  return search
    .replace(/^\?/, '')
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
      return eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
    });
}

const sortPairs = (pairs: Array<[string, string]>) => [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

function findOperation(rec: Recording): OperationSpec {
  const op = (operationTable as Record<string, OperationSpec>)[rec.operationId];
  if (!op) throw new Error(`${rec.file}: no operation ${rec.operationId} in the spec`);
  return op;
}

/** The client input a recorded request implies: path and query parameters by the spec, body by its shape. */
function inputFromRequest(op: OperationSpec, req: RecordedRequest): Record<string, unknown> {
  const url = new URL(req.target, 'https://recorded.invalid');
  const input: Record<string, unknown> = {};
  const pattern = new RegExp(`^${op.path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
  const match = pattern.exec(url.pathname);
  if (!match) throw new Error(`${req.target} does not match ${op.path}`);
  for (const [name, value] of Object.entries(match.groups ?? {})) input[name] = decodeURIComponent(value);
  for (const [key, value] of queryPairs(url.search)) {
    const p = op.params.find((x) => x.name === key);
    if (!p) {
      if (op.flags?.includes(key)) continue;
      throw new Error(`${req.target}: query parameter ${key} is not in the spec`);
    }
    input[key] = p.kind === 'integer' || p.kind === 'number' ? Number(value) : p.kind === 'csv' ? value.split(',') : value;
  }
  if (op.body) Object.assign(input, decodeXml(req.body, op.body));
  return input;
}

function renderOutcome(result: unknown, error: unknown): string {
  if (error === undefined) return typedSnapshot(result);
  if (error instanceof CiServiceError) {
    return `error ${error.name}\n${typedSnapshot({
      code: error.code,
      message: error.message,
      requestId: error.requestId,
      traceId: error.traceId,
      statusCode: error.statusCode,
    })}`;
  }
  return `error ${(error as Error).name}: ${(error as Error).message}`;
}

const isDocument = (rec: Recording) => !(rec.operationId in operationTable) && rec.operationId in shapes.documents;

test('every operation of the spec has a recording (the failure names the file to add)', () => {
  const recorded = new Set(loadRecordings().map((r) => r.operationId));
  const missing = Object.keys(operationTable)
    .filter((id) => !recorded.has(id))
    .map((id) => `add specs/recordings/${id}/<name>.http (a recorded exchange of ${id})`);
  expect(missing).toEqual([]);
});

describe.each(
  loadRecordings()
    .filter((r) => !isDocument(r))
    .map((r) => [`${r.operationId}/${r.name}`, r] as const),
)('%s', (_label, rec) => {
  const op = findOperation(rec);

  test('sends the recorded request, decodes to the expected snapshot, validates against the spec', async () => {
    const host = rec.request.headers.host!;
    const [bucket, ci, region] = host.split('.');
    expect(ci).toBe('ci');
    const sent: Request[] = [];
    server.use(
      http.all(`https://${host}/*`, ({ request }) => {
        sent.push(request.clone());
        return new HttpResponse(rec.response.body, {
          status: rec.response.status,
          statusText: rec.response.statusText,
          headers: { ...rec.response.headers, 'content-type': 'application/xml' },
        });
      }),
    );
    const client = new CiMediaClient({
      bucket,
      region,
      credentials: CREDENTIALS,
      now: () => NOW,
      validateResponses: 'strict',
      maxAttempts: 1,
    });
    let result: unknown;
    let error: unknown;
    try {
      result = await client.send(op.id as never, inputFromRequest(op, rec.request) as never);
    } catch (e) {
      error = e;
      if (!CiError.isInstance(e)) throw e;
    }

    // (a) the request
    expect(sent).toHaveLength(1);
    const request = sent[0]!;
    const url = new URL(request.url);
    const recorded = new URL(rec.request.target, `https://${host}`);
    expect(request.method).toBe(rec.request.method);
    expect(decodeURIComponent(url.pathname)).toBe(decodeURIComponent(recorded.pathname));
    expect(sortPairs(queryPairs(url.search))).toEqual(sortPairs(queryPairs(recorded.search)));
    const auth = parseAuthorization(request.headers.get('authorization'));
    expect(auth).toBeDefined();
    expect(auth!.secretId).toBe(CREDENTIALS.secretId);
    expect(auth!.urlParamList).toEqual(
      queryPairs(url.search)
        .map(([k]) => k.toLowerCase())
        .sort(),
    );
    expect(auth!.headerList).toContain('host');
    const signedHeaders: Record<string, string> = {};
    for (const name of auth!.headerList) {
      const value = name === 'host' ? url.host : request.headers.get(name);
      expect(value).not.toBeNull();
      signedHeaders[name] = value!;
    }
    const rederived = explainAuthorization({
      ...CREDENTIALS,
      method: request.method,
      pathname: decodeURIComponent(url.pathname),
      query: Object.fromEntries(queryPairs(url.search)),
      headers: signedHeaders,
      keyTime: auth!.keyTime,
    });
    expect(rederived.signature).toBe(auth!.signature);
    if (rec.request.body) {
      const body = await request.text();
      expect(body.replace(/>\s+</g, '><').trim()).toBe(rec.request.body.replace(/>\s+</g, '><').trim());
      expect(request.headers.get('content-type')).toBe('application/xml');
      expect(auth!.headerList).toEqual(expect.arrayContaining(['content-md5', 'content-type']));
    }

    // (b) the decoded result against the committed snapshot
    const actual = `${renderOutcome(result, error)}\n`;
    const expectedFile = rec.file.replace(/\.http$/, '.decoded.txt');
    if (!existsSync(expectedFile) || process.env.UPDATE_RECORDINGS === '1') {
      if (process.env.CI && process.env.UPDATE_RECORDINGS !== '1') {
        throw new Error(`${expectedFile} is missing: run the contract tests locally to write it, review and commit it`);
      }
      writeFileSync(expectedFile, actual);
    }
    expect(actual).toBe(readFileSync(expectedFile, 'utf8'));

    // (c) the result validates against the spec (ajv on the spec's schema, independent of the decoder's own check)
    const component = responseComponent(spec, op.id);
    if (error === undefined && component) {
      const validate = oracle(component);
      const valid = validate(result);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
    if (rec.response.status >= 300) {
      expect(error).toBeInstanceOf(CiServiceError);
      expect((error as CiServiceError).statusCode).toBe(rec.response.status);
    } else {
      expect(error).toBeUndefined();
    }
  });
});

/**
 * Recordings of a document CI sends that no operation returns (`specs/recordings/<Document>/`, e.g. a job
 * notification): the request body, CI's, decodes (its XML form, or its JSON form for a JSON content type) with no
 * issue to the committed `.decoded.txt`, and validates against the spec's schema.
 */
describe.each(
  loadRecordings()
    .filter(isDocument)
    .map((r) => [`${r.operationId}/${r.name}`, r] as const),
)('%s', (_label, rec) => {
  test('the document CI sent decodes to the expected snapshot, with no issue, and validates against the spec', () => {
    const doc = (shapes.documents as Record<string, DocumentShape>)[rec.operationId]!;
    const json = /json/i.test(rec.request.headers['content-type'] ?? '');
    const decoded = json ? decodeJsonDocument(rec.request.body, doc) : decodeDocument(rec.request.body, doc);
    expect(decoded.issues).toStrictEqual([]);
    const actual = `${typedSnapshot(decoded.value)}\n`;
    const expectedFile = rec.file.replace(/\.http$/, '.decoded.txt');
    if (!existsSync(expectedFile) || process.env.UPDATE_RECORDINGS === '1') {
      if (process.env.CI && process.env.UPDATE_RECORDINGS !== '1') {
        throw new Error(`${expectedFile} is missing: run the contract tests locally to write it, review and commit it`);
      }
      writeFileSync(expectedFile, actual);
    }
    expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
    const validate = oracle(rec.operationId);
    expect(validate(decoded.value)).toBe(true);
    expect(rec.response.status).toBeLessThan(300);
  });
});
