/**
 * The wire agrees with the signature, for every operation: what the client puts on the URL (path ids,
 * query values such as `+0800` → `%2B0800`, bodies and their Content-MD5) is exactly what it signed. The
 * fake service re-derives the signature from the request it RECEIVED (its verifier runs before routing);
 * for generated inputs it must never answer a signature error.
 */
import fc from 'fast-check';
import { CiMediaClient, CiServiceError, operationTable, type OperationTypes } from '@cloud-infinite/client';
import { DEMO_CREDENTIALS, FakeCiService, type FakeRequest } from '../src';

const SIGNATURE_ERRORS = new Set([
  'SignatureDoesNotMatch',
  'InvalidAuthorization',
  'MissingAuthorization',
  'RequestTimeTooSkewed',
  'AccessDenied',
]);

// free text with what encoding gets wrong: space, + % / ? # & = ; , ! ' ( ) *, CJK, emoji
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom(' ', '+', '%', '/', '?', '#', '&', '=', ';', ',', '!', "'", '(', ')', '*', '~', '中', '文', '😀', '%2B', '..'),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
  ),
  minLength: 1,
  maxLength: 24,
});
// a path id that is a dot segment (`.`, `..`, `%2e`…) is refused by the client before sending (it would rewrite the path)
const pathId = tricky.filter((s) => !/^(?:\.|%2e){1,2}$/i.test(s));
const time = fc
  .tuple(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-01-01'), noInvalidDate: true }), fc.integer({ min: -12, max: 14 }))
  .map(([d, h]) => {
    const shifted = new Date(d.getTime() + h * 3600_000);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${shifted.getUTCFullYear()}-${p(shifted.getUTCMonth() + 1)}-${p(shifted.getUTCDate())}T${p(shifted.getUTCHours())}:${p(shifted.getUTCMinutes())}:${p(shifted.getUTCSeconds())}${h < 0 ? '-' : '+'}${p(Math.abs(h))}00`;
  });
const printable = fc.string({ unit: fc.constantFrom('a', ' ', '&', '<', '>', '"', "'", '{', '}', ':', '~'), maxLength: 40 });
const animation = fc.record({
  Container: fc.record({ Format: fc.constantFrom('gif' as const, 'webp' as const, 'hgif' as const) }),
  Video: fc.record({
    Codec: fc.constantFrom('gif' as const, 'webp' as const),
    Width: fc.constantFrom('320', '0480', ''),
    Fps: fc.constantFrom('15', '1e1'),
  }),
});

type Inputs = { [K in keyof OperationTypes]: fc.Arbitrary<OperationTypes[K]['input']> };
const inputs: Inputs = {
  DescribeMediaJobs: fc.record(
    {
      queueId: tricky,
      tag: fc.constant('Animation' as const),
      orderByTime: fc.constantFrom('Asc' as const, 'Desc' as const),
      nextToken: tricky,
      size: fc.integer({ min: 1, max: 100 }),
      states: fc.uniqueArray(fc.constantFrom('All' as const, 'Success' as const, 'Failed' as const, 'Cancel' as const), { minLength: 1 }),
      startCreationTime: time,
      endCreationTime: fc.oneof(time, fc.date({ min: new Date('2000-01-01'), max: new Date('2099-01-01'), noInvalidDate: true })),
      inputObject: tricky,
      workflowId: tricky,
    },
    { requiredKeys: ['queueId', 'tag'] },
  ),
  DescribeMediaJob: fc.record({
    jobIds: fc.array(
      pathId.filter((s) => !s.includes(',')),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  CancelMediaJob: fc.record({ jobId: pathId }),
  CreateMediaJobs: fc.record({
    Tag: fc.constant('Animation' as const),
    Input: fc.record({ Object: tricky }),
    Operation: fc.record({
      TemplateId: tricky,
      Animation: animation,
      Output: fc.record({ Region: fc.constant('ap-beijing'), Bucket: fc.constant('examplebucket-1250000000'), Object: tricky }),
      UserData: printable,
    }),
    QueueId: tricky,
  }),
  DescribeMediaQueues: fc.record(
    {
      queueIds: fc.array(
        tricky.filter((s) => !s.includes(',')),
        { minLength: 1, maxLength: 10 },
      ),
      pageNumber: fc.integer({ min: 1, max: 50 }),
    },
    { requiredKeys: [] },
  ),
  UpdateMediaQueue: fc.record(
    {
      queueId: pathId,
      Name: tricky,
      State: fc.constantFrom('Active' as const, 'Paused' as const),
      NotifyConfig: fc.record({ Url: tricky, State: fc.constant('On' as const) }),
    },
    { requiredKeys: ['queueId', 'Name', 'State'] },
  ),
  CreateMediaTemplate: fc.record({
    Tag: fc.constant('Animation' as const),
    Name: tricky,
    Container: fc.record({ Format: fc.constant('gif' as const) }),
  }),
  DescribeMediaTemplates: fc.record(
    {
      tag: fc.constant('Animation' as const),
      ids: fc.array(
        tricky.filter((s) => !s.includes(',')),
        { minLength: 1, maxLength: 3 },
      ),
      name: tricky,
    },
    { requiredKeys: [] },
  ),
  UpdateMediaTemplate: fc.record({
    templateId: pathId,
    Tag: fc.constant('Animation' as const),
    Name: tricky,
    Container: fc.record({ Format: fc.constant('webp' as const) }),
  }),
  DeleteMediaTemplate: fc.record({ templateId: pathId }),
};

const service = new FakeCiService({ credentials: DEMO_CREDENTIALS });
const received: FakeRequest[] = [];
const fetchToService = (async (url: string, init: RequestInit) => {
  const headers: Record<string, string> = { host: new URL(url).host };
  for (const [k, v] of Object.entries((init.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = v;
  const request: FakeRequest = { method: String(init.method), url, headers, ...(typeof init.body === 'string' ? { body: init.body } : {}) };
  received.push(request);
  const res = await service.handle(request);
  return new Response(res.status === 204 ? null : res.body, { status: res.status, headers: res.headers });
}) as unknown as typeof fetch;

const client = new CiMediaClient({
  endpoint: 'http://127.0.0.1:9000',
  credentials: DEMO_CREDENTIALS,
  fetch: fetchToService,
  maxAttempts: 1,
  validateResponses: 'off',
});

describe.each(Object.keys(operationTable) as Array<keyof OperationTypes>)('%s', (operationId) => {
  test('the fake service re-derives the signature of every generated request', async () => {
    await fc.assert(
      fc.asyncProperty(inputs[operationId] as fc.Arbitrary<never>, async (input) => {
        received.length = 0;
        try {
          await client.send(operationId, input);
        } catch (err) {
          if (err instanceof CiServiceError) {
            expect(SIGNATURE_ERRORS.has(err.code) ? `${err.code}: ${err.message}` : 'not a signature error').toBe('not a signature error');
          } else throw err; // anything else (e.g. the client refusing its own input) is a failure of the generator
        }
        expect(received).toHaveLength(1);
      }),
      { numRuns: 120 },
    );
  });
});
