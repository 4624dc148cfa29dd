/**
 * What the browser test and the browser smoke bundle run: a known signature (Tencent's documentation
 * example, tests of packages/runtime) and DescribeMediaJobs against the fake service. Bundled by esbuild for
 * the browser, so `#crypto` resolves to @noble/hashes (the `node` condition is absent).
 */
import { createAuthorization } from '@cloud-infinite/runtime';
import { CiMediaClient } from '@cloud-infinite/client';

const KNOWN = {
  input: {
    secretId: 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q',
    secretKey: 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz',
    keyTime: '1557989151;1557996351',
    method: 'GET',
    pathname: '/jobs',
    query: { tag: 'Animation', queueId: 'p2242ab62c7c94486915508540933a2c6' },
    headers: { Host: 'examplebucket-1250000000.ci.ap-chongqing.myqcloud.com' },
  },
  authorization:
    'q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1557989151;1557996351' +
    '&q-key-time=1557989151;1557996351&q-header-list=host&q-url-param-list=queueid;tag' +
    '&q-signature=3d11d5865f4f2e6bc83fba5e7a219a9bd7fbb116',
};

/** Runs the probe; throws on any difference. Returns what it saw. */
export async function probe({ url, credentials, queueId, jobs }) {
  const authorization = createAuthorization(KNOWN.input);
  if (authorization !== KNOWN.authorization) throw new Error(`signature differs:\n  got  ${authorization}\n  want ${KNOWN.authorization}`);
  const client = new CiMediaClient({ endpoint: url, credentials });
  const page = await client.describeMediaJobs({ queueId, tag: 'Animation', size: 50 });
  if (page.JobsDetail.length !== jobs) throw new Error(`DescribeMediaJobs: ${page.JobsDetail.length} jobs, want ${jobs}`);
  if (!page.$metadata.requestId) throw new Error('DescribeMediaJobs: no $metadata.requestId');
  // a body (Content-MD5) through the same hashes: CreateMediaJobs
  const created = await client.createMediaJobs({
    Tag: 'Animation',
    QueueId: queueId,
    Input: { Object: 'input/browser.mp4' },
    Operation: {
      Animation: { Container: { Format: 'gif' }, Video: { Codec: 'gif', Width: '320', Fps: '10' } },
      Output: { Region: 'ap-beijing', Bucket: 'examplebucket-1250000000', Object: 'out/browser.gif' },
    },
  });
  return { authorization, jobs: page.JobsDetail.length, requestId: page.$metadata.requestId, created: created.JobsDetail[0].JobId };
}
