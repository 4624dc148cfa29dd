/**
 * Run inside the journey's copy of the repo (after the spec edit, `npm run generate` and the builds): the client
 * and the fake against the edited spec, through their built packages. The names it uses exist only in that
 * copy's generated client, so it reaches them untyped.
 */
import assert from 'node:assert/strict';
import { CiMediaClient, type MediaJob } from '@cloud-infinite/client';
import { DEMO_CREDENTIALS, DEMO_QUEUE_ID, startFakeCi } from '@cloud-infinite/mock';

type Output = Record<string, unknown> & { $metadata: { requestId?: string; statusCode: number } };

async function main(): Promise<void> {
  const ci = await startFakeCi();
  try {
    const client = new CiMediaClient({ endpoint: ci.url, credentials: DEMO_CREDENTIALS, validateResponses: 'strict', maxAttempts: 1 });
    const methods = client as unknown as Record<string, (input: Record<string, unknown>) => Promise<Output>>;

    // the new operation: a method of the client, answered by the fake (no behaviour: from its recording)
    assert.equal(typeof methods.describeMediaWorkflows, 'function', 'the client has a describeMediaWorkflows method');
    const page = await methods.describeMediaWorkflows!.call(client, { ids: ['w0001'], pageNumber: 1, pageSize: 10 });
    assert.equal(page.$metadata.statusCode, 200);
    assert.deepEqual(
      (page.MediaWorkflowList as Array<{ WorkflowId: string }>).map((w) => w.WorkflowId),
      ['w0001'],
    );
    assert.equal(page.TotalCount, 1, 'TotalCount decodes as the integer the spec says');
    assert.equal(page.RequestId, page.$metadata.requestId, 'the recorded RequestId is replaced by the request id');
    console.log('new operation: answered from its recording, strictly valid');

    // the new query parameter of DescribeMediaJobs: sent by the client, accepted by the fake
    const jobs = await methods.describeMediaJobs!.call(client, { queueId: DEMO_QUEUE_ID, tag: 'Animation', inputObjectPrefix: 'videos/' });
    assert.equal(jobs.$metadata.statusCode, 200);
    console.log('new query parameter: accepted');

    // the new response field: a job holding it is stored, answered and decoded strictly, as a number
    const jobId = `j${'0'.repeat(31)}1`;
    const job = { JobId: jobId, State: 'Success', Tag: 'Animation', CreationTime: '2024-05-01T09:00:00+0800', Priority: 3 };
    ci.service.store.addJob(job as MediaJob);
    const got = await client.describeMediaJob({ jobIds: [jobId] });
    assert.equal((got.JobsDetail[0] as unknown as Record<string, unknown>).Priority, 3);
    console.log('new response field: encoded by the fake, decoded by the client');
  } finally {
    await ci.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
