/**
 * sign: the Authorization of the request a DescribeMediaJobs page sends (GET /jobs, five query parameters,
 * the host header), with a fixed KeyTime:
 * - ours: `createAuthorization` (@cloud-infinite/runtime);
 * - the official SDK: `COS.getAuthorization` (cos-nodejs-sdk-v5) — same inputs, same output (checked);
 * - the floor: only the three digests any implementation must compute with node:crypto — HMAC-SHA1 of the
 *   KeyTime, SHA-1 of the HttpString (one-shot `crypto.hash` where Node has it), HMAC-SHA1 of the
 *   StringToSign — on strings built beforehand.
 */
import * as nodeCrypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';
import { createAuthorization, explainAuthorization } from '@cloud-infinite/runtime';
import { measure, type Measured, type Ratio, type Subject } from '../harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const COS = require('cos-nodejs-sdk-v5') as { getAuthorization(options: Record<string, unknown>): string };

const secretId = 'AKIDbenchmark00000000000000000000000';
const secretKey = 'benchmarksecretkey00000000000000';
const keyTime = '1714536000;1714536900';
const query = {
  queueId: 'p893bcda225bf4945a378da6662e81a89',
  tag: 'Animation',
  size: '100',
  states: 'Success,Failed',
  nextToken: 'ZjQ5ZDRlYjQtYzM1Yy00ZTc1LWI1ZDgtNmM3YmY5ZTBiMjgz',
};
const headers = { host: 'examplebucket-1250000000.ci.ap-beijing.myqcloud.com' };

export interface SignCase {
  readonly results: Map<string, Measured>;
  readonly ratios: Ratio[];
}

const OURS = 'ours: createAuthorization';
const COS_NAME = 'cos-nodejs-sdk-v5 COS.getAuthorization';
const FLOOR = 'floor: 2 × HMAC-SHA1 + 1 × SHA-1 (node:crypto only)';
export async function runSign(quick: boolean): Promise<SignCase> {
  const ours = () => createAuthorization({ secretId, secretKey, method: 'GET', pathname: '/jobs', query, headers, keyTime });
  const cos = () =>
    COS.getAuthorization({
      SecretId: secretId,
      SecretKey: secretKey,
      Method: 'get',
      Pathname: '/jobs',
      Query: query,
      Headers: headers,
      KeyTime: keyTime,
    });
  const { httpString } = explainAuthorization({ secretId, secretKey, method: 'GET', pathname: '/jobs', query, headers, keyTime });
  // the cheapest SHA-1 node:crypto has: the one-shot crypto.hash (Node >= 20.12), else createHash
  const oneShot = (nodeCrypto as unknown as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;
  const sha1 = oneShot ? (s: string) => oneShot('sha1', s, 'hex') : (s: string) => createHash('sha1').update(s).digest('hex');
  const floor = () => {
    const signKey = createHmac('sha1', secretKey).update(keyTime).digest('hex');
    return createHmac('sha1', signKey)
      .update(`sha1\n${keyTime}\n${sha1(httpString)}\n`)
      .digest('hex');
  };
  if (ours() !== cos()) throw new Error(`sign: the signatures differ\n  ours: ${ours()}\n  cos:  ${cos()}`);
  if (!ours().endsWith(`q-signature=${floor()}`)) throw new Error('sign: the floor computes another signature');
  const subjects: Subject[] = [
    { name: OURS, fn: ours },
    { name: COS_NAME, fn: cos },
    { name: FLOOR, fn: floor },
  ];
  const results = await measure(subjects, { quick });
  const get = (name: string) => results.get(name)!;
  return {
    results,
    ratios: [
      {
        case: 'sign',
        what: 'createAuthorization ÷ COS.getAuthorization (throughput)',
        value: get(OURS).opsPerSec / get(COS_NAME).opsPerSec,
        target: 1.5,
        direction: '>=',
        unit: '×',
        enforced: false,
      },
      {
        case: 'sign',
        what: 'createAuthorization ÷ the crypto floor (throughput)',
        value: get(OURS).opsPerSec / get(FLOOR).opsPerSec,
        target: 0.8,
        direction: '>=',
        unit: '×',
        enforced: false,
      },
    ],
  };
}
