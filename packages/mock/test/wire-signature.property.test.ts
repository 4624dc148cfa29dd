/**
 * The wire agrees with the signature, for every operation: what the client puts on the URL (path ids,
 * query values such as `+0800` → `%2B0800`, bodies and their Content-MD5) is exactly what it signed. The
 * fake service re-derives the signature from the request it RECEIVED (its verifier runs before routing);
 * for generated inputs it must never answer a signature error. The inputs come from each operation's input
 * schema in the spec (`inputArbitrary`), so an operation added to the spec is covered with no edit here.
 */
import fc from 'fast-check';
import { CiMediaClient, CiServiceError, operationTable, type OperationTypes } from '@cloud-infinite/client';
import { inputArbitrary } from '@cloud-infinite/codegen/arbitraries';
import { loadSpec } from '@cloud-infinite/codegen/oracle';
import type { OperationSpec } from '@cloud-infinite/runtime';
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
const spec = loadSpec();
/** Every operation's input, from the spec's input schema; plain strings are the tricky ones, a time may be a Date. */
const inputOf = (op: OperationSpec) => {
  const times = new Set(op.params.filter((p) => p.kind === 'time').map((p) => p.name));
  return inputArbitrary(spec, op.id, {
    string: tricky,
    refine: (arbitrary, path) =>
      path.length === 1 && times.has(path[0]!)
        ? fc.oneof(arbitrary, fc.date({ min: new Date('2000-01-01'), max: new Date('2099-01-01'), noInvalidDate: true }))
        : arbitrary,
  });
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

describe.each(Object.values(operationTable as Record<string, OperationSpec>).map((op) => [op.id, op] as const))('%s', (_id, op) => {
  test('the fake service re-derives the signature of every generated request', async () => {
    await fc.assert(
      fc.asyncProperty(inputOf(op), async (input) => {
        received.length = 0;
        try {
          await client.send(op.id as keyof OperationTypes, input as never);
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
