/**
 * DescribeMediaJobs validation and routing, with correctly signed raw requests (the client refuses to send
 * most of these itself).
 */
import { DEMO_QUEUE_ID, startFakeCi, type RunningFakeCi } from '../src';
import { errorCode, signedFetch } from './helpers';

const BASE: Array<[string, string]> = [
  ['queueId', DEMO_QUEUE_ID],
  ['tag', 'Animation'],
];

let ci: RunningFakeCi;
beforeAll(async () => {
  ci = await startFakeCi({ jobs: 30 });
});
afterAll(() => ci.close());

const list = (...extra: Array<[string, string | undefined]>) => signedFetch(ci.url, { path: '/jobs', query: [...BASE, ...extra] });

describe('InvalidArgument (400)', () => {
  test.each([
    ['size 0', ['size', '0']],
    ['size 101', ['size', '101']],
    ['size -1', ['size', '-1']],
    ['size 1.5', ['size', '1.5']],
    ['size abc', ['size', 'abc']],
    ['size empty', ['size', '']],
    ['states Done', ['states', 'Done']],
    ['states lower-case', ['states', 'success']],
    ['states with an empty item', ['states', 'Success,']],
    ['states empty', ['states', '']],
    ['orderByTime desc', ['orderByTime', 'desc']],
    ['time with a colon offset', ['startCreationTime', '2024-05-01T08:00:00+08:00']],
    ['time without an offset', ['startCreationTime', '2024-05-01T08:00:00']],
    ['time with a space for +', ['endCreationTime', '2024-05-01T08:00:00 0800']],
    ['time on a day that does not exist', ['startCreationTime', '2024-02-30T08:00:00+0800']],
    ['time at hour 24', ['startCreationTime', '2024-05-01T24:00:00+0800']],
    ['time with offset minutes 60', ['endCreationTime', '2024-05-01T08:00:00+0860']],
    ['nextToken garbage', ['nextToken', 'not-a-token']],
    ['an unknown parameter', ['QueueID', 'x']],
  ] as Array<[string, [string, string]]>)('%s', async (_label, param) => {
    const res = await list(param);
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('InvalidArgument');
    expect(res.body).toContain(param[0]);
  });

  test.each([
    ['no queueId', [['tag', 'Animation']]],
    [
      'empty queueId',
      [
        ['queueId', ''],
        ['tag', 'Animation'],
      ],
    ],
    ['no tag', [['queueId', DEMO_QUEUE_ID]]],
    [
      'tag Transcode',
      [
        ['queueId', DEMO_QUEUE_ID],
        ['tag', 'Transcode'],
      ],
    ],
  ] as Array<[string, Array<[string, string]>]>)('%s', async (_label, query) => {
    const res = await signedFetch(ci.url, { path: '/jobs', query });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('InvalidArgument');
  });

  test('a repeated parameter', async () => {
    const res = await list(['size', '5'], ['size', '6']);
    expect(res.status).toBe(400);
    expect(res.body).toContain('more than once');
  });
});

describe('accepted edge values', () => {
  test.each([
    ['size 1', ['size', '1'], 1],
    ['size 100', ['size', '100'], 30],
    ['states All', ['states', 'All'], 10],
    ['an empty nextToken', ['nextToken', ''], 10],
    ['a negative offset', ['startCreationTime', '2000-01-01T00:00:00-0530'], 10],
    ['queueType (ignored)', ['queueType', 'Common'], 10],
  ] as Array<[string, [string, string], number]>)('%s', async (_label, param, count) => {
    const res = await list(param);
    expect(res.status).toBe(200);
    expect(res.body.match(/<JobsDetail>/g) ?? []).toHaveLength(count);
  });
});

describe('routing', () => {
  test.each(['/', '/job', '/jobs/', '/jobs/j0123/extra', '/queues', '/%E4%B8%AD'])(
    'unknown path %s is ResourceNotFound (404)',
    async (path) => {
      const res = await signedFetch(ci.url, { path: decodeURIComponent(path) });
      expect(res.status).toBe(404);
      expect(errorCode(res.body)).toBe('ResourceNotFound');
      expect(res.body.startsWith('<?xml')).toBe(true);
      expect(res.body).toContain('<Error>');
    },
  );

  test.each(['PUT', 'DELETE', 'PATCH'])('%s /jobs is MethodNotAllowed (405) with Allow', async (method) => {
    const res = await signedFetch(ci.url, { method, path: '/jobs', query: BASE });
    expect(res.status).toBe(405);
    expect(errorCode(res.body)).toBe('MethodNotAllowed');
    expect(res.headers.allow).toBe('GET, POST');
  });

  test.each([
    ['POST', '/jobs/j1', 'GET, PUT'],
    ['DELETE', '/queue', 'GET'],
    ['GET', '/queue/p1', 'PUT'],
    ['PATCH', '/template', 'GET, POST'],
    ['GET', '/template/t1', 'PUT, DELETE'],
  ])('%s %s is MethodNotAllowed (405), Allow: %s', async (method, path, allow) => {
    const res = await signedFetch(ci.url, { method, path });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
  });

  test('the signature is checked before routing', async () => {
    const res = await fetch(`${ci.url}/nowhere`);
    expect(res.status).toBe(401);
    expect(errorCode(await res.text())).toBe('MissingAuthorization');
  });

  test('a malformed percent-escape is InvalidArgument', async () => {
    const res = await fetch(`${ci.url}/jobs?queueId=%ZZ`);
    expect(res.status).toBe(400);
    expect(errorCode(await res.text())).toBe('InvalidArgument');
  });
});
