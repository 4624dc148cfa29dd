/**
 * The fake's surface is the generated operation table: its routes, the query parameters each operation takes,
 * and — for an operation it has no behaviour for — an answer from the operation's recordings, strictly valid
 * against the spec and carrying the request's ids. Every operation of the table is checked, so an operation
 * added to the spec is covered with no edit here (it needs a recording: the failure names the file to add).
 */
import fc from 'fast-check';
import { CiMediaClient, operationTable, type OperationTypes } from '@cloud-infinite/client';
import { inputArbitrary } from '@cloud-infinite/codegen/arbitraries';
import { loadSpec } from '@cloud-infinite/codegen/oracle';
import { decodeDocument, type OperationSpec } from '@cloud-infinite/runtime';
import { DEMO_CREDENTIALS, FakeCiService, ROUTES, type FakeExchange } from '../src';
import { recordingsOf } from '../src/answers';
import { readParam } from '../src/operations';
import { BEHAVIOURS } from '../src/behaviour';
import { recordedAnswers } from '../src/generated/recordings';
import { errorCode, signedRequest } from './helpers';

const OPS = Object.values(operationTable as Record<string, OperationSpec>);
const byId = OPS.map((op) => [op.id, op] as const);
const spec = loadSpec();

const removed: Array<[string, unknown]> = [];
/** Takes an operation's behaviour away for one test (restored after it). */
function withoutBehaviour(id: string): void {
  const behaviours = BEHAVIOURS as Record<string, unknown>;
  removed.push([id, behaviours[id]]);
  delete behaviours[id];
}
afterEach(() => {
  for (const [id, behaviour] of removed.splice(0)) (BEHAVIOURS as Record<string, unknown>)[id] = behaviour;
  jest.restoreAllMocks();
});

/** A client talking to `service` in-process, validating responses strictly. */
function clientOf(service: FakeCiService): CiMediaClient {
  const fetchToService = (async (url: string, init: RequestInit) => {
    const headers: Record<string, string> = { host: new URL(url).host };
    for (const [k, v] of Object.entries((init.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = v;
    const res = await service.handle({
      method: String(init.method),
      url,
      headers,
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
    });
    return new Response(res.body === '' ? null : res.body, { status: res.status, headers: res.headers });
  }) as unknown as typeof fetch;
  return new CiMediaClient({
    endpoint: 'http://127.0.0.1:9000',
    credentials: DEMO_CREDENTIALS,
    fetch: fetchToService,
    maxAttempts: 1,
    validateResponses: 'strict',
  });
}

/** Every value under a key named `key` (any case), depth first. */
function valuesUnder(node: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) for (const item of node) valuesUnder(item, key, out);
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k.toLowerCase() === key) out.push(v);
      else valuesUnder(v, key, out);
    }
  }
  return out;
}

test('the routes are the operation table: one per operation, its method and path', () => {
  expect(ROUTES.map((r) => [r.operationId, r.method, r.path])).toEqual(OPS.map((op) => [op.id, op.method, op.path]));
});

test('each parameter kind is read from its wire text, or refused naming the parameter', () => {
  const read = (kind: 'string' | 'integer' | 'number' | 'boolean' | 'csv' | 'time', text: string) =>
    readParam({ name: 'p', in: 'query', required: false, kind }, text);
  expect([read('integer', '42'), read('integer', '-7'), read('number', '1.5e3'), read('boolean', 'false')]).toEqual([42, -7, 1500, false]);
  expect([read('csv', 'a,b'), read('time', '2024-02-29T23:59:59-0530'), read('string', '')]).toEqual([
    ['a', 'b'],
    '2024-02-29T23:59:59-0530',
    '',
  ]);
  for (const [kind, text] of [
    ['integer', '4.2'],
    ['integer', ''],
    ['integer', '1234567890123456'],
    ['number', '0x10'],
    ['number', 'Infinity'],
    ['number', ''],
    ['boolean', 'yes'],
    ['csv', 'a,'],
    ['csv', ''],
    ['time', '2023-02-29T00:00:00+0800'],
    ['time', '2024-05-01 08:00:00+0800'],
  ] as const) {
    expect(() => read(kind, text)).toThrow(/^The parameter p must be /);
  }
});

describe.each(byId)('%s', (id, op) => {
  test('a query parameter the spec does not give it is refused, naming the ones it has', async () => {
    const exchanges: FakeExchange[] = [];
    const service = new FakeCiService({ onExchange: (e) => exchanges.push(e) });
    const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => `${name}-1`);
    const query: Array<[string, string | undefined]> = [
      ...(op.flags ?? []).map((f) => [f, undefined] as [string, undefined]),
      ['zzUnknown', 'x'],
    ];
    const res = await service.handle(signedRequest({ method: op.method, path, query }));
    expect([res.status, errorCode(res.body)]).toEqual([400, 'InvalidArgument']);
    const names = [...op.params.filter((p) => p.in === 'query').map((p) => p.name), ...(op.flags ?? [])];
    expect(res.body).toContain(
      `The parameter zzUnknown is not a parameter of ${id}; ${names.length ? `expected one of ${names.join(', ')}` : 'it takes none'}.`,
    );
    expect(exchanges[0]!.operationId).toBe(id);
  });

  test('it has a successful recording, and each decodes strictly with its response shape', () => {
    const recordings = recordingsOf(id);
    if (recordings.length === 0) {
      throw new Error(
        `${id} has no successful recording: add specs/recordings/${id}/<name>.http (a recorded 2xx exchange) and run npm run generate`,
      );
    }
    for (const recording of recordings) {
      if (!op.response) {
        expect(recording.body).toBe('');
        continue;
      }
      const decoded = decodeDocument(recording.body, op.response);
      expect([recording.name, decoded.issues]).toEqual([recording.name, []]);
    }
  });

  test('without its behaviour, it is answered from its recordings: 2xx, strictly valid, with the request ids', async () => {
    withoutBehaviour(id);
    const service = new FakeCiService({ verifySignature: false });
    const client = clientOf(service);
    const idParams = op.params.filter((p) => p.kind === 'string' && /I[dD]$/.test(p.name)).map((p) => p.name);
    await fc.assert(
      fc.asyncProperty(inputArbitrary(spec, id), async (input) => {
        const output = (await client.send(id as keyof OperationTypes, input as never)) as unknown as Record<string, unknown>;
        expect(output.$metadata).toMatchObject({ statusCode: 200 });
        // a single id fills every element named like it (the recording chosen may have none)
        for (const name of idParams) {
          if (typeof input[name] === 'string' && input[name] !== '') {
            for (const value of valuesUnder(output, name.toLowerCase())) expect(value).toBe(input[name]);
          }
        }
        if (typeof output.RequestId === 'string') expect(output.RequestId).toBe((output.$metadata as { requestId: string }).requestId);
      }),
      { numRuns: 15 },
    );
  });
});

describe('recorded answers', () => {
  const describeJob = operationTable.DescribeMediaJob;

  test('a list of ids fills the matching elements in order, as far as the recording has them', async () => {
    withoutBehaviour('DescribeMediaJob');
    const out = await clientOf(new FakeCiService()).describeMediaJob({ jobIds: ['jmine1', 'jmine2'] });
    expect(out.JobsDetail.map((j) => j.JobId)).toEqual(['jmine1']);
  });

  test('a path id fills every matching element; RequestId is the request id', async () => {
    withoutBehaviour('UpdateMediaQueue');
    const out = await clientOf(new FakeCiService()).updateMediaQueue({ queueId: 'pmine', Name: 'n', State: 'Active' });
    expect(out.Queue.QueueId).toBe('pmine');
    expect(out.RequestId).toBe(out.$metadata.requestId);
  });

  test('the recording whose query fits the request best is chosen', async () => {
    withoutBehaviour('DescribeMediaJobs');
    const client = clientOf(new FakeCiService());
    const listing = recordedAnswers.DescribeMediaJobs!.find((r) => /nextToken=/.test(r.target))!;
    const query = new URLSearchParams(listing.target.split('?')[1]);
    const out = await client.describeMediaJobs({ queueId: query.get('queueId')!, tag: 'Animation', nextToken: query.get('nextToken')! });
    const expected = decodeDocument(listing.body, operationTable.DescribeMediaJobs.response!).value as {
      JobsDetail?: Array<{ JobId: string }>;
    };
    expect(out.JobsDetail.map((j) => j.JobId)).toEqual((expected.JobsDetail ?? []).map((j) => j.JobId));
  });

  test('a recording that does not match the spec is a 500 naming it, never an answer off the spec', async () => {
    withoutBehaviour('DescribeMediaJob');
    jest.replaceProperty(recordedAnswers, 'DescribeMediaJob', [
      {
        name: 'broken',
        method: 'GET',
        target: '/jobs/j1',
        status: 200,
        body: '<Response><JobsDetail><Surprise>1</Surprise></JobsDetail></Response>',
      },
    ]);
    const res = await new FakeCiService({ verifySignature: false }).handle({ method: 'GET', url: '/jobs/j1', headers: { host: 'h' } });
    expect([res.status, errorCode(res.body)]).toEqual([500, 'InternalError']);
    expect(res.body).toContain('specs/recordings/DescribeMediaJob/broken.http does not match the spec');
    expect(describeJob.response).toBeDefined();
  });

  test('an operation without behaviour or recording is a 501 naming the file to add, not a 404', async () => {
    withoutBehaviour('DeleteMediaTemplate');
    jest.replaceProperty(recordedAnswers, 'DeleteMediaTemplate', []);
    const res = await new FakeCiService({ verifySignature: false }).handle({
      method: 'DELETE',
      url: '/template/t1',
      headers: { host: 'h' },
    });
    expect([res.status, errorCode(res.body)]).toEqual([501, 'NotImplemented']);
    expect(res.body).toContain('add specs/recordings/DeleteMediaTemplate/&lt;name&gt;.http');
  });

  test('its request is still read and validated by the table first', async () => {
    withoutBehaviour('DescribeMediaQueues');
    const res = await new FakeCiService({ verifySignature: false }).handle({
      method: 'GET',
      url: '/queue?pageSize=0',
      headers: { host: 'h' },
    });
    expect([res.status, errorCode(res.body)]).toEqual([400, 'InvalidArgument']);
    expect(res.body).toContain('The parameter pageSize must be &gt;= 1, got 0');
  });
});
