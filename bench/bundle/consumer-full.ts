/**
 * The same browser consumer with `CiMediaClient`, the client with a method per operation: it carries every
 * operation's shapes and validators. Measured beside the budget consumer, for information.
 */
import { CiMediaClient } from '@cloud-infinite/client';

export async function countSuccessfulJobs(queueId: string, secretId: string, secretKey: string): Promise<number> {
  const ci = new CiMediaClient({
    bucket: 'examplebucket-1250000000',
    region: 'ap-beijing',
    credentials: { secretId, secretKey },
  });
  const page = await ci.describeMediaJobs({ queueId, tag: 'Animation', size: 100, states: ['Success'] });
  return page.JobsDetail.length;
}
