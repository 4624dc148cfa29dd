/** Ids holding `/`, `+`, `%` or spaces reach their route as one path segment (`%2F` is not a separator). */
import { CiMediaClient, CiServiceError } from '@cloud-infinite/client';
import { DEMO_CREDENTIALS, FakeCiService, type FakeRequest } from '../src';

const service = new FakeCiService();
const fetchToService = (async (url: string, init: RequestInit) => {
  const headers: Record<string, string> = { host: new URL(url).host };
  for (const [k, v] of Object.entries((init.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = v;
  const request: FakeRequest = { method: String(init.method), url, headers };
  const res = await service.handle(request);
  return new Response(res.body || null, { status: res.status, headers: res.headers });
}) as unknown as typeof fetch;
const ci = new CiMediaClient({ endpoint: 'http://127.0.0.1:9000', credentials: DEMO_CREDENTIALS, fetch: fetchToService, maxAttempts: 1 });

test('an unknown id with a slash is reported as not existing, not as an unknown route', async () => {
  const page = await ci.describeMediaJob({ jobIds: ['a b/c+d%', 'x'] });
  expect(page.NonExistJobIds).toEqual(['a b/c+d%', 'x']);
  const err = await ci.cancelMediaJob({ jobId: 'a/b' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CiServiceError);
  expect((err as CiServiceError).code).toBe('ResourceNotFound');
  expect((err as CiServiceError).message).not.toMatch(/No CI operation answers/);
});
