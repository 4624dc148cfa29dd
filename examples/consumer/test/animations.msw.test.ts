/**
 * The same functions with MSW (`setupServer` from msw/node) and `createCiHandlers`: no socket, the client at
 * its default endpoint `https://<bucket>.ci.<region>.myqcloud.com`, a fixed clock, manual job progression.
 */
import { setupServer } from 'msw/node';
import { CiMediaClient } from '@cloud-infinite/client';
import { DEMO_BUCKET, DEMO_CREDENTIALS, DEMO_QUEUE_ID, DEMO_REGION } from '@cloud-infinite/mock';
import { createCiHandlers, type CiHandlers } from '@cloud-infinite/mock/msw';
import { settleQueue } from '../src';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const NOW = Date.UTC(2024, 4, 6, 3, 12, 9); // 2024-05-06T11:12:09+0800
let handlers: CiHandlers;
let client: CiMediaClient;
let polls = 0;

/** Resolves once `condition()` holds (checked every 5 ms). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

beforeEach(() => {
  polls = 0;
  handlers = createCiHandlers({
    bucket: DEMO_BUCKET,
    region: DEMO_REGION,
    now: () => NOW,
    jobProgression: 'manual',
    onExchange: (e) => {
      if (e.operationId === 'DescribeMediaJob') polls++;
    },
  });
  server.use(...handlers);
  // the client signs by the same fixed clock: it corrects at most 7 days of skew from the service's Date on its own
  client = new CiMediaClient({ bucket: DEMO_BUCKET, region: DEMO_REGION, credentials: DEMO_CREDENTIALS, now: () => NOW });
});

test('settleQueue waits while the test moves the jobs along', async () => {
  const created = [];
  for (const key of ['a.mp4', 'fail-b.mp4']) {
    const out = await client.createMediaJobs({
      Tag: 'Animation',
      Input: { Object: key },
      Operation: {
        Animation: { Container: { Format: 'gif' } },
        Output: { Bucket: DEMO_BUCKET, Region: DEMO_REGION, Object: `${key}.gif` },
      },
    });
    created.push(out.JobsDetail[0]!);
  }
  expect(created.map((j) => [j.State, j.CreationTime])).toEqual([
    ['Submitted', '2024-05-06T11:12:09+0800'],
    ['Submitted', '2024-05-06T11:12:09+0800'],
  ]);
  const settling = settleQueue(client, DEMO_QUEUE_ID, { minDelayMs: 5, maxDelayMs: 10, maxWaitSeconds: 10 });
  await until(() => polls >= 2); // both jobs listed and polled while Submitted
  expect(handlers.service.advance().map((j) => j.State)).toEqual(['Running', 'Running']);
  await until(() => polls >= 4);
  expect(handlers.service.advance().map((j) => j.State)).toEqual(['Success', 'Failed']);
  const report = await settling;
  expect(report.succeeded.map((o) => o.output)).toEqual(['a.mp4.gif']);
  expect(report.failed.map((o) => [o.input, o.state])).toEqual([['fail-b.mp4', 'Failed']]);
});
