/**
 * A browser consumer of the SDK, for the bundle-size case: one client, one DescribeMediaJobs call.
 * Bundled by src/cases/bundle.ts with esbuild (minified, browser platform) and measured gzipped.
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
