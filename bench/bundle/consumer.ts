/**
 * A browser consumer of the SDK, for the bundle-size case (the budget): the client that carries only the
 * operations it is given, and one DescribeMediaJobs call. Bundled by src/cases/bundle.ts with esbuild (minified,
 * browser platform, code splitting as an app's bundler does it) and measured gzipped.
 */
import { CiClient, describeMediaJobs } from '@cloud-infinite/client';

export async function countSuccessfulJobs(queueId: string, secretId: string, secretKey: string): Promise<number> {
  const ci = new CiClient({
    bucket: 'examplebucket-1250000000',
    region: 'ap-beijing',
    credentials: { secretId, secretKey },
  });
  const page = await ci.send(describeMediaJobs, { queueId, tag: 'Animation', size: 100, states: ['Success'] });
  return page.JobsDetail.length;
}
